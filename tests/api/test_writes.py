"""Writing through the API: every write goes through a service, so the API refuses what
the services refuse (400 naming the field), a retry with the same Idempotency-Key answers
200 with the first row and writes nothing, the same key for other content is a 409, and
entries are never changed or deleted (405). Editors write by session and by API key."""

import json
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db.models import Model
from rest_framework.test import APIClient

from ledger import services
from ledger.models import Commitment, Event, LedgerEntry, Mandate, Organization, Pause, Source
from tests.api.base import assert_error, new_key, post_json
from tests.api.world import World, entry_body

ENTRIES = "/api/v1/entries/"


post = post_json


# --- entries ----------------------------------------------------------------------------


def test_an_editor_records_an_entry(any_editor: APIClient, world: World) -> None:
    response = post(any_editor, ENTRIES, entry_body(world))
    assert response.status_code == 201, response.content
    body = response.json()
    entry = LedgerEntry.objects.get(pk=body["id"])
    assert (entry.stage, entry.amount, entry.currency) == ("disbursement", 100, "USD")
    assert body["amount"] == "100.0000"  # a decimal string, never a float
    assert body["commitment"]["id"] == world.drawdown.pk
    assert body["recorded_by"]  # who recorded it: the user, or the key's prefix


def test_the_recorder_is_the_user_or_the_key(
    editor: APIClient, editor_by_key: APIClient, world: World
) -> None:
    by_user = post(editor, ENTRIES, entry_body(world)).json()
    by_key = post(editor_by_key, ENTRIES, entry_body(world, amount="5")).json()
    assert by_user["recorded_by"] == "editor-user"
    assert by_key["recorded_by"].startswith("api-key:")


def test_a_replay_with_the_same_key_and_body_answers_200_with_the_first_entry(
    any_editor: APIClient, world: World
) -> None:
    first = post(any_editor, ENTRIES, entry_body(world), HTTP_IDEMPOTENCY_KEY="delivery-7")
    assert first.status_code == 201
    count = LedgerEntry.objects.count()
    again = post(any_editor, ENTRIES, entry_body(world), HTTP_IDEMPOTENCY_KEY="delivery-7")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert LedgerEntry.objects.count() == count


def test_the_key_may_come_in_the_body(editor: APIClient, world: World) -> None:
    body = entry_body(world, idempotency_key="delivery-8")
    first, again = post(editor, ENTRIES, body), post(editor, ENTRIES, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["idempotency_key"] == "delivery-8"


def test_a_key_in_the_header_and_another_in_the_body_is_400(
    editor: APIClient, world: World
) -> None:
    body = entry_body(world, idempotency_key="one")
    response = post(editor, ENTRIES, body, HTTP_IDEMPOTENCY_KEY="two")
    assert set(assert_error(response, 400)["fields"]) == {"idempotency_key"}


def test_the_same_key_with_another_body_is_409(editor: APIClient, world: World) -> None:
    post(editor, ENTRIES, entry_body(world), HTTP_IDEMPOTENCY_KEY="delivery-9")
    count = LedgerEntry.objects.count()
    response = post(
        editor, ENTRIES, entry_body(world, amount="101"), HTTP_IDEMPOTENCY_KEY="delivery-9"
    )
    body = assert_error(response, 409, "conflict")
    assert "idempotency_key" in body["fields"]
    assert "amount" in body["message"]  # says what differs
    assert LedgerEntry.objects.count() == count


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "a lot"}, "amount"),
        ({"stage": "promise"}, "stage"),
        ({"value_date": "2025-13-01"}, "value_date"),
        ({"commitment": 987654321}, "commitment"),
        ({"source": None}, "source"),
    ],
)
def test_an_invalid_entry_is_400_naming_the_field(
    editor: APIClient, world: World, changes: dict[str, Any], field: str
) -> None:
    count = LedgerEntry.objects.count()
    response = post(editor, ENTRIES, entry_body(world, **changes))
    assert field in assert_error(response, 400, "invalid")["fields"]
    assert LedgerEntry.objects.count() == count


def test_an_entry_without_a_source_is_400_naming_it(editor: APIClient, world: World) -> None:
    body = entry_body(world)
    del body["source"]
    assert "source" in assert_error(post(editor, ENTRIES, body), 400)["fields"]


def test_a_body_that_is_not_json_is_400(editor: APIClient, world: World) -> None:
    response = editor.post(ENTRIES, "{not json", content_type="application/json", **new_key())
    assert_error(response, 400, "parse_error")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_entries_are_never_changed_or_deleted(editor: APIClient, world: World, method: str) -> None:
    response = getattr(editor, method)(
        f"{ENTRIES}{world.pledge.pk}/", entry_body(world), format="json"
    )
    assert_error(response, 405, "method_not_allowed")
    assert LedgerEntry.objects.get(pk=world.pledge.pk).amount == 500


@pytest.mark.parametrize("body_format", ["json", "multipart", "form"])
def test_a_body_larger_than_the_limit_is_413(
    editor: APIClient, world: World, body_format: str
) -> None:
    """Django refuses to read more than DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads JSON and
    form bodies through request.body, multipart through Django's parser) and api/errors.py
    turns its RequestDataTooBig into a 413 in the error shape."""
    body = entry_body(world, note="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    count = LedgerEntry.objects.count()
    if body_format == "form":
        response = editor.post(
            ENTRIES, urlencode(body), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = editor.post(ENTRIES, body, format=body_format)
    assert_error(response, 413, "payload_too_large")
    assert LedgerEntry.objects.count() == count


def test_a_body_just_under_the_limit_is_read(editor: APIClient, world: World) -> None:
    body = entry_body(world, note="")
    room = settings.DATA_UPLOAD_MAX_MEMORY_SIZE - len(json.dumps(body)) - 100
    response = post(editor, ENTRIES, entry_body(world, note="x" * room))
    assert response.status_code == 201, response.content[:200]


# --- reversals --------------------------------------------------------------------------


def reverse(client: APIClient, entry: LedgerEntry, world: World, reason: str = "Typo.") -> Any:
    return post(
        client, f"{ENTRIES}{entry.pk}/reverse/", {"source": world.ministry.pk, "reason": reason}
    )


def test_reversing_an_entry_appends_its_mirror(any_editor: APIClient, world: World) -> None:
    response = reverse(any_editor, world.pledge, world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reverses"] == world.pledge.pk
    assert body["amount"] == "500.0000"
    assert body["signed_amount"] == "-500.0000"
    assert body["note"] == "Typo."
    assert LedgerEntry.objects.get(pk=world.pledge.pk).reversed_by.pk == body["id"]


def test_reversing_again_answers_200_with_the_same_reversal(
    editor: APIClient, world: World
) -> None:
    first = reverse(editor, world.pledge, world)
    count = LedgerEntry.objects.count()
    again = reverse(editor, world.pledge, world)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert LedgerEntry.objects.count() == count


def test_reversing_again_for_another_reason_is_409(editor: APIClient, world: World) -> None:
    reverse(editor, world.pledge, world)
    assert_error(reverse(editor, world.pledge, world, reason="Other."), 409, "conflict")


def test_a_reversal_cannot_be_reversed(editor: APIClient, world: World) -> None:
    body = assert_error(reverse(editor, world.reversal, world), 400, "invalid")
    assert "reverses" in body["fields"]


def test_reversing_needs_a_source_and_a_reason(editor: APIClient, world: World) -> None:
    response = post(editor, f"{ENTRIES}{world.pledge.pk}/reverse/", {})
    assert set(assert_error(response, 400)["fields"]) == {"source", "reason"}


def test_reversing_a_missing_entry_is_404(editor: APIClient, world: World) -> None:
    response = post(editor, f"{ENTRIES}987654321/reverse/", {"source": world.news.pk})
    assert_error(response, 404, "not_found")


# --- pauses -----------------------------------------------------------------------------


def pause_body(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "donor": world.united_kingdom.pk,
        "category": "military",
        "description": "air defence",
        "paused_on": "2025-08-04",
        "source": world.news.pk,
        **changes,
    }


def test_a_pause_is_recorded_then_resumed(any_editor: APIClient, world: World) -> None:
    created = post(any_editor, "/api/v1/pauses/", pause_body(world))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["resumed_on"] is None
    early = post(
        any_editor,
        f"/api/v1/pauses/{pk}/resume/",
        {"resumed_on": "2025-08-01", "source": world.ministry.pk},
    )
    assert "resumed_on" in assert_error(early, 400, "invalid")["fields"]
    resumed = post(
        any_editor,
        f"/api/v1/pauses/{pk}/resume/",
        {"resumed_on": "2025-08-11", "source": world.ministry.pk},
    )
    assert resumed.status_code == 200, resumed.content
    assert resumed.json()["resumed_on"] == "2025-08-11"
    assert resumed.json()["resumption_source"]["id"] == world.ministry.pk
    assert Pause.objects.get(pk=pk).resumed_on == date(2025, 8, 11)


def test_resuming_on_another_day_after_a_resumption_is_409(editor: APIClient, world: World) -> None:
    url = f"/api/v1/pauses/{world.weapons_pause.pk}/resume/"
    response = post(editor, url, {"resumed_on": "2025-07-09", "source": world.ministry.pk})
    assert_error(response, 409, "conflict")


def test_a_pause_overlapping_one_of_the_same_scope_is_400(editor: APIClient, world: World) -> None:
    post(editor, "/api/v1/pauses/", pause_body(world))
    response = post(editor, "/api/v1/pauses/", pause_body(world, paused_on="2025-08-05"))
    assert "paused_on" in assert_error(response, 400)["fields"]


def test_a_pause_without_donor_or_commitment_is_400(editor: APIClient, world: World) -> None:
    response = post(editor, "/api/v1/pauses/", pause_body(world, donor=None))
    assert "donor" in assert_error(response, 400)["fields"]


# --- the other writable resources --------------------------------------------------------


def creations(world: World) -> dict[str, tuple[dict[str, Any], type[Model], dict[str, Any], str]]:
    """Per resource: a valid body, its model, an invalid body and the field it names."""
    return {
        "organizations": (
            {"name": "Caritas", "kind": "ngo", "aliases": ["Caritas Internationalis"]},
            Organization,
            {"name": "Caritas", "kind": "charity"},
            "kind",
        ),
        "sources": (
            {"url": "https://example.org/press/3", "title": "Press note", "publisher": "MoD"},
            Source,
            {"url": "not a url", "title": "Press note"},
            "url",
        ),
        "commitments": (
            {
                "donor": world.united_kingdom.pk,
                "title": "Winter aid",
                "category": "humanitarian",
                "announced_on": "2025-10-01",
                "source": world.news.pk,
                "identifiers": {"other": "winter-2025"},
            },
            Commitment,
            {
                "donor": world.united_kingdom.pk,
                "title": "Winter aid",
                "category": "humanitarian",
                "announced_on": "2025-10-01",
                "period_start": "2025-10-01",
                "period_end": "2025-09-01",
                "source": world.news.pk,
            },
            "period_end",
        ),
        "mandates": (
            {
                "body": world.contact_group.pk,
                "responsibility": world.demining.pk,
                "starts_on": "2023-01-01",
                "ends_on": "2024-01-01",
                "source": world.news.pk,
            },
            Mandate,
            {
                "body": world.contact_group.pk,
                "responsibility": world.demining.pk,
                "starts_on": "2023-01-01",
                "ends_on": "2022-01-01",
                "source": world.news.pk,
            },
            "ends_on",
        ),
        "events": (
            {
                "kind": "statement",
                "title": "Joint statement",
                "occurred_on": "2025-02-24",
                "participants": [world.united_kingdom.pk, world.ukraine.pk],
                "source": world.news.pk,
            },
            Event,
            {"kind": "rumour", "title": "Joint statement", "occurred_on": "2025-02-24"},
            "kind",
        ),
    }


@pytest.mark.parametrize(
    "endpoint", ["organizations", "sources", "commitments", "mandates", "events"]
)
def test_an_editor_creates_a_row(any_editor: APIClient, world: World, endpoint: str) -> None:
    body, model, _, _ = creations(world)[endpoint]
    count = model._default_manager.count()
    response = post(any_editor, f"/api/v1/{endpoint}/", body)
    assert response.status_code == 201, response.content
    assert model._default_manager.count() == count + 1
    assert model._default_manager.filter(pk=response.json()["id"]).exists()


@pytest.mark.parametrize(
    "endpoint", ["organizations", "sources", "commitments", "mandates", "events"]
)
def test_an_invalid_row_is_400_naming_the_field(
    editor: APIClient, world: World, endpoint: str
) -> None:
    _, model, body, field = creations(world)[endpoint]
    count = model._default_manager.count()
    response = post(editor, f"/api/v1/{endpoint}/", body)
    assert field in assert_error(response, 400, "invalid")["fields"]
    assert model._default_manager.count() == count


def test_an_organization_name_already_taken_is_400(editor: APIClient, world: World) -> None:
    response = post(editor, "/api/v1/organizations/", {"name": "Washington", "kind": "ngo"})
    body = assert_error(response, 400)
    assert "name" in body["fields"]
    assert "United States" in body["message"]


def test_a_created_commitment_shows_its_figures(editor: APIClient, world: World) -> None:
    body = creations(world)["commitments"][0]
    created = post(editor, "/api/v1/commitments/", body).json()
    assert created["figures"]["pledged"] == "0.00"
    assert created["figures"]["currency"] == "EUR"
    assert created["identifiers"] == [{"scheme": "other", "value": "winter-2025"}]


def test_a_commitment_replayed_with_its_identifiers_answers_200(
    editor: APIClient, world: World
) -> None:
    body = creations(world)["commitments"][0]
    first = post(editor, "/api/v1/commitments/", body)
    again = post(editor, "/api/v1/commitments/", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_the_same_source_twice_answers_200_with_the_first(editor: APIClient, world: World) -> None:
    """The service returns the identical source rather than a copy: no row is created."""
    body = creations(world)["sources"][0]
    first = post(editor, "/api/v1/sources/", body)
    again = post(editor, "/api/v1/sources/", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_a_commitment_with_a_known_identifier_and_other_content_is_409(
    editor: APIClient, world: World
) -> None:
    body = creations(world)["commitments"][0]
    post(editor, "/api/v1/commitments/", body)
    response = post(editor, "/api/v1/commitments/", {**body, "title": "Spring aid"})
    assert_error(response, 409, "conflict")


def test_an_event_replayed_with_its_key_answers_200(editor: APIClient, world: World) -> None:
    body = creations(world)["events"][0]
    first = post(editor, "/api/v1/events/", body, HTTP_IDEMPOTENCY_KEY="statement-1")
    again = post(editor, "/api/v1/events/", body, HTTP_IDEMPOTENCY_KEY="statement-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize("endpoint", ["coordination-bodies", "fx-rates", "reported-totals"])
def test_read_only_resources_refuse_posts(editor: APIClient, world: World, endpoint: str) -> None:
    assert_error(post(editor, f"/api/v1/{endpoint}/", {}), 405, "method_not_allowed")


def test_a_write_the_service_refuses_leaves_nothing_behind(editor: APIClient, world: World) -> None:
    """An organization whose second alias is taken is refused whole: no half-made row."""
    count = Organization.objects.count()
    response = post(
        editor, "/api/v1/organizations/", {"name": "Caritas", "kind": "ngo", "aliases": ["UK"]}
    )
    assert "alias" in assert_error(response, 400)["fields"]
    assert Organization.objects.count() == count
    assert services.create_organization(name="Caritas", kind="ngo").pk
