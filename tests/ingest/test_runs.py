"""How runs write: whole batches or nothing, picking up after a failure, one run per
source at a time, and corrections that respect what editors did since."""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from ingest.adapters import ADAPTERS
from ingest.adapters.base import (
    Document,
    IncomingCommitment,
    IncomingEntry,
    OrganizationRef,
    ReadContext,
    Record,
)
from ingest.models import IngestRun, IngestSource, RunStatus
from ingest.runner import ingest_location, ingest_source
from ingest.services.runs import SourceBusy, acquire_lease
from ledger import services
from ledger.models import LedgerEntry, Organization

pytestmark = pytest.mark.django_db


class JsonLinesAdapter:
    """A test adapter: one JSON object per line, {"id", "donor", "amount"}; a line
    "boom" makes the adapter fail there, as a crash mid-run would."""

    name = "jsonl"
    paged = False
    conditional = False

    def read(self, document: Document, context: ReadContext) -> Iterator[Record]:
        with document.open() as stream:
            for number, line in enumerate(stream, start=1):
                if line.strip() == b"boom":
                    raise RuntimeError(f"the adapter crashed at line {number}")
                row = json.loads(line)
                yield IncomingEntry(
                    external_id=f"jsonl:{row['id']}",
                    position=f"line {number}",
                    raw=line.decode(),
                    commitment=IncomingCommitment(
                        scheme="other",
                        identifier=f"jsonl:{row.get('commitment', 'c')}",
                        title="Test commitment",
                        donor=OrganizationRef(name=row.get("donor", "Germany")),
                        category="military",
                        announced_on=date(2025, 1, 2),
                    ),
                    stage="disbursement",
                    amount=Decimal(row["amount"]),
                    currency="EUR",
                    value_date=date(2025, 1, 3),
                )


@pytest.fixture
def jsonl(monkeypatch: pytest.MonkeyPatch, settings, ukraine) -> str:
    monkeypatch.setitem(ADAPTERS, "jsonl", JsonLinesAdapter())
    settings.INGEST_BATCH_SIZE = 3
    return "jsonl"


def write_lines(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


def rows(count: int, start: int = 0) -> list[str]:
    return [json.dumps({"id": n, "amount": str(10 + n)}) for n in range(start, start + count)]


def test_a_run_that_crashes_keeps_its_whole_batches_and_the_next_run_finishes(tmp_path, jsonl):
    path = write_lines(tmp_path / "a.jsonl", [*rows(7), "boom", *rows(3, start=7)])

    with pytest.raises(RuntimeError, match="crashed at line 8"):
        ingest_location(jsonl, path)

    crashed = IngestRun.objects.get()
    assert crashed.status == RunStatus.FAILED
    assert "crashed at line 8" in crashed.error
    # Batches of three: two landed whole; the third (line 7 and the crash) left nothing.
    assert crashed.created == 6
    assert LedgerEntry.objects.count() == 6

    path = write_lines(tmp_path / "a.jsonl", [*rows(7), *rows(3, start=7)])
    finished = ingest_location(jsonl, path)

    assert finished.counts == {
        "seen": 10,
        "created": 4,
        "unchanged": 6,
        "corrected": 0,
        "rejected": 0,
    }
    assert LedgerEntry.objects.count() == 10
    assert sorted(LedgerEntry.objects.values_list("amount", flat=True)) == [
        Decimal(10 + n) for n in range(10)
    ]


def test_an_amount_beyond_the_ledgers_precision_rejects_that_record_only(tmp_path, jsonl):
    lines = [*rows(2), json.dumps({"id": 99, "amount": "1" + "0" * 30})]
    run = ingest_location(jsonl, write_lines(tmp_path / "b.jsonl", lines))

    assert run.counts["created"] == 2
    assert run.counts["rejected"] == 1
    assert "does not fit" in run.rejections.get().reason


def test_a_record_appearing_twice_is_kept_once(tmp_path, jsonl):
    lines = [*rows(2), json.dumps({"id": 1, "amount": "99"})]
    run = ingest_location(jsonl, write_lines(tmp_path / "c.jsonl", lines))

    assert run.counts["created"] == 2
    assert (
        run.rejections.get().reason == "Record jsonl:1 appears more than once; the first was kept."
    )
    assert LedgerEntry.objects.get(idempotency_key="jsonl:1").amount == 11


def test_an_entry_an_editor_reversed_stays_reversed_until_the_source_changes_it(
    tmp_path, jsonl, source
):
    path = write_lines(tmp_path / "d.jsonl", rows(1))
    ingest_location(jsonl, path)
    entry = LedgerEntry.objects.get()
    services.reverse_entry(entry=entry, source=source, reason="Double counted")

    again = ingest_location(jsonl, path)
    assert again.counts["unchanged"] == 1
    assert LedgerEntry.objects.count() == 2

    changed = ingest_location(
        jsonl, write_lines(tmp_path / "d.jsonl", ['{"id": 0, "amount": "5"}'])
    )
    assert changed.counts["corrected"] == 1
    assert LedgerEntry.objects.count() == 3  # no second reversal: a new revision only
    assert LedgerEntry.objects.get(idempotency_key="jsonl:0#r2").amount == 5


def test_unknown_donors_are_created_once_unverified(tmp_path, jsonl):
    lines = [json.dumps({"id": n, "amount": "1", "donor": "Ruritania"}) for n in range(5)]
    path = write_lines(tmp_path / "e.jsonl", lines)
    ingest_location(jsonl, path)
    ingest_location(jsonl, path)

    ruritania = Organization.objects.get(name="Ruritania")
    assert not ruritania.is_verified
    assert ruritania.commitments_given.count() == 1


def test_a_run_records_the_hash_of_what_it_read(tmp_path, jsonl):
    import hashlib

    path = write_lines(tmp_path / "f.jsonl", rows(2))
    run = ingest_location(jsonl, path)

    assert run.status == RunStatus.SUCCEEDED
    assert run.content_hash == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert run.finished_at is not None


def test_entries_cite_the_dataset_and_name_the_run(tmp_path, jsonl):
    run = ingest_location(jsonl, write_lines(tmp_path / "g.jsonl", rows(1)))

    entry = LedgerEntry.objects.get()
    assert entry.recorded_by == f"ingest run {run.pk}"
    assert entry.source.title == f"JSONL data: {tmp_path / 'g.jsonl'}"
    assert entry.source.retrieved_at is not None


@pytest.fixture
def jsonl_source(jsonl, tmp_path) -> IngestSource:
    return IngestSource.objects.create(
        name="Test lines", adapter=jsonl, location=write_lines(tmp_path / "s.jsonl", rows(4))
    )


def test_a_source_runs_under_its_lease_and_releases_it(jsonl_source):
    run = ingest_source(jsonl_source, trigger="command")

    assert run.status == RunStatus.SUCCEEDED
    assert run.source == jsonl_source
    jsonl_source.refresh_from_db()
    assert (jsonl_source.lease_holder, jsonl_source.lease_expires_at) == ("", None)


def test_a_source_whose_lease_is_held_is_not_run_twice_at_once(jsonl_source):
    acquire_lease(jsonl_source, holder="another worker", seconds=60)

    with pytest.raises(SourceBusy) as busy:
        ingest_source(jsonl_source, trigger="command")

    assert 55 < busy.value.retry_after <= 60
    assert not IngestRun.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_an_expired_lease_is_taken_over_and_the_dead_run_marked_failed(jsonl_source):
    dead = IngestRun.objects.create(
        source=jsonl_source, adapter="jsonl", location=jsonl_source.location, trigger="schedule"
    )
    IngestSource.objects.filter(pk=jsonl_source.pk).update(
        lease_holder="a killed worker", lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    run = ingest_source(jsonl_source, trigger="schedule")

    assert run.status == RunStatus.SUCCEEDED
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED
    assert dead.error == f"Interrupted: its worker stopped before the end; run {run.pk} took over."


def test_no_entry_key_is_used_twice(tmp_path, jsonl):
    path = write_lines(tmp_path / "h.jsonl", rows(5))
    for _ in range(3):
        ingest_location(jsonl, path)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT idempotency_key FROM ledger_ledgerentry "
            "GROUP BY idempotency_key HAVING count(*) > 1"
        )
        assert cursor.fetchall() == []
    assert LedgerEntry.objects.count() == 5


def test_content_an_earlier_run_landed_whole_is_not_read_again(tmp_path, jsonl, monkeypatch):
    path = write_lines(tmp_path / "i.jsonl", rows(4))
    first = ingest_location(jsonl, path)
    # Were the file read again, this adapter would fail.
    monkeypatch.setattr(JsonLinesAdapter, "read", lambda *args: iter([1 / 0]))

    again = ingest_location(jsonl, path)

    assert again.status == RunStatus.SUCCEEDED
    assert again.same_as == first
    assert again.counts == {"seen": 4, "created": 0, "unchanged": 4, "corrected": 0, "rejected": 0}
    assert again.content_hash == first.content_hash
    assert ingest_location(jsonl, path).same_as == first  # the first that read it


def test_other_options_other_content_or_full_read_it_again(tmp_path, jsonl):
    path = write_lines(tmp_path / "j.jsonl", rows(4))
    first = ingest_location(jsonl, path)

    with_options = ingest_location(jsonl, path, options={"publisher": "Someone"})
    full = ingest_location(jsonl, path, full=True)
    write_lines(tmp_path / "j.jsonl", rows(5))
    changed = ingest_location(jsonl, path)

    assert first.same_as is None
    assert (with_options.same_as, full.same_as, changed.same_as) == (None, None, None)
    assert full.counts["unchanged"] == 4
    assert changed.counts["created"] == 1


def test_content_with_rejections_is_always_read_again(tmp_path, jsonl):
    lines = [*rows(2), json.dumps({"id": 1, "amount": "99"})]  # a duplicate: rejected
    path = write_lines(tmp_path / "k.jsonl", lines)
    ingest_location(jsonl, path)

    again = ingest_location(jsonl, path)

    assert again.same_as is None
    assert again.counts["rejected"] == 1
