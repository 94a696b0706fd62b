"""``POST /api/v1/mandates/`` hands a responsibility over only when asked: a mandate that
would end the open mandate another body holds is a 409 naming that mandate (its id and
URL), unless the body says ``"hands_over": true``; then the answer shows the mandate it
ended, and a replay of it answers the same.

In the world (tests/api/world.py) NATO's body holds demining open-ended from 2024-06-01."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger.models import Mandate
from tests.api.base import assert_error, post_json
from tests.api.world import World

MANDATES = "/api/v1/mandates/"


def takeover(world: World, **changes: Any) -> dict[str, Any]:
    """The contact group taking demining over from NATO's body on 2025-06-01."""
    return {
        "body": world.contact_group.pk,
        "responsibility": world.demining.pk,
        "starts_on": "2025-06-01",
        "source": world.ministry.pk,
        **changes,
    }


def test_a_mandate_that_would_end_another_is_409_naming_it(
    any_editor: APIClient, world: World
) -> None:
    held = world.demining_mandate
    count = Mandate.objects.count()
    response = post_json(any_editor, MANDATES, takeover(world))
    error = assert_error(response, 409, "conflict")
    assert error["fields"]["conflicting_mandate"] == [str(held.pk)]
    (url,) = error["fields"]["conflicting_mandate_url"]
    assert url == f"http://testserver/api/v1/mandates/{held.pk}/"
    assert any_editor.get(url).json()["id"] == held.pk
    (message,) = error["fields"]["hands_over"]
    assert f"(mandate {held.pk})" in message
    assert '"hands_over": true' in message
    assert error["message"] == f"hands_over: {message}"
    held.refresh_from_db()
    assert held.ends_on is None
    assert Mandate.objects.count() == count


def test_a_handover_asked_for_ends_the_holder_and_shows_it(
    any_editor: APIClient, world: World
) -> None:
    held = world.demining_mandate
    response = post_json(any_editor, MANDATES, takeover(world, hands_over=True))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["predecessor"] == held.pk
    assert body["ended"] == {
        "id": held.pk,
        "url": f"http://testserver/api/v1/mandates/{held.pk}/",
        "body": {
            "id": world.nato_body.pk,
            "url": f"http://testserver/api/v1/coordination-bodies/{world.nato_body.pk}/",
            "name": world.nato_body.name,
            "acronym": world.nato_body.acronym,
        },
        "starts_on": "2024-06-01",
        "ends_on": "2025-06-01",
    }
    held.refresh_from_db()
    assert (str(held.ends_on), held.end_source) == ("2025-06-01", world.ministry)


def test_a_handover_replayed_answers_200_with_the_same_result(
    editor: APIClient, world: World
) -> None:
    body = takeover(world, hands_over=True)
    first = post_json(editor, MANDATES, body, HTTP_IDEMPOTENCY_KEY="demining-handover")
    count = Mandate.objects.count()
    again = post_json(editor, MANDATES, body, HTTP_IDEMPOTENCY_KEY="demining-handover")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert again.json()["ended"]["id"] == world.demining_mandate.pk
    assert Mandate.objects.count() == count


def test_the_key_of_a_handover_replayed_without_it_is_409(editor: APIClient, world: World) -> None:
    key = {"HTTP_IDEMPOTENCY_KEY": "demining-handover"}
    post_json(editor, MANDATES, takeover(world, hands_over=True), **key)
    response = post_json(editor, MANDATES, takeover(world), **key)
    error = assert_error(response, 409, "conflict")
    assert "hands_over" in error["fields"]["idempotency_key"][0]


def test_a_mandate_that_ends_no_other_says_so(editor: APIClient, world: World) -> None:
    body = takeover(world, starts_on="2023-01-01", ends_on="2024-01-01")
    response = post_json(editor, MANDATES, body)
    assert response.status_code == 201, response.content
    assert (response.json()["ended"], response.json()["predecessor"]) == (None, None)


def test_a_handover_with_nothing_to_hand_over_is_400_naming_it(
    editor: APIClient, world: World
) -> None:
    count = Mandate.objects.count()
    body = takeover(world, starts_on="2023-01-01", ends_on="2024-01-01", hands_over=True)
    error = assert_error(post_json(editor, MANDATES, body), 400, "invalid")
    assert set(error["fields"]) == {"hands_over"}
    assert Mandate.objects.count() == count


@pytest.mark.parametrize("value", ["perhaps", [], {}])
def test_hands_over_must_be_a_boolean(editor: APIClient, world: World, value: Any) -> None:
    response = post_json(editor, MANDATES, takeover(world, hands_over=value))
    assert set(assert_error(response, 400, "invalid")["fields"]) == {"hands_over"}
