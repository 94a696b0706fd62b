"""Figures on two time axes, through the selectors, with exchange rates and pauses."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.selectors import figures, totals

D = Decimal


def entry(commitment, source, stage, amount, value_date, currency="USD"):
    return services.record_entry(
        commitment=commitment,
        stage=stage,
        amount=D(amount),
        currency=currency,
        value_date=value_date,
        source=source,
    )


def one_row(**kwargs):
    (row,) = figures(**kwargs)
    return row


def later():
    """Let the clock move on, so the next write is recorded strictly later."""
    time.sleep(0.01)


@pytest.fixture
def ledger(commitment, source):
    """A commitment with one entry per stage in USD, a reversal and a cancellation."""
    entry(commitment, source, "pledge", "500", date(2025, 1, 2))
    entry(commitment, source, "commitment", "300", date(2025, 1, 10))
    entry(commitment, source, "allocation", "200", date(2025, 2, 1))
    delivered = entry(commitment, source, "disbursement", "120", date(2025, 2, 5))
    entry(commitment, source, "disbursement", "30", date(2025, 3, 1))
    entry(commitment, source, "cancellation", "50", date(2025, 3, 5))
    services.reverse_entry(entry=delivered, source=source, reason="counted twice")
    return commitment


def test_each_stage_sums_its_entries_and_reversals_count_negatively(ledger):
    row = one_row(group_by=["commitment"], currency="USD")
    assert row["commitment"] == ledger.pk
    assert row["pledged"] == D("500")
    assert row["committed"] == D("250")  # 300 committed less 50 cancelled
    assert row["allocated"] == D("200")
    assert row["disbursed"] == D("30")  # 120 reversed, 30 left
    assert row["outstanding"] == D("220")
    assert row["on_hold"] == D("0")
    assert row["entry_count"] == 7
    assert row["unconverted_entries"] == 0


def test_as_of_keeps_entries_whose_value_date_has_come(ledger):
    row = one_row(group_by=["donor"], currency="USD", as_of=date(2025, 2, 5))
    assert (row["pledged"], row["committed"], row["disbursed"]) == (D("500"), D("300"), D("0"))
    # The reversal carries the original's value date, so it cancels it on every date.
    assert row["entry_count"] == 5
    before = one_row(group_by=["donor"], currency="USD", as_of=date(2025, 1, 9))
    assert (before["pledged"], before["committed"]) == (D("500"), D("0"))


def test_known_at_shows_what_the_ledger_said_then(commitment, source):
    first = entry(commitment, source, "commitment", "100", date(2025, 1, 10))
    later()
    correction = services.reverse_entry(entry=first, source=source, reason="wrong")
    later()
    entry(commitment, source, "commitment", "80", date(2025, 1, 10))

    said_then = one_row(group_by=["commitment"], currency="USD", known_at=first.recorded_at)
    assert said_then["committed"] == D("100")
    said_after_reversal = one_row(
        group_by=["commitment"], currency="USD", known_at=correction.recorded_at
    )
    assert said_after_reversal["committed"] == D("0")
    assert one_row(group_by=["commitment"], currency="USD")["committed"] == D("80")


def test_both_axes_together(commitment, source):
    early = entry(commitment, source, "disbursement", "10", date(2025, 3, 1))
    later()
    entry(commitment, source, "disbursement", "20", date(2025, 1, 1))
    # Known then: only the March delivery, which had not happened by 1 February.
    both = totals(currency="USD", as_of=date(2025, 2, 1), known_at=early.recorded_at)
    assert (both["disbursed"], both["entry_count"]) == (D("0"), 0)
    assert not figures(
        group_by=["donor"], currency="USD", as_of=date(2025, 2, 1), known_at=early.recorded_at
    )
    assert totals(currency="USD", as_of=date(2025, 2, 1))["disbursed"] == D("20")
    assert totals(currency="USD", known_at=early.recorded_at)["disbursed"] == D("10")


def test_naive_known_at_is_refused(commitment):
    from datetime import datetime

    with pytest.raises(ValidationError) as excinfo:
        figures(group_by=["donor"], known_at=datetime(2025, 1, 1))
    assert "known_at" in excinfo.value.message_dict


def test_amounts_convert_at_the_rate_of_their_value_date_or_the_nearest_earlier(
    commitment, source, usd_rates
):
    # USD 1.25 per euro from 2 Jan, 1.0 from 3 Feb; GBP 0.8 per euro from 2 Jan.
    entry(commitment, source, "commitment", "125", date(2025, 1, 2))  # that day's rate
    entry(commitment, source, "commitment", "250", date(2025, 1, 20))  # 2 Jan's rate
    entry(commitment, source, "commitment", "40", date(2025, 2, 3), currency="GBP")
    row = one_row(group_by=["commitment"], currency="EUR")
    assert row["committed"] == D("100") + D("200") + D("50")
    in_gbp = one_row(group_by=["commitment"], currency="GBP")
    # 125 USD = 100 EUR = 80 GBP; 250 USD = 200 EUR = 160 GBP; 40 GBP stays 40.
    assert in_gbp["committed"] == D("280")
    in_usd = one_row(group_by=["commitment"], currency="USD")
    # GBP on 3 Feb: 40 / 0.8 = 50 EUR, times USD 1.0 that day = 50 USD.
    assert in_usd["committed"] == D("425")


def test_an_entry_without_a_rate_is_counted_not_guessed(commitment, source, usd_rates):
    entry(commitment, source, "commitment", "100", date(2024, 12, 31))  # before any rate
    entry(commitment, source, "commitment", "125", date(2025, 1, 2))
    row = one_row(group_by=["commitment"], currency="EUR")
    assert row["committed"] == D("100")
    assert row["unconverted_entries"] == 1


def test_unknown_currency_or_grouping_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        figures(group_by=["donor"], currency="EURO")
    assert "currency" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        figures(group_by=["planet"])
    assert "planet" in excinfo.value.message_dict["group_by"][0]


def test_grouping_by_donor_category_recipient_and_month(
    commitment, source, united_kingdom, make_commitment
):
    uk_aid = make_commitment(
        united_kingdom,
        title="Humanitarian aid",
        category="humanitarian",
        announced_on=date(2025, 1, 16),
    )
    entry(commitment, source, "disbursement", "10", date(2025, 1, 5))
    entry(commitment, source, "disbursement", "15", date(2025, 1, 25))
    entry(commitment, source, "disbursement", "20", date(2025, 2, 5))
    entry(uk_aid, source, "disbursement", "7", date(2025, 1, 20))

    by_donor = {
        r["donor_name"]: r["disbursed"] for r in figures(group_by=["donor"], currency="USD")
    }
    assert by_donor == {"United Kingdom": D("7"), "United States": D("45")}
    by_category = {
        r["category"]: r["disbursed"] for r in figures(group_by=["category"], currency="USD")
    }
    assert by_category == {"humanitarian": D("7"), "military": D("45")}
    by_month = [
        (r["month"], r["disbursed"])
        for r in figures(group_by=["donor", "month"], currency="USD")
        if r["donor_name"] == "United States"
    ]
    assert by_month == [(date(2025, 1, 1), D("25")), (date(2025, 2, 1), D("20"))]
    (by_recipient,) = figures(group_by=["recipient"], currency="USD")
    assert (by_recipient["recipient_name"], by_recipient["disbursed"]) == ("Ukraine", D("52"))
    assert {r["year"] for r in figures(group_by=["year"], currency="USD")} == {2025}


def test_on_hold_is_the_outstanding_part_of_paused_commitments(
    commitment, source, united_states, united_kingdom, make_commitment
):
    entry(commitment, source, "commitment", "100", date(2025, 6, 1))
    entry(commitment, source, "disbursement", "30", date(2025, 6, 15))
    uk_aid = make_commitment(
        united_kingdom, title="Air defence", category="military", announced_on=date(2025, 6, 1)
    )
    entry(uk_aid, source, "commitment", "50", date(2025, 6, 1))

    pause = services.pause(
        donor=united_states,
        category="military",
        description="certain weapons",
        paused_on=date(2025, 7, 2),
        source=source,
    )
    later()
    services.resume(pause=pause, resumed_on=date(2025, 7, 7), source=source)

    def on_hold(on, **kwargs):
        return {
            r["donor_name"]: r["on_hold"]
            for r in figures(group_by=["donor"], currency="USD", as_of=on, **kwargs)
        }

    assert on_hold(date(2025, 7, 1)) == {"United Kingdom": D("0"), "United States": D("0")}
    assert on_hold(date(2025, 7, 5)) == {"United Kingdom": D("0"), "United States": D("70")}
    assert on_hold(date(2025, 7, 7)) == {"United Kingdom": D("0"), "United States": D("0")}
    # Before the resumption was recorded, the ledger still said the pause was in force.
    pause.refresh_from_db()
    assert on_hold(date(2025, 7, 8), known_at=pause.recorded_at)["United States"] == D("70")
    assert on_hold(date(2025, 7, 8), known_at=pause.resumption_recorded_at)["United States"] == D(
        "0"
    )


def test_a_pause_of_one_commitment_holds_only_that_one(
    commitment, source, united_states, make_commitment
):
    other = make_commitment(
        united_states, title="Another package", category="military", announced_on=date(2025, 6, 1)
    )
    entry(commitment, source, "commitment", "100", date(2025, 6, 1))
    entry(other, source, "commitment", "40", date(2025, 6, 1))
    services.pause(commitment=other, paused_on=date(2025, 7, 1), source=source)
    held = {
        r["commitment"]: r["on_hold"]
        for r in figures(group_by=["commitment"], currency="USD", as_of=date(2025, 7, 2))
    }
    assert held == {commitment.pk: D("0"), other.pk: D("40")}


def test_totals_of_an_empty_ledger_are_zero(db):
    row = totals()
    assert row["committed"] == D("0")
    assert row["entry_count"] == 0
