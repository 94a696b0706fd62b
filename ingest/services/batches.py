"""Writing a batch of an adapter's records into the ledger, atomically with the run's counts.

Exactly once: each record's entry is keyed by the record's external identity, so a record
already in the ledger with the same content is left alone (unchanged), one whose content
changed is corrected by a reversing entry plus a new revision (``<identity>#r2``, ``#r3``,
...), and one never seen is created. Two runs racing on a record both find the one entry.

A batch costs a handful of queries whatever its size: the organizations, commitments and
entries it names are looked up together and the new ones inserted together.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from ingest.adapters.base import (
    IncomingCommitment,
    IncomingEntry,
    IncomingSource,
    OrganizationRef,
    Record,
    Rejection,
)
from ingest.models import IngestRun
from ingest.services.runs import count_batch
from ledger.models import Commitment, CommitmentIdentifier, Organization, Source
from ledger.selectors.organizations import default_recipient, find_organizations
from ledger.services.bulk import (
    EntryDraft,
    StoredEntry,
    append_free,
    draft_error,
    entries_by_key,
    record_entries,
    reverse_entries,
)
from ledger.services.commitments import create_identified_commitments, validate_commitment
from ledger.services.organizations import create_unverified_organizations
from ledger.services.pauses import pause
from ledger.services.sources import record_source

_KEY_ROOM = 190  # of the key's 200 characters, leaving room for "#r<revision>"
_TITLE_LENGTH = Commitment._meta.get_field("title").max_length or 300
_NAME_LENGTH = Organization._meta.get_field("name").max_length or 200


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

    entry: StoredEntry | None
    revision: int


def current_entries(external_ids: Iterable[str]) -> dict[str, Current]:
    """For each record, its latest revision in the ledger (None for a record it has not
    seen): one query for records never corrected, one more per further revision."""
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
                found.setdefault(external_id, Current(None, revision))
            else:
                found[external_id] = Current(entry, revision)
                if entry.is_reversed:
                    following[external_id] = revision + 1
        pending = following
    return found


class RecordRefused(Exception):
    """A record the ledger cannot take (its commitment or organization is invalid)."""


@dataclass
class BatchWriter:
    """Writes one run's batches; remembers the organizations, commitments and sources it
    resolved (as ids), which a failed batch forgets, its rows being rolled back."""

    run: IngestRun
    dataset_source: Source
    renew_lease: Callable[[], None] | None = None
    _organizations: dict[OrganizationRef, int | str] = field(default_factory=dict)
    _commitments: dict[tuple[str, str], int | str] = field(default_factory=dict)
    _sources: dict[IncomingSource, int] = field(default_factory=dict)
    _suspended: set[int] = field(default_factory=set)
    # Hashes of the identities seen in this run, to refuse a record given twice.
    _seen: set[int] = field(default_factory=set)

    @property
    def recorded_by(self) -> str:
        return f"ingest run {self.run.pk}"

    def write(self, records: Sequence[Record]) -> None:
        """Write ``records`` and the run's counts in one transaction."""
        seen_before = set(self._seen)
        try:
            with transaction.atomic():
                self._write(records)
        except BaseException:
            for remembered in (self._organizations, self._commitments, self._sources):
                remembered.clear()
            self._suspended.clear()
            self._seen = seen_before
            raise

    def _write(self, records: Sequence[Record]) -> None:
        rejections: list[Rejection] = []
        incoming: list[IncomingEntry] = []
        for record in records:
            if isinstance(record, Rejection):
                rejections.append(record)
            elif hash(record.external_id) in self._seen:
                rejections.append(
                    Rejection(
                        record.position,
                        record.raw,
                        f"Record {record.external_id} appears more than once; the first was kept.",
                    )
                )
            else:
                self._seen.add(hash(record.external_id))
                incoming.append(record)

        self._resolve_commitments([record.commitment for record in incoming])
        drafts: dict[str, EntryDraft] = {}
        for record in incoming:
            try:
                commitment_id = self._commitment_id(record.commitment)
                draft = EntryDraft(
                    idempotency_key=base_key(record.external_id),
                    commitment_id=commitment_id,
                    stage=record.stage,
                    amount=record.amount,
                    currency=record.currency,
                    value_date=record.value_date,
                    value_date_precision=record.value_date_precision,
                    source_id=self._source_id(record.source),
                    note=record.note,
                )
            except (RecordRefused, ValidationError) as error:
                rejections.append(Rejection(record.position, record.raw, _reason(error)))
                continue
            problem = draft_error(draft)
            if problem:
                rejections.append(Rejection(record.position, record.raw, problem))
                continue
            drafts[record.external_id] = draft

        # New records land at once; only those whose key is taken are looked up.
        taken = append_free(list(drafts.values()), recorded_by=self.recorded_by)
        created = len(drafts) - len(taken)
        known = [e for e, draft in drafts.items() if draft.idempotency_key in taken]
        current = current_entries(known)
        to_write: list[EntryDraft] = []
        to_reverse: list[StoredEntry] = []
        unchanged = corrected = 0
        for external_id in known:
            draft, state = drafts[external_id], current[external_id]
            assert state.entry is not None  # its key is taken
            if state.entry.content() == draft.content():
                unchanged += 1
            else:
                if not state.entry.is_reversed:
                    to_reverse.append(state.entry)
                key = revision_key(external_id, state.revision + 1)
                to_write.append(replace(draft, idempotency_key=key))
                corrected += 1

        reverse_entries(
            to_reverse,
            source=self.dataset_source,
            reason="Corrected by the source: it publishes this record with other values now.",
            recorded_by=self.recorded_by,
        )
        record_entries(to_write, recorded_by=self.recorded_by)
        count_batch(
            self.run,
            seen=len(records),
            created=created,
            unchanged=unchanged,
            corrected=corrected,
            rejections=rejections,
        )
        if self.renew_lease is not None:
            self.renew_lease()

    # Commitments ---------------------------------------------------------------------

    def _commitment_id(self, incoming: IncomingCommitment) -> int:
        resolved = self._commitments[(incoming.scheme, incoming.identifier)]
        if isinstance(resolved, str):
            raise RecordRefused(resolved)
        if incoming.suspended_on is not None and resolved not in self._suspended:
            self._suspend(resolved, incoming)
        return resolved

    def _resolve_commitments(self, incoming: Sequence[IncomingCommitment]) -> None:
        """Find the batch's commitments by identifier, in one query, and create the
        missing ones together; one that cannot be created is remembered with the reason."""
        wanted = {(c.scheme, c.identifier): c for c in incoming}
        missing = {key: c for key, c in wanted.items() if key not in self._commitments}
        if not missing:
            return
        by_scheme: dict[str, list[str]] = {}
        for scheme, identifier in missing:
            by_scheme.setdefault(scheme, []).append(identifier)
        match = Q()
        for scheme, identifiers in by_scheme.items():
            match |= Q(scheme=scheme, value__in=identifiers)
        for scheme, value, commitment_id in CommitmentIdentifier.objects.filter(match).values_list(
            "scheme", "value", "commitment_id"
        ):
            self._commitments[(scheme, value)] = commitment_id
            missing.pop((scheme, value), None)
        if not missing:
            return
        self._resolve_organizations(
            [ref for c in missing.values() for ref in (c.donor, c.recipient) if ref]
        )
        recipient = default_recipient()
        new: list[tuple[Commitment, str, str]] = []
        for key, incoming_commitment in missing.items():
            try:
                new.append((self._new_commitment(incoming_commitment, recipient), *key))
            except (RecordRefused, ValidationError) as error:
                self._commitments[key] = _reason(error)
        try:
            with transaction.atomic():
                create_identified_commitments(new)
        except IntegrityError:
            # Another run created one of them meanwhile: take each on its own.
            for created, scheme, value in new:
                self._commitments[(scheme, value)] = self._create_or_find(created, scheme, value)
            return
        for created, scheme, value in new:
            self._commitments[(scheme, value)] = created.pk

    def _new_commitment(
        self, incoming: IncomingCommitment, recipient: Organization | None
    ) -> Commitment:
        if not incoming.donor:
            raise RecordRefused("The record names no donor.")
        if incoming.recipient:
            recipient_id = self._organization_id(incoming.recipient)
        elif recipient is not None:
            recipient_id = recipient.pk
        else:
            raise RecordRefused("The record names no recipient and no default recipient exists.")
        commitment = Commitment(
            donor_id=self._organization_id(incoming.donor),
            recipient_id=recipient_id,
            title=(incoming.title or incoming.identifier)[:_TITLE_LENGTH],
            description=incoming.description,
            category=incoming.category,
            instrument=incoming.instrument,
            announced_on=incoming.announced_on,
            announced_on_precision=incoming.announced_on_precision,
            source=self.dataset_source,
        )
        validate_commitment(commitment)
        return commitment

    def _create_or_find(self, commitment: Commitment, scheme: str, value: str) -> int:
        try:
            with transaction.atomic():
                create_identified_commitments([(commitment, scheme, value)])
                return commitment.pk
        except IntegrityError:
            return CommitmentIdentifier.objects.get(scheme=scheme, value=value).commitment_id

    def _suspend(self, commitment_id: int, incoming: IncomingCommitment) -> None:
        """Deliveries of an activity its publisher reports suspended are paused, once."""
        self._suspended.add(commitment_id)
        assert incoming.suspended_on is not None
        try:
            with transaction.atomic():
                pause(
                    commitment=Commitment.objects.get(pk=commitment_id),
                    paused_on=incoming.suspended_on,
                    source=self.dataset_source,
                    description="Reported suspended by its publisher.",
                    idempotency_key=f"suspension:{incoming.scheme}:{incoming.identifier}:"
                    f"{incoming.suspended_on.isoformat()}",
                )
        except ValidationError as error:
            codes = [e.code for es in getattr(error, "error_dict", {}).values() for e in es]
            if codes != ["already_paused"]:
                raise  # anything but "already paused then" is a real refusal

    # Organizations -------------------------------------------------------------------

    def _organization_id(self, ref: OrganizationRef) -> int:
        resolved = self._organizations[ref]
        if isinstance(resolved, str):
            raise RecordRefused(resolved)
        return resolved

    def _resolve_organizations(self, refs: Sequence[OrganizationRef]) -> None:
        """The organizations the refs name, matched by identifier, ISO code, name or alias
        in two queries; the unknown ones are created unverified, for an editor to confirm
        or merge, rather than guessed."""
        refs = [ref for ref in dict.fromkeys(refs) if ref not in self._organizations]
        if not refs:
            return
        found = find_organizations(
            name for ref in refs for name in (ref.identifier, ref.country_code, ref.name)
        )
        unknown: dict[str, Organization] = {}
        for ref in refs:
            match = next(
                (
                    found[name.strip().lower()]
                    for name in (ref.identifier, ref.country_code, ref.name)
                    if name.strip() and name.strip().lower() in found
                ),
                None,
            )
            if match is not None:
                self._organizations[ref] = match.pk
                continue
            name = _newcomer_name(ref)
            if name.lower() in unknown:  # two refs naming one newcomer
                continue
            unknown[name.lower()] = Organization(
                name=name,
                kind=ref.kind,
                country_code=ref.country_code.upper(),
                iati_identifier=ref.identifier.strip()[:100],
            )
        created = self._create_organizations(list(unknown.values()))
        for ref in refs:
            if ref not in self._organizations:
                self._organizations[ref] = created[_newcomer_name(ref).lower()]

    def _create_organizations(self, organizations: list[Organization]) -> dict[str, int | str]:
        """Newcomers' ids by lower-case name, created together; where that fails, each on
        its own: a name taken meanwhile is then found, an invalid one gives its reason."""
        try:
            with transaction.atomic():
                created = create_unverified_organizations(organizations)
            return {o.name.lower(): o.pk for o in created}
        except (IntegrityError, ValidationError):
            return {o.name.lower(): self._create_one(o) for o in organizations}

    def _create_one(self, organization: Organization) -> int | str:
        try:
            with transaction.atomic():
                return create_unverified_organizations([organization])[0].pk
        except (IntegrityError, ValidationError) as error:
            existing = find_organizations([organization.name]).get(organization.name.lower())
            return existing.pk if existing else f"{organization.name!r}: {_reason(error)}"

    # Sources -------------------------------------------------------------------------

    def _source_id(self, incoming: IncomingSource | None) -> int:
        if incoming is None or not (incoming.url or incoming.title):
            return self.dataset_source.pk
        source_id = self._sources.get(incoming)
        if source_id is None:
            source_id = record_source(
                url=incoming.url[:2000],
                title=incoming.title[:500],
                publisher=incoming.publisher[:200],
            ).pk
            self._sources[incoming] = source_id
        return source_id


def _newcomer_name(ref: OrganizationRef) -> str:
    """The name an organization the ledger does not know is created with."""
    return (ref.name or ref.identifier).strip()[:_NAME_LENGTH]


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return " ".join(
            f"{name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        )
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def dataset_source(*, title: str, location: str, publisher: str, retrieved_at: datetime) -> Source:
    """The source every record of a dataset cites unless it names its own."""
    url = location if location.startswith(("http://", "https://")) else ""
    return record_source(
        url=url[:2000], title=title[:500], publisher=publisher[:200], retrieved_at=retrieved_at
    )
