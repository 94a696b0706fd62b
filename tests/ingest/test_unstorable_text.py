"""A NUL character or a lone surrogate in one record rejects that record with its reason
and lets the others land, in every adapter (PostgreSQL refuses NUL in text, and no
database can encode a lone surrogate): it used to fail the whole run while saving the
rejection that was to explain it."""

import json
from pathlib import Path

import pytest

from ingest.models import IngestRun, RejectedRecord, RunStatus
from ingest.runner import ingest_location
from ingest.screening import storable
from ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

JORDAN_PAGE = "custom-search-locationid-114-year-2020-page-3.json"
CSV_HEADER = "id,donor,date,category,measure,amount,currency,explanation\n"


def counts(run: IngestRun) -> tuple[int, int, int, int, int]:
    return run.seen, run.created, run.unchanged, run.corrected, run.rejected


def rejections(run: IngestRun) -> dict[str, tuple[str, str]]:
    return {r.position: (r.raw, r.reason) for r in RejectedRecord.objects.filter(run=run)}


def csv_rows(bad_row: int, bad_cells: dict[str, str]) -> str:
    rows = []
    for number in range(1, 11):
        cells = {
            "id": f"DE-{number}",
            "donor": "Germany",
            "date": "2025-07-10",
            "category": "military",
            "measure": "pledge",
            "amount": str(number * 100),
            "currency": "EUR",
            "explanation": f"Package {number}",
        }
        if number == bad_row:
            cells.update(bad_cells)
        rows.append(",".join(cells.values()))
    return CSV_HEADER + "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("bad_cells", "reason"),
    [
        # The adapter rejects the row itself: its raw content and reason hold the NUL.
        ({"amount": "5\x000"}, "5\\x000 is not an amount."),
        # The row maps to an entry whose donor's name the ledger cannot store.
        (
            {"donor": "Ger\x00many"},
            "The record's commitment.donor.name contains a NUL character (U+0000) at "
            "offset 3; the ledger cannot store it.",
        ),
        (
            {"explanation": "IRIS-T\x00"},
            "The record's commitment.title contains a NUL character (U+0000) at offset 6; "
            "the ledger cannot store it.",
        ),
    ],
)
def test_a_csv_row_with_a_nul_is_rejected_and_the_nine_others_land(
    tmp_path: Path, ukraine, bad_cells: dict[str, str], reason: str
) -> None:
    path = tmp_path / "pledges.csv"
    path.write_text(csv_rows(4, bad_cells), encoding="utf-8")

    run = ingest_location("csv", str(path))

    assert run.status == RunStatus.PARTIALLY_SUCCEEDED, run.error
    assert counts(run) == (10, 9, 0, 0, 1)
    [(position, (raw, stored_reason))] = rejections(run).items()
    assert position == "line 5"
    assert stored_reason == reason
    assert "\x00" not in raw
    assert raw.startswith("DE-4,")
    assert raw == storable(csv_rows(4, bad_cells).splitlines()[4])
    assert sorted(LedgerEntry.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"csv:DE-{n}" for n in range(1, 11) if n != 4
    )


def test_fts_flows_with_nul_or_a_lone_surrogate_are_rejected_and_the_others_land(
    shared_dir: Path, ukraine, tmp_path: Path
) -> None:
    page = json.loads((shared_dir / "fixtures" / "fts" / JORDAN_PAGE).read_text())
    flows = page["data"]["flows"][:10]
    flows[1]["description"] = "Cash\u0000 assistance"
    flows[3]["description"] = "Food \ud800parcels"
    flows[5]["status"] = "paid\ud800"  # rejected by the adapter, its raw holding the surrogate
    page["data"]["flows"], page["meta"] = flows, {"count": 10}
    path = tmp_path / "flows.json"
    path.write_text(json.dumps(page))  # ASCII JSON: the characters travel as \u escapes
    assert "\\u0000" in path.read_text()
    assert "\\ud800" in path.read_text()

    run = ingest_location("fts", str(path))

    assert run.status == RunStatus.PARTIALLY_SUCCEEDED, run.error
    assert counts(run) == (10, 7, 0, 0, 3)
    found = rejections(run)
    ids = [flow["id"] for flow in flows]
    assert {position: reason for position, (_, reason) in found.items()} == {
        f"page 1, flows[1] (id {ids[1]})": "The record's commitment.title contains a NUL "
        "character (U+0000) at offset 4; the ledger cannot store it.",
        f"page 1, flows[3] (id {ids[3]})": "The record's commitment.title contains a lone "
        "surrogate (U+D800), which is not a character at offset 5; the ledger cannot store it.",
        f"page 1, flows[5] (id {ids[5]})": "The status 'paid\\ud800' is not one of pledge, "
        "commitment, paid.",
    }
    surrogate_raw = found[f"page 1, flows[5] (id {ids[5]})"][0]
    assert '"status": "paid\\ud800"' in surrogate_raw
    assert json.loads(surrogate_raw.replace("\\ud800", ""))["id"] == ids[5]
    assert LedgerEntry.objects.count() == 7
    assert not LedgerEntry.objects.filter(idempotency_key__in=[f"fts:{ids[i]}" for i in (1, 3, 5)])


IATI_WITH = """<?xml version="1.0"?>
<iati-activities version="2.03">
  <iati-activity>
    <iati-identifier>XM-1</iati-identifier>
    <title><narrative>Winter{bad}support</narrative></title>
  </iati-activity>
</iati-activities>
"""


@pytest.mark.parametrize(
    ("bad", "column"),
    [(b"\x00", 29), (b"&#0;", 33)],
)
def test_an_iati_file_with_a_nul_is_refused_naming_it(
    tmp_path: Path, ukraine, bad: bytes, column: int
) -> None:
    """XML cannot carry a NUL, raw or as ``&#0;``: lxml refuses the document, and the
    refusal says so in words and is stored."""
    path = tmp_path / "activities.xml"
    path.write_bytes(IATI_WITH.encode().replace(b"{bad}", bad))

    run = ingest_location("iati", str(path))

    assert run.status == RunStatus.FAILED
    rejection = RejectedRecord.objects.get(run=run)
    assert rejection.position == "document"
    assert rejection.reason.startswith(
        "The document is not well-formed XML: it contains a NUL character (U+0000) at "
        f"line 5, column {column}, which XML does not allow ("
    )
    assert run.error == f"The content was refused: {rejection.reason}"
    assert not LedgerEntry.objects.exists()


def test_storable_escapes_nul_and_lone_surrogates_only() -> None:
    assert storable("a\x00b\ud800c\udfffd😀é") == "a\\x00b\\ud800c\\udfffd😀é"
    assert storable("plain") == "plain"
