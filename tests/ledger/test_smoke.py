from datetime import date
from decimal import Decimal

from ledger import services
from ledger.selectors import figures


def test_an_entry_shows_in_the_figures(commitment, source, usd_rates):
    services.record_entry(
        commitment=commitment,
        stage="commitment",
        amount=Decimal("100"),
        currency="USD",
        value_date=date(2025, 1, 10),
        source=source,
    )
    (row,) = figures(group_by=["donor"], currency="EUR")
    assert row["committed"] == Decimal("80.00")
