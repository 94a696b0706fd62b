"""The CSV adapter through a real run: lenient headers, each bad row rejected with its
line, the rest landing exactly once, and an edited row corrected."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.models import RunStatus
from ingest.runner import ingest_location
from ledger.models import Commitment, LedgerEntry, Organization, Source

pytestmark = pytest.mark.django_db

KIEL_LIKE = (
    "\ufeffDonor;Announcement date;Type of Aid General;Measure;Reported value;Currency;"
    "Source of information;Explanation;ID\n"
    """\
Germany;2025-07-10;Military;Allocation;1500000;EUR;https://example.org/de;IRIS-T;DE-1
"""
)


def write(tmp_path: Path, text: str, name: str = "aid.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def germany(db: None) -> Organization:
    from ledger import services

    return services.create_organization(
        name="Germany", kind="state", country_code="DE", aliases=["Deutschland"]
    )


GOOD_AND_BAD = """\
donor,announcement_date,aid-category,MEASURE,amount,currency,source url,explanation
Germany,2025-07-10,military,allocation,"1,500,000.50",EUR,https://example.org/a,IRIS-T ammunition
Deutschland,2025-07,Humanitarian,pledged,2000000,usd,,Field hospitals
Freedonia,2025,financial,delivered,300,GBP,https://example.org/b,Budget support
Germany,2025-07-11,military,teleported,5,EUR,,Bad measure
Germany,2025-07-11,naval,pledge,5,EUR,,Bad category
Germany,2025-07-11,military,pledge,-5,EUR,,Negative
Germany,11.07.2025,military,pledge,5,XXQ,,Unknown currency
Germany,2025-13-40,military,pledge,5,EUR,,Bad date

,,,,,,,
"""


def test_good_rows_land_and_each_bad_row_is_rejected_with_its_line(tmp_path, ukraine, germany):
    run = ingest_location("csv", write(tmp_path, GOOD_AND_BAD))

    assert run.status == RunStatus.PARTIALLY_SUCCEEDED
    assert run.counts == {"seen": 8, "created": 3, "unchanged": 0, "corrected": 0, "rejected": 5}
    reasons = {r.position: r.reason for r in run.rejections.all()}
    assert set(reasons) == {"line 5", "line 6", "line 7", "line 8", "line 9"}
    assert "teleported is not a measure" in reasons["line 5"]
    assert "naval is not an aid category" in reasons["line 6"]
    assert "greater than zero" in reasons["line 7"]
    assert "XXQ is not an ISO 4217 currency code" in reasons["line 8"]
    assert "2025-13-40 is not a date" in reasons["line 9"]
    assert run.rejections.get(position="line 5").raw.startswith("Germany,2025-07-11,military")

    iris = LedgerEntry.objects.get(note="IRIS-T ammunition")
    assert (iris.stage, iris.amount, iris.currency, iris.value_date) == (
        "allocation",
        Decimal("1500000.5000"),
        "EUR",
        date(2025, 7, 10),
    )
    assert iris.commitment.donor == germany  # by name
    assert iris.commitment.recipient == ukraine  # the default recipient
    assert iris.source.url == "https://example.org/a"

    hospitals = LedgerEntry.objects.get(note="Field hospitals")
    assert hospitals.commitment.donor == germany  # by alias
    assert (hospitals.currency, hospitals.value_date_precision) == ("USD", "month")
    assert hospitals.commitment.announced_on == date(2025, 7, 1)
    # A row without its own source cites the dataset it came from.
    assert hospitals.source.title.startswith("CSV data:")

    freedonia = Organization.objects.get(name="Freedonia")
    assert not freedonia.is_verified  # created for an editor to confirm or merge


def test_running_the_same_file_again_creates_nothing(tmp_path, ukraine, germany):
    path = write(tmp_path, GOOD_AND_BAD)
    ingest_location("csv", path)
    counts = (LedgerEntry.objects.count(), Commitment.objects.count(), Source.objects.count())

    again = ingest_location("csv", path)

    assert again.counts == {"seen": 8, "created": 0, "unchanged": 3, "corrected": 0, "rejected": 5}
    assert (LedgerEntry.objects.count(), Commitment.objects.count(), Source.objects.count()) == (
        counts
    )
    assert Organization.objects.filter(name__iexact="freedonia").count() == 1


def test_a_row_with_an_id_edited_since_is_corrected_by_a_reversal_and_a_new_entry(
    tmp_path, ukraine, germany
):
    header = "id,donor,date,category,measure,amount,currency\n"
    path = write(tmp_path, header + "K-7,Germany,2025-07-10,military,commitment,100,EUR\n")
    first = ingest_location("csv", path)
    assert first.created == 1
    path = write(tmp_path, header + "K-7,Germany,2025-07-10,military,commitment,120,EUR\n")

    second = ingest_location("csv", path)
    third = ingest_location("csv", path)

    assert second.counts == {"seen": 1, "created": 0, "unchanged": 0, "corrected": 1, "rejected": 0}
    assert third.counts == {"seen": 1, "created": 0, "unchanged": 1, "corrected": 0, "rejected": 0}
    original = LedgerEntry.objects.get(idempotency_key="csv:K-7")
    replacement = LedgerEntry.objects.get(idempotency_key="csv:K-7#r2")
    reversal = LedgerEntry.objects.get(reverses=original)
    assert (original.amount, reversal.amount, replacement.amount) == (100, 100, 120)
    assert replacement.commitment.identifiers.get().value == "K-7"
    assert LedgerEntry.objects.count() == 3


def test_identical_rows_without_ids_are_two_records(tmp_path, ukraine, germany):
    row = "Germany,2025-07-10,military,disbursement,10,EUR\n"
    path = write(tmp_path, "donor,date,category,measure,amount,currency\n" + row + row)

    run = ingest_location("csv", path)

    assert run.created == 2
    assert LedgerEntry.objects.filter(amount=10).count() == 2
    assert Commitment.objects.count() == 1


def test_semicolons_a_bom_and_kiel_headers_are_understood(tmp_path, ukraine, germany):
    run = ingest_location("csv", write(tmp_path, KIEL_LIKE))

    assert run.counts["created"] == 1, list(run.rejections.values_list("reason", flat=True))
    entry = LedgerEntry.objects.get()
    assert entry.amount == Decimal("1500000")
    assert entry.commitment.identifiers.get().scheme == "kiel"


def test_options_supply_the_donor_currency_and_recipient(tmp_path, ukraine, germany):
    poland = Organization.objects.create(name="Poland", kind="state", country_code="PL")
    path = write(tmp_path, "date,category,measure,amount\n2025-01-02,humanitarian,pledge,7\n")

    run = ingest_location(
        "csv", path, options={"donor": "Germany", "currency": "PLN", "recipient": "PL"}
    )

    assert run.created == 1
    entry = LedgerEntry.objects.get()
    assert (entry.commitment.donor, entry.commitment.recipient, entry.currency) == (
        germany,
        poland,
        "PLN",
    )


def test_a_file_missing_a_needed_column_is_rejected_whole(tmp_path, ukraine):
    run = ingest_location("csv", write(tmp_path, "donor,amount\nGermany,5\n"))

    assert run.status == RunStatus.FAILED
    (rejection,) = run.rejections.all()
    assert rejection.position == "line 1"
    assert "Missing column(s): announcement date, aid category, measure, currency" in (
        rejection.reason
    )
    assert not LedgerEntry.objects.exists()


def test_a_file_that_is_not_utf8_is_rejected(tmp_path, ukraine):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "donor,date,category,measure,amount,currency\nMünchen,2025,military,pledge,1,EUR\n".encode(
            "latin-1"
        )
    )

    run = ingest_location("csv", str(path))

    assert run.status == RunStatus.FAILED
    assert "not UTF-8" in run.rejections.get().reason
    assert not LedgerEntry.objects.exists()
