"""Writing a batch of an adapter's records into the ledger, atomically with the run's counts.

Exactly once: each record's entry is keyed by the record's external identity, so a record
already in the ledger with the same content is left alone (unchanged), one whose content
changed is corrected by a reversing entry plus a new revision (``<identity>#r2``, ``#r3``,
...), and one never seen is created. Two runs racing on a record both find the one entry.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from simple_history.utils import bulk_create_with_history

from ingest.adapters.base import (
    IncomingCommitment,
    IncomingEntry,
    IncomingSource,
    OrganizationRef,
    Record,
    Rejection,
)
from ingest.models import IngestRun, RejectedRecord
from ledger.models import Commitment, CommitmentIdentifier, LedgerEntry, Organization, Source
from ledger.selectors.organizations import default_recipient, find_organization
from ledger.services.bulk import (
    EntryDraft,
    draft_error,
    entries_by_key,
    entry_content,
    record_entries,
    reverse_entries,
)
from ledger.services.organizations import create_organization
from ledger.services.pauses import pause
from ledger.services.sources import record_source

_KEY_ROOM = 190  # of the key's 200 characters, leaving room for "#r<revision>"
_TITLE_LENGTH = Commitment._meta.get_field("title").max_length or 300


def base_key(external_id: str) -> str:
    """The key of a record's first entry: its identity, hashed if too long for a key."""
    if len(external_id) <= _KEY_ROOM:
        return external_id
    return "sha256:" + hashlib.sha256(external_id.encode()).hexdigest()


def revision_key(external_id: str, revision: int) -> str:
    base = base_key(external_id)
    return base if revision == 1 else f"{base}#r{revision}"


@dataclass
class Current:
    """The entry in force for a record (None if none) and the revision it is at."""

    entry: LedgerEntry | None
    revision: int


def current_entries(external_ids: Iterable[str]) -> dict[str, Current]:
    """For each record, its latest revision in the ledger: two queries for records never
    corrected, two more per further revision for those that were."""
    pending = dict.fromkeys(external_ids, 1)
    found: dict[str, Current] = {}
    while pending:
        keys = {revision_key(e, n): e for e, n in pending.items()}
        entries = entries_by_key(keys)
        following: dict[str, int] = {}
        for key, external_id in keys.items():
            revision = pending[external_id]
            entry = entries.get(key)
            if entry is None:
                # Never written (revision 1), or an earlier revision was reversed and not
                # replaced (by an editor): its last entry stands for it.
                if external_id not in found:
                    found[external_id] = Current(None, revision)
            elif entry.is_reversed:  # type: ignore[attr-defined]
                found[external_id] = Current(entry, revision)
                following[external_id] = revision + 1
            else:
                found[external_id] = Current(entry, revision)
        pending = following
    return found


@dataclass
class BatchWriter:
    """Writes one run's batches; remembers the organizations, commitments and sources it
    resolved, which a failed batch forgets (its rows were rolled back)."""

    run: IngestRun
    dataset_source: Source
    renew_lease: Callable[[], None] | None = None
    _organizations: dict[OrganizationRef, Organization] = field(default_factory=dict)
    _commitments: dict[tuple[str, str], Commitment] = field(default_factory=dict)
    _sources: dict[IncomingSource, Source] = field(default_factory=dict)
    _suspended: set[int] = field(default_factory=set)
    _seen_ids: set[str] = field(default_factory=set)

    @property
    def recorded_by(self) -> str:
        return f"ingest run {self.run.pk}"

    def write(self, records: Sequence[Record]) -> None:
        """Write ``records`` and the run's counts in one transaction."""
        seen_before = set(self._seen_ids)
        try:
            with transaction.atomic():
                self._write(records)
        except BaseException:
            self._organizations.clear()
            self._commitments.clear()
            self._sources.clear()
            self._suspended.clear()
            self._seen_ids = seen_before
            raise

    def _write(self, records: Sequence[Record]) -> None:
        rejections: list[Rejection] = []
        incoming: list[IncomingEntry] = []
        for record in records:
            if isinstance(record, Rejection):
                rejections.append(record)
            elif record.external_id in self._seen_ids:
                rejections.append(
                    Rejection(
                        record.position,
                        record.raw,
                        f"Record {record.external_id} appears more than once; the first was kept.",
                    )
                )
            else:
                self._seen_ids.add(record.external_id)
                incoming.append(record)

        drafts: dict[str, tuple[IncomingEntry, EntryDraft]] = {}
        for record in incoming:
            try:
                commitment = self._commitment(record.commitment)
                source = self._source(record.source)
            except ValidationError as error:
                rejections.append(Rejection(record.position, record.raw, _reason(error)))
                continue
            draft = EntryDraft(
                idempotency_key="",  # set once the record's revision is known
                commitment_id=commitment.pk,
                stage=record.stage,
                amount=record.amount,
                currency=record.currency,
                value_date=record.value_date,
                value_date_precision=record.value_date_precision,
                source_id=source.pk,
                note=record.note,
            )
            problem = draft_error(_keyed(draft, base_key(record.external_id)))
            if problem:
                rejections.append(Rejection(record.position, record.raw, problem))
                continue
            drafts[record.external_id] = (record, draft)

        current = current_entries(drafts)
        to_write: list[EntryDraft] = []
        to_reverse: list[LedgerEntry] = []
        created = unchanged = corrected = 0
        for external_id, (_, draft) in drafts.items():
            state = current[external_id]
            if state.entry is None:
                to_write.append(_keyed(draft, revision_key(external_id, state.revision)))
                created += 1
            elif entry_content(state.entry) == draft.content():
                unchanged += 1
            else:
                if not state.entry.is_reversed:  # type: ignore[attr-defined]
                    to_reverse.append(state.entry)
                to_write.append(_keyed(draft, revision_key(external_id, state.revision + 1)))
                corrected += 1

        reverse_entries(
            to_reverse,
            source=self.dataset_source,
            reason="Corrected by the source: it publishes this record with other values now.",
            recorded_by=self.recorded_by,
        )
        record_entries(to_write, recorded_by=self.recorded_by)
        RejectedRecord.objects.bulk_create(
            RejectedRecord(run=self.run, position=r.position[:500], raw=r.raw, reason=r.reason)
            for r in rejections
        )
        IngestRun.objects.filter(pk=self.run.pk).update(
            seen=F("seen") + len(records),
            created=F("created") + created,
            unchanged=F("unchanged") + unchanged,
            corrected=F("corrected") + corrected,
            rejected=F("rejected") + len(rejections),
        )
        if self.renew_lease is not None:
            self.renew_lease()

    def _organization(self, ref: OrganizationRef) -> Organization:
        """The organization ``ref`` names; an unknown one is created unverified, for an
        editor to confirm or merge, rather than guessed."""
        if ref in self._organizations:
            return self._organizations[ref]
        found = None
        for name in (ref.identifier, ref.country_code, ref.name):
            found = find_organization(name) if name else None
            if found is not None:
                break
        if found is None:
            found = create_organization(
                name=(ref.name or ref.identifier)[:200],
                kind=ref.kind,
                country_code=ref.country_code,
                iati_identifier=ref.identifier[:100],
                is_verified=False,
            )
        self._organizations[ref] = found
        return found

    def _commitment(self, incoming: IncomingCommitment) -> Commitment:
        key = (incoming.scheme, incoming.identifier)
        commitment = self._commitments.get(key)
        if commitment is None:
            identifier = (
                CommitmentIdentifier.objects.filter(scheme=key[0], value=key[1])
                .select_related("commitment")
                .first()
            )
            commitment = identifier.commitment if identifier else self._create(incoming)
            self._commitments[key] = commitment
        if incoming.suspended_on is not None and commitment.pk not in self._suspended:
            self._suspend(commitment, incoming)
        return commitment

    def _create(self, incoming: IncomingCommitment) -> Commitment:
        if not incoming.donor:
            raise ValidationError({"donor": "The record names no donor."})
        donor = self._organization(incoming.donor)
        recipient = (
            self._organization(incoming.recipient) if incoming.recipient else default_recipient()
        )
        if recipient is None:
            raise ValidationError(
                {"recipient": "The record names no recipient and no default recipient exists."}
            )
        commitment = Commitment(
            donor=donor,
            recipient=recipient,
            title=(incoming.title or incoming.identifier)[:_TITLE_LENGTH],
            description=incoming.description,
            category=incoming.category,
            instrument=incoming.instrument,
            announced_on=incoming.announced_on,
            announced_on_precision=incoming.announced_on_precision,
            source=self.dataset_source,
        )
        commitment.full_clean(exclude=["donor", "recipient", "source"])
        # A savepoint, so that a commitment another run created meanwhile fails alone.
        with transaction.atomic():
            bulk_create_with_history([commitment], Commitment)
            bulk_create_with_history(
                [
                    CommitmentIdentifier(
                        commitment=commitment, scheme=incoming.scheme, value=incoming.identifier
                    )
                ],
                CommitmentIdentifier,
            )
        return commitment

    def _suspend(self, commitment: Commitment, incoming: IncomingCommitment) -> None:
        """Deliveries of an activity its publisher reports suspended are paused, once."""
        self._suspended.add(commitment.pk)
        assert incoming.suspended_on is not None
        try:
            with transaction.atomic():
                pause(
                    commitment=commitment,
                    paused_on=incoming.suspended_on,
                    source=self.dataset_source,
                    description="Reported suspended by its publisher.",
                    idempotency_key=f"suspension:{incoming.scheme}:{incoming.identifier}:"
                    f"{incoming.suspended_on.isoformat()}",
                )
        except ValidationError as error:
            already = [e.code for es in getattr(error, "error_dict", {}).values() for e in es]
            if already != ["already_paused"]:
                raise  # anything but "already paused then" is a real refusal

    def _source(self, incoming: IncomingSource | None) -> Source:
        if incoming is None or not (incoming.url or incoming.title):
            return self.dataset_source
        source = self._sources.get(incoming)
        if source is None:
            source = record_source(
                url=incoming.url[:2000],
                title=incoming.title[:500],
                publisher=incoming.publisher[:200],
            )
            self._sources[incoming] = source
        return source


def _keyed(draft: EntryDraft, key: str) -> EntryDraft:
    return EntryDraft(**{**draft.__dict__, "idempotency_key": key})


def _reason(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    return " ".join(error.messages)


def dataset_source(*, title: str, location: str, publisher: str, retrieved_at: datetime) -> Source:
    """The source every record of a dataset cites unless it names its own."""
    url = location if location.startswith(("http://", "https://")) else ""
    return record_source(
        url=url[:2000], title=title[:500], publisher=publisher[:200], retrieved_at=retrieved_at
    )
