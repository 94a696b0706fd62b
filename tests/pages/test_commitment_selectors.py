"""The selectors behind the donor and commitment pages, on both time axes."""

from datetime import date

from ledger.selectors import commitments_paused_on, figures_by_commitment
from ledger.selectors.details import (
    commitment_cumulative,
    commitment_entries,
    commitment_pauses,
    donor_commitments,
    donor_pauses,
)
from tests.pages.detail_world import DetailWorld, module_detail_world, world

__all__ = ["module_detail_world", "world"]  # the fixtures this module uses


def test_entries_pair_a_reversal_with_what_it_reverses(world: DetailWorld) -> None:
    rows = commitment_entries(commitment=world.air_defence)
    by_entry = {row.entry.pk: row for row in rows}
    assert list(by_entry) == [
        world.committed.pk,
        world.mistaken.pk,
        world.reversal.pk,
        world.disbursement.pk,
    ]
    assert by_entry[world.mistaken.pk].reversed_by == world.reversal
    assert by_entry[world.reversal.pk].entry.reverses == world.mistaken
    assert [s.pk for s in by_entry[world.committed.pk].sources] == [
        world.committed.source_id,
        world.further.pk,
    ]


def test_known_at_hides_what_was_recorded_later(world: DetailWorld) -> None:
    rows = commitment_entries(commitment=world.air_defence, known_at=world.before_disbursement)
    assert world.disbursement.pk not in {row.entry.pk for row in rows}
    rows = commitment_entries(commitment=world.air_defence, as_of=date(2025, 6, 19))
    assert [row.entry.pk for row in rows] == [world.committed.pk]


def test_pauses_cover_the_commitments_the_figures_hold(world: DetailWorld) -> None:
    """The pause page's rule for one commitment agrees with the selector the figures use."""
    on = date(2025, 7, 3)
    held = set(commitments_paused_on(on))
    for commitment in (world.air_defence, world.every_dollar, world.rome):
        rows = commitment_pauses(commitment=commitment, as_of=on)
        assert any(row.in_force for row in rows) == (commitment in held)
    assert world.air_defence in held


def test_a_pause_reads_as_it_stood_on_the_day(world: DetailWorld) -> None:
    (during,) = donor_pauses(donor=world.united_states, as_of=date(2025, 7, 5))
    assert during.in_force
    assert during.resumed_on is None
    (after,) = donor_pauses(donor=world.united_states, as_of=date(2025, 7, 8))
    assert not after.in_force
    assert after.resumed_on == date(2025, 7, 7)
    assert donor_pauses(donor=world.united_states, as_of=date(2025, 6, 1)) == []


def test_donor_commitments_and_the_cumulative_series(world: DetailWorld) -> None:
    assert list(donor_commitments(donor=world.united_states)) == [
        world.air_defence,
        world.every_dollar,
    ]
    assert list(donor_commitments(donor=world.united_states, as_of=date(2025, 1, 1))) == [
        world.every_dollar
    ]
    assert list(donor_commitments(donor=world.united_kingdom)) == []
    points = commitment_cumulative(commitment=world.air_defence, currency="USD")
    assert [p.month for p in points] == [date(2025, 6, 1), date(2025, 7, 1)]
    figures = figures_by_commitment([world.air_defence], currency="USD")[world.air_defence.pk]
    assert all(points[-1].figures[stage] == figures[stage] for stage in points[-1].figures)
