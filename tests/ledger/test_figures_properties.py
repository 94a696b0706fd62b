"""Property: whatever entries and reversals are written, the figures the database
computes equal a naive recomputation in Python ``Decimal``.

The rates are chosen so that every conversion is exact in decimal arithmetic: on
PostgreSQL (exact ``numeric``) the figures must match to the cent exactly; SQLite
computes in binary floating point and must agree within one cent.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ledger import services
from ledger.models import Commitment, LedgerEntry, Source, Stage
from ledger.selectors import figures, totals

RATES = {"EUR": Decimal(1), "USD": Decimal("1.25"), "GBP": Decimal("0.8"), "JPY": Decimal(160)}
START = date(2025, 1, 1)
CENT = Decimal("0.01")

amounts = st.decimals(
    min_value=Decimal("0.0001"), max_value=Decimal("5000000000"), places=4, allow_nan=False
)
days = st.integers(min_value=0, max_value=180).map(lambda n: START + timedelta(days=n))
record_op = st.tuples(
    st.just("record"),
    st.integers(min_value=0, max_value=1),  # which commitment
    st.sampled_from(Stage.values),
    amounts,
    st.sampled_from(sorted(RATES)),
    days,
)
reverse_op = st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=10_000))


def convert(entry: LedgerEntry, currency: str) -> Decimal:
    if entry.currency == currency:
        return entry.amount
    return entry.amount * RATES[currency] / RATES[entry.currency]


def naive_figures(entries: list[LedgerEntry], currency: str) -> dict[str, Decimal]:
    by_stage = {stage: Decimal(0) for stage in Stage.values}
    for entry in entries:
        sign = -1 if entry.reverses_id else 1
        by_stage[entry.stage] += sign * convert(entry, currency)
    committed = by_stage["commitment"] - by_stage["cancellation"]
    exact = {
        "pledged": by_stage["pledge"],
        "committed": committed,
        "allocated": by_stage["allocation"],
        "disbursed": by_stage["disbursement"],
        "outstanding": committed - by_stage["disbursement"],
    }
    return {name: value.quantize(CENT, rounding=ROUND_HALF_UP) for name, value in exact.items()}


class FiguresMatchANaiveRecomputation(TestCase):
    source: Source
    commitments: list[Commitment]

    @classmethod
    def setUpTestData(cls) -> None:
        services.create_organization(name="Ukraine", kind="state", country_code="UA")
        donor = services.create_organization(name="Norway", kind="state", country_code="NO")
        cls.source = services.record_source(title="Generated")
        cls.commitments = [
            services.create_commitment(
                donor=donor,
                title=f"Programme {n}",
                category="financial",
                announced_on=START,
                source=cls.source,
            )
            for n in range(2)
        ]
        services.record_fx_rates(
            rates=[(c, START, rate) for c, rate in RATES.items() if c != "EUR"],
            source=cls.source,
        )

    def write(self, operations: list[tuple]) -> list[LedgerEntry]:
        written: list[LedgerEntry] = []
        for operation in operations:
            if operation[0] == "record":
                _, which, stage, amount, currency, value_date = operation
                written.append(
                    services.record_entry(
                        commitment=self.commitments[which],
                        stage=stage,
                        amount=amount,
                        currency=currency,
                        value_date=value_date,
                        source=self.source,
                    )
                )
            elif written:
                target = written[operation[1] % len(written)]
                reversible = (
                    target.reverses_id is None
                    and not LedgerEntry.objects.filter(reverses=target).exists()
                )
                if reversible:
                    written.append(services.reverse_entry(entry=target, source=self.source))
        return written

    def assert_close(self, computed: dict, expected: dict) -> None:
        for name, value in expected.items():
            if connection.vendor == "postgresql":
                assert computed[name] == value, name
            else:
                assert abs(computed[name] - value) <= CENT, name

    @settings(max_examples=40, deadline=None)
    @given(
        operations=st.lists(st.one_of(record_op, reverse_op), max_size=20),
        currency=st.sampled_from(sorted(RATES)),
        as_of=st.none() | days,
    )
    def test_figures_per_commitment_and_in_total(self, operations, currency, as_of):
        written = self.write(operations)
        counted = [e for e in written if as_of is None or e.value_date <= as_of]

        rows = {
            row["commitment"]: row
            for row in figures(group_by=["commitment"], currency=currency, as_of=as_of)
        }
        for commitment in self.commitments:
            mine = [e for e in counted if e.commitment_id == commitment.pk]
            if not mine:
                assert commitment.pk not in rows
                continue
            self.assert_close(rows[commitment.pk], naive_figures(mine, currency))
            assert rows[commitment.pk]["entry_count"] == len(mine)

        total = totals(currency=currency, as_of=as_of)
        self.assert_close(total, naive_figures(counted, currency))
        assert total["entry_count"] == len(counted)
