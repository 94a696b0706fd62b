"""Pausing and resuming through the services, and which pauses were in force when."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import Pause
from ledger.selectors import commitments_paused_on, pauses_in_force


@pytest.fixture
def weapons_pause(united_states, source):
    return services.pause(
        donor=united_states,
        category="military",
        description="certain weapons, incl. Patriot interceptors",
        paused_on=date(2025, 7, 1),
        source=source,
        idempotency_key="pause-1",
    )


def test_a_pause_is_in_force_from_its_first_day_until_it_is_resumed(weapons_pause, source):
    assert weapons_pause.recorded_at is not None
    assert list(pauses_in_force(date(2025, 6, 30))) == []
    assert list(pauses_in_force(date(2025, 7, 1))) == [weapons_pause]
    resumption = services.record_source(title="Shipments resume", publisher="Example News")
    services.resume(pause=weapons_pause, resumed_on=date(2025, 7, 7), source=resumption)
    assert list(pauses_in_force(date(2025, 7, 5))) == [weapons_pause]
    assert list(pauses_in_force(date(2025, 7, 7))) == []
    assert list(pauses_in_force(date(2025, 7, 8))) == []


def test_as_known_before_the_resumption_was_recorded_the_pause_was_in_force(weapons_pause, source):
    resumed = services.resume(pause=weapons_pause, resumed_on=date(2025, 7, 7), source=source)
    assert resumed.resumption_recorded_at is not None
    assert resumed.resumption_recorded_at >= resumed.recorded_at
    assert list(pauses_in_force(date(2025, 7, 8), known_at=resumed.recorded_at)) in (
        [weapons_pause],
        [],  # the same statement time on a fast machine: both ends known together
    )
    assert list(pauses_in_force(date(2025, 7, 8), known_at=resumed.resumption_recorded_at)) == []


def test_the_same_key_returns_the_first_pause(weapons_pause, united_states, source):
    again = services.pause(
        donor=united_states,
        category="military",
        description="certain weapons, incl. Patriot interceptors",
        paused_on=date(2025, 7, 1),
        source=source,
        idempotency_key="pause-1",
    )
    assert again.pk == weapons_pause.pk
    assert Pause.objects.count() == 1


def test_pausing_a_scope_already_paused_is_refused(weapons_pause, united_states, source):
    with pytest.raises(ValidationError) as excinfo:
        services.pause(
            donor=united_states, category="military", paused_on=date(2025, 7, 3), source=source
        )
    assert "already paused" in excinfo.value.message_dict["paused_on"][0]


def test_resumed_before_paused_is_refused_and_nothing_changes(weapons_pause, source):
    with pytest.raises(ValidationError) as excinfo:
        services.resume(pause=weapons_pause, resumed_on=date(2025, 6, 30), source=source)
    assert "before the pause began" in excinfo.value.message_dict["resumed_on"][0]
    weapons_pause.refresh_from_db()
    assert weapons_pause.resumed_on is None


def test_resuming_twice_the_same_way_is_harmless_another_way_is_refused(weapons_pause, source):
    first = services.resume(pause=weapons_pause, resumed_on=date(2025, 7, 7), source=source)
    again = services.resume(pause=weapons_pause, resumed_on=date(2025, 7, 7), source=source)
    assert again.resumption_recorded_at == first.resumption_recorded_at
    with pytest.raises(ValidationError) as excinfo:
        services.resume(pause=weapons_pause, resumed_on=date(2025, 7, 9), source=source)
    assert "already resumed" in excinfo.value.message_dict["resumed_on"][0]


def test_a_commitment_pause_takes_the_commitments_donor(commitment, source, united_kingdom):
    paused = services.pause(commitment=commitment, paused_on=date(2025, 7, 1), source=source)
    assert paused.donor_id == commitment.donor_id
    with pytest.raises(ValidationError) as excinfo:
        services.pause(
            commitment=commitment, donor=united_kingdom, paused_on=date(2025, 8, 1), source=source
        )
    assert "commitment" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.pause(
            commitment=commitment, category="military", paused_on=date(2025, 8, 1), source=source
        )
    assert "category" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "weapons"}, "category"),
        ({"source": None}, "source"),
        ({"donor": None}, "donor"),
    ],
)
def test_invalid_pauses_are_refused_with_a_field_message(united_states, source, overrides, field):
    values = {"donor": united_states, "paused_on": date(2025, 7, 1), "source": source}
    with pytest.raises(ValidationError) as excinfo:
        services.pause(**{**values, **overrides})
    assert field in excinfo.value.message_dict
    assert Pause.objects.count() == 0


def test_which_commitments_were_paused_on_a_date(
    commitment, source, united_states, make_commitment
):
    humanitarian = make_commitment(
        united_states, title="Winter aid", category="humanitarian", announced_on=date(2025, 1, 5)
    )
    military_pause = services.pause(
        donor=united_states, category="military", paused_on=date(2025, 7, 1), source=source
    )
    assert list(commitments_paused_on(date(2025, 6, 30))) == []
    assert list(commitments_paused_on(date(2025, 7, 2))) == [commitment]
    services.pause(donor=united_states, paused_on=date(2025, 8, 1), source=source)
    assert set(commitments_paused_on(date(2025, 8, 1))) == {commitment, humanitarian}
    services.resume(pause=military_pause, resumed_on=date(2025, 7, 7), source=source)
    assert list(commitments_paused_on(date(2025, 7, 7))) == []
    assert list(commitments_paused_on(date(2025, 7, 8), known_at=military_pause.recorded_at)) == [
        commitment
    ]
