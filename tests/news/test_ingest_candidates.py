"""What ``record_article`` stores of an extractor's findings: each ``Found`` as one
candidate, with its organizations, amounts and flags, once per article."""

import datetime as dt
from decimal import Decimal

import pytest

from ledger.models import Organization
from news.extraction.base import Found, Name
from news.models import Candidate
from news.services.articles import record_article

pytestmark = pytest.mark.django_db

TEXT = "Norway pledged 1.255 billion kroner to Kyiv on Thursday. Atlantis sent 5 tanks."


class Fixed:
    """An extractor that finds what it is given."""

    name = "test: fixed"

    def __init__(self, *found: Found) -> None:
        self.found = list(found)

    def extract(self, text: str, *, published_on: dt.date | None) -> list[Found]:
        return self.found


def pledge(ukraine: Organization, **changes: object) -> Found:
    fields: dict[str, object] = {
        "kind": "pledge",
        "evidence": TEXT[:56],
        "evidence_start": 0,
        "evidence_end": 56,
        "confidence": 0.9,
        "donor": Name("Norway", 0, 6),
        "recipient": Name("Kyiv", 45, 49, organization_id=ukraine.pk, canonical="Ukraine"),
        "amount": Decimal("1255000000.004"),
        "currency": "NOK",
        "date": dt.date(2025, 7, 10),
        "date_precision": "day",
    }
    return Found(**(fields | changes))  # type: ignore[arg-type]


def test_each_finding_is_one_candidate_with_its_names_and_flags(ukraine: Organization) -> None:
    found = pledge(ukraine)
    wrong_offsets = pledge(ukraine, evidence="Atlantis sent 5 tanks.", evidence_start=3)
    recorded = record_article(
        text=TEXT,
        published_on=dt.date(2025, 7, 10),
        extractor=Fixed(found, found, wrong_offsets, pledge(ukraine, confidence=1.7, amount=None)),
    )

    assert recorded.candidates == 2  # the same finding twice is one; wrong offsets none
    first, second = Candidate.objects.order_by("id")
    assert (first.donor_name, first.donor, first.recipient_name, first.recipient) == (
        "Norway",
        None,
        "Kyiv",
        ukraine,
    )
    assert first.flags == ["unmatched donor"]
    assert (first.amount, first.currency, first.date) == (
        Decimal("1255000000.00"),
        "NOK",
        dt.date(2025, 7, 10),
    )
    assert (first.extractor, first.status, first.article) == (
        "test: fixed",
        "pending",
        recorded.article,
    )
    assert (second.amount, second.confidence) == (None, 1.0)
    assert first.fingerprint != second.fingerprint
