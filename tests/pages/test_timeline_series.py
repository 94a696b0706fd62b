"""The series behind the timeline and coordination pages (``ledger.selectors.series``) on
the seed scenario: the cumulative figures are ``figures`` by day summed, the pause band
and its end agree with the pauses in force, and known_at hides what was not yet recorded."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ledger.models import Pause
from ledger.scenario import NATO_COORDINATION, US_LED_COORDINATION
from ledger.selectors import figures, pauses_in_force
from ledger.selectors.series import cumulative_figures, handovers, mandate_spans, pause_bands

BEFORE_THE_LEDGER = datetime(2001, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("currency", ["EUR", "USD", "UAH"])
def test_the_steps_are_the_daily_figures_summed(scenario: None, currency: str) -> None:
    steps = cumulative_figures(currency=currency)
    daily = figures(group_by=["day"], currency=currency)
    assert [s.day for s in steps] == [row["day"] for row in daily]
    assert steps, "the Rome pledge has a value date"
    for name in ("pledged", "committed", "disbursed"):
        assert getattr(steps[-1], name) == sum((row[name] for row in daily), Decimal(0))
    assert steps[-1].pledged == figures(group_by=["stage"], currency=currency)[0]["pledged"]


def test_the_rome_pledge_is_one_step_in_dollars(scenario: None) -> None:
    (step,) = cumulative_figures(currency="USD")
    assert (step.day, step.pledged, step.committed, step.disbursed) == (
        date(2025, 7, 10),
        Decimal("12000000000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert cumulative_figures(currency="USD", as_of=date(2025, 7, 9)) == []


def test_the_us_pause_band_runs_from_its_week_to_the_resumption(scenario: None) -> None:
    (band,) = pause_bands(on=date(2025, 7, 8))
    assert band.pause.paused_on == date(2025, 6, 30)
    assert band.pause.paused_on_precision == "week"
    assert (band.resumed_on, band.ends_on, band.in_force) == (date(2025, 7, 7),) * 2 + (False,)
    assert band.pause.ordered_by is not None
    assert band.pause.ordered_by.name == "United States Department of Defense"
    assert band.pause.description == "weapons shipments to Ukraine"


def test_on_5_july_the_band_stops_at_that_day_in_force(scenario: None) -> None:
    (band,) = pause_bands(on=date(2025, 7, 5))
    assert (band.resumed_on, band.ends_on, band.in_force) == (None, date(2025, 7, 5), True)
    assert pause_bands(on=date(2025, 6, 29)) == []


def test_in_force_agrees_with_the_pauses_selector(scenario: None) -> None:
    pause = Pause.objects.get()
    for offset in range(-2, 12):
        day = pause.paused_on + timedelta(days=offset)
        in_force = [b.pause.pk for b in pause_bands(on=day) if b.in_force]
        assert in_force == list(pauses_in_force(day).values_list("pk", flat=True)), day


def test_donor_and_category_narrow_the_bands(scenario: None) -> None:
    pause = Pause.objects.get()
    on = date(2025, 7, 8)
    assert pause_bands(on=on, donors=[pause.donor_id], category="military")
    assert pause_bands(on=on, category="humanitarian") == []
    assert pause_bands(on=on, donors=[pause.donor_id + 1000]) == []


def test_the_handover_to_nato(scenario: None) -> None:
    (handover,) = handovers(on=date(2025, 7, 8))
    assert handover.predecessor is not None
    assert (handover.predecessor.body.name, handover.body.name) == (
        US_LED_COORDINATION,
        NATO_COORDINATION,
    )
    assert handover.starts_on == date(2025, 1, 1)
    assert handover.responsibility.name == "Coordinating military aid for Ukraine"
    assert list(handovers(on=date(2024, 12, 31))) == []


def test_mandate_spans_end_at_the_handover_or_the_day_read(scenario: None) -> None:
    us_led, nato = mandate_spans(on=date(2025, 7, 8))
    assert (us_led.mandate.body.name, us_led.ended_on, us_led.shown_until) == (
        US_LED_COORDINATION,
        date(2025, 1, 1),
        date(2025, 1, 1),
    )
    assert (nato.mandate.body.name, nato.ended_on, nato.shown_until) == (
        NATO_COORDINATION,
        None,
        date(2025, 7, 8),
    )
    (before,) = mandate_spans(on=date(2024, 6, 1))
    assert (before.mandate.body.name, before.ended_on) == (US_LED_COORDINATION, None)


def test_known_at_before_the_facts_were_recorded_hides_them(scenario: None) -> None:
    on = date(2025, 7, 8)
    assert pause_bands(on=on, known_at=BEFORE_THE_LEDGER) == []
    assert list(handovers(on=on, known_at=BEFORE_THE_LEDGER)) == []
    assert mandate_spans(on=on, known_at=BEFORE_THE_LEDGER) == []
    assert cumulative_figures(currency="USD", known_at=BEFORE_THE_LEDGER) == []
    now = datetime.now(UTC) + timedelta(minutes=1)
    assert len(pause_bands(on=on, known_at=now)) == 1
    assert [s.mandate.pk for s in mandate_spans(on=on, known_at=now)] == [
        s.mandate.pk for s in mandate_spans(on=on)
    ]
    assert [s.ended_on for s in mandate_spans(on=on, known_at=now)] == [date(2025, 1, 1), None]
