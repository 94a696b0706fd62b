"""A service says whether it inserted the row it returns (``was_created``) or returned what
an earlier call wrote, so callers such as the API answer 201 or 200 from what happened,
not from a guess. The concurrent case is tests/api/test_races.py."""

from datetime import date
from decimal import Decimal

from ledger import services
from ledger.models import Commitment, LedgerEntry, Organization, Source


def test_an_entry_is_created_once_and_replayed_after(commitment: Commitment, source: Source):
    def record() -> LedgerEntry:
        return services.record_entry(
            commitment=commitment,
            stage="pledge",
            amount=Decimal("10"),
            currency="USD",
            value_date=date(2025, 1, 2),
            source=source,
            idempotency_key="k-1",
        )

    first, again = record(), record()
    assert services.was_created(first)
    assert not services.was_created(again)
    assert again == first


def test_a_reversal_is_created_once_and_replayed_after(commitment: Commitment, source: Source):
    entry = services.record_entry(
        commitment=commitment,
        stage="pledge",
        amount=Decimal("10"),
        currency="USD",
        value_date=date(2025, 1, 2),
        source=source,
    )
    first = services.reverse_entry(entry=entry, source=source, reason="Twice.")
    again = services.reverse_entry(entry=entry, source=source, reason="Twice.")
    assert services.was_created(first)
    assert not services.was_created(again)


def test_a_commitment_replayed_by_its_identifier_is_not_created(
    united_kingdom: Organization, ukraine: Organization, source: Source
):
    def create() -> Commitment:
        return services.create_commitment(
            donor=united_kingdom,
            title="Winter aid",
            category="humanitarian",
            announced_on=date(2025, 10, 1),
            source=source,
            identifiers={"iati": "GB-1"},
        )

    first, again = create(), create()
    assert services.was_created(first)
    assert not services.was_created(again)


def test_a_source_found_again_is_not_created(db: None):
    first = services.record_source(url="https://example.org/a", title="A")
    again = services.record_source(url="https://example.org/a", title="A")
    assert services.was_created(first)
    assert not services.was_created(again)
    assert not services.was_created(Source.objects.get(pk=first.pk))


def test_an_organization_is_created(db: None):
    assert services.was_created(services.create_organization(name="Caritas", kind="ngo"))
