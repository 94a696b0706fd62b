"""Coordination bodies and mandates: one holder at a time, handovers asked for and recorded."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import Mandate
from ledger.selectors import mandate_holder, succession


@pytest.fixture
def military_aid(db):
    return services.create_responsibility(
        code="military-aid-coordination", name="Coordination of military aid to Ukraine"
    )


@pytest.fixture
def us_led(united_states):
    body = services.create_coordination_body(
        name="Security Assistance Group-Ukraine", acronym="SAG-U"
    )
    services.set_membership(body=body, organization=united_states, role="lead")
    return body


@pytest.fixture
def nato_led(db):
    return services.create_coordination_body(
        name="NATO Security Assistance and Training for Ukraine", acronym="NSATU"
    )


def test_a_handover_ends_the_holder_and_links_the_successor(military_aid, us_led, nato_led, source):
    first = services.assign_mandate(
        body=us_led, responsibility=military_aid, starts_on=date(2022, 11, 1), source=source
    )
    second = services.assign_mandate(
        body=nato_led,
        responsibility=military_aid,
        starts_on=date(2025, 1, 15),
        hands_over=True,
        source=source,
    )
    first.refresh_from_db()
    assert first.ends_on == date(2025, 1, 15)
    assert first.end_source == source
    assert second.predecessor == first
    holders = {
        day: getattr(mandate_holder(military_aid, day), "body", None)
        for day in (date(2022, 10, 31), date(2025, 1, 14), date(2025, 1, 15))
    }
    assert list(holders.values()) == [None, us_led, nato_led]
    assert [m.body for m in succession(military_aid)] == [us_led, nato_led]


def test_the_same_key_returns_the_first_mandate(military_aid, us_led, source):
    values = {
        "body": us_led,
        "responsibility": military_aid,
        "starts_on": date(2022, 11, 1),
        "source": source,
        "idempotency_key": "mandate-1",
    }
    assert services.assign_mandate(**values).pk == services.assign_mandate(**values).pk
    assert Mandate.objects.count() == 1


def test_an_overlapping_mandate_is_refused_and_nothing_is_written(
    military_aid, us_led, nato_led, source
):
    services.assign_mandate(
        body=us_led,
        responsibility=military_aid,
        starts_on=date(2022, 11, 1),
        ends_on=date(2025, 1, 15),
        source=source,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.assign_mandate(
            body=nato_led,
            responsibility=military_aid,
            starts_on=date(2024, 12, 1),
            source=source,
        )
    assert "overlaps" in excinfo.value.message_dict["starts_on"][0]
    assert Mandate.objects.count() == 1


def test_a_mandate_must_end_after_it_starts(military_aid, us_led, source):
    with pytest.raises(ValidationError) as excinfo:
        services.assign_mandate(
            body=us_led,
            responsibility=military_aid,
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 1, 1),
            source=source,
        )
    assert "ends_on" in excinfo.value.message_dict


def test_ending_a_mandate(military_aid, us_led, source):
    mandate = services.assign_mandate(
        body=us_led, responsibility=military_aid, starts_on=date(2022, 11, 1), source=source
    )
    ended = services.end_mandate(mandate=mandate, ends_on=date(2025, 1, 15), source=source)
    assert ended.ends_on == date(2025, 1, 15)
    with pytest.raises(ValidationError):
        services.end_mandate(mandate=mandate, ends_on=date(2025, 2, 1), source=source)


def test_memberships(us_led, united_states, united_kingdom):
    services.set_membership(body=us_led, organization=united_kingdom, role="member")
    assert {(m.organization.name, m.role) for m in us_led.memberships.all()} == {
        ("United States", "lead"),
        ("United Kingdom", "member"),
    }


def test_a_mandate_ended_by_a_later_handover_still_replays(military_aid, us_led, nato_led, source):
    values = {
        "body": us_led,
        "responsibility": military_aid,
        "starts_on": date(2022, 11, 1),
        "source": source,
        "idempotency_key": "mandate-us",
    }
    first = services.assign_mandate(**values)
    services.assign_mandate(
        body=nato_led,
        responsibility=military_aid,
        starts_on=date(2025, 1, 15),
        hands_over=True,
        source=source,
    )
    replayed = services.assign_mandate(**values)
    assert replayed.pk == first.pk
    assert replayed.ends_on == date(2025, 1, 15)
    with pytest.raises(ValidationError) as excinfo:
        services.assign_mandate(**{**values, "ends_on": date(2025, 2, 1)})
    assert "ends_on" in excinfo.value.message_dict["idempotency_key"][0]


def test_a_mandate_that_would_end_another_is_refused_unless_handed_over(
    military_aid, us_led, nato_led, source
):
    held = services.assign_mandate(
        body=us_led, responsibility=military_aid, starts_on=date(2022, 11, 1), source=source
    )
    with pytest.raises(services.MandateHeld) as excinfo:
        services.assign_mandate(
            body=nato_led, responsibility=military_aid, starts_on=date(2025, 1, 15), source=source
        )
    assert excinfo.value.holder == held
    (message,) = excinfo.value.message_dict["hands_over"]
    assert f"(mandate {held.pk})" in message
    assert excinfo.value.error_dict["hands_over"][0].code == "mandate_held"
    held.refresh_from_db()
    assert (held.ends_on, held.end_source) == (None, None)
    assert Mandate.objects.count() == 1


def test_a_handover_with_nothing_to_hand_over_is_refused(military_aid, nato_led, source):
    with pytest.raises(ValidationError) as excinfo:
        services.assign_mandate(
            body=nato_led,
            responsibility=military_aid,
            starts_on=date(2025, 1, 15),
            hands_over=True,
            source=source,
        )
    assert "nothing to hand over" in excinfo.value.message_dict["hands_over"][0]
    assert Mandate.objects.count() == 0


def test_a_handover_replayed_returns_the_same_mandate_and_predecessor(
    military_aid, us_led, nato_led, source
):
    held = services.assign_mandate(
        body=us_led, responsibility=military_aid, starts_on=date(2022, 11, 1), source=source
    )
    values = {
        "body": nato_led,
        "responsibility": military_aid,
        "starts_on": date(2025, 1, 15),
        "hands_over": True,
        "source": source,
        "idempotency_key": "handover-1",
    }
    first = services.assign_mandate(**values)
    again = services.assign_mandate(**values)
    assert (again.pk, again.predecessor_id) == (first.pk, held.pk)
    assert not services.was_created(again)
    assert Mandate.objects.count() == 2
    # The same key without the handover asks for something else.
    with pytest.raises(ValidationError) as excinfo:
        services.assign_mandate(**{**values, "hands_over": False})
    assert "hands_over" in excinfo.value.message_dict["idempotency_key"][0]
