"""API clients must name an idempotency key for every write of a dated fact (an entry, a
reversal, a pause, a resumption, a mandate, an event): without one a client that retries
after a timeout would record the fact twice, so the API answers 428 naming the header
and writes nothing. The body's ``idempotency_key`` stands in for the header. Rows with an
identity of their own (organizations by name, sources by content, commitments by their
identifiers) take no key. The admin calls the services directly and needs none
(tests/admin)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from rest_framework.test import APIClient

from ledger.models import Event, LedgerEntry, Mandate, Organization, Pause, Source
from tests.api.base import assert_error, new_key
from tests.api.world import World, entry_body

# Per write: its URL, a valid body, and what to count to see that nothing was written.
Write = tuple[str, dict[str, Any], Callable[[], Any]]


def keyed_writes(world: World) -> dict[str, Write]:
    return {
        "entry": (
            "/api/v1/entries/",
            entry_body(world),
            LedgerEntry.objects.count,
        ),
        "reversal": (
            f"/api/v1/entries/{world.pledge.pk}/reverse/",
            {"source": world.ministry.pk, "reason": "Typo."},
            LedgerEntry.objects.count,
        ),
        "pause": (
            "/api/v1/pauses/",
            {"donor": world.united_kingdom.pk, "paused_on": "2025-08-04", "source": world.news.pk},
            Pause.objects.count,
        ),
        "resumption": (
            f"/api/v1/pauses/{world.relief_pause.pk}/resume/",
            {"resumed_on": "2025-04-01", "source": world.ministry.pk},
            Pause.objects.filter(resumed_on__isnull=False).count,
        ),
        "mandate": (
            "/api/v1/mandates/",
            {
                "body": world.contact_group.pk,
                "responsibility": world.demining.pk,
                "starts_on": "2023-01-01",
                "ends_on": "2024-01-01",
                "source": world.news.pk,
            },
            Mandate.objects.count,
        ),
        "event": (
            "/api/v1/events/",
            {
                "kind": "statement",
                "title": "Joint statement",
                "occurred_on": "2025-02-24",
                "source": world.news.pk,
            },
            Event.objects.count,
        ),
    }


KEYED = ["entry", "reversal", "pause", "resumption", "mandate", "event"]


@pytest.mark.parametrize("write", KEYED)
def test_a_write_without_a_key_is_428_naming_the_header_and_writes_nothing(
    any_editor: APIClient, world: World, write: str
) -> None:
    url, body, written = keyed_writes(world)[write]
    before = written()
    response = any_editor.post(url, body, format="json")
    error = assert_error(response, 428, "precondition_required")
    assert set(error["fields"]) == {"Idempotency-Key"}
    assert error["message"].startswith("Idempotency-Key: ")
    assert written() == before


@pytest.mark.parametrize("write", KEYED)
def test_a_blank_key_is_no_key(editor: APIClient, world: World, write: str) -> None:
    url, body, written = keyed_writes(world)[write]
    before = written()
    response = editor.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="  ")
    assert set(assert_error(response, 428)["fields"]) == {"Idempotency-Key"}
    assert written() == before


@pytest.mark.parametrize("write", KEYED)
def test_with_a_key_the_write_is_made_once(any_editor: APIClient, world: World, write: str) -> None:
    url, body, written = keyed_writes(world)[write]
    before = written()
    key = new_key()
    first = any_editor.post(url, body, format="json", **key)
    again = any_editor.post(url, body, format="json", **key)
    assert first.status_code in {200, 201}, first.content
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert written() == before + 1


@pytest.mark.parametrize("write", KEYED)
def test_the_key_may_come_in_the_body_instead(editor: APIClient, world: World, write: str) -> None:
    url, body, written = keyed_writes(world)[write]
    before = written()
    response = editor.post(url, {**body, "idempotency_key": f"in-the-body-{write}"}, format="json")
    assert response.status_code in {200, 201}, response.content
    assert written() == before + 1


@pytest.mark.parametrize("write", ["reversal", "resumption"])
def test_a_header_and_another_key_in_the_body_is_400(
    editor: APIClient, world: World, write: str
) -> None:
    url, body, written = keyed_writes(world)[write]
    before = written()
    response = editor.post(
        url, {**body, "idempotency_key": "one"}, format="json", HTTP_IDEMPOTENCY_KEY="two"
    )
    assert set(assert_error(response, 400)["fields"]) == {"idempotency_key"}
    assert written() == before


def test_who_may_not_write_is_told_so_before_the_key(
    api: APIClient, viewer: APIClient, world: World
) -> None:
    url, body, _ = keyed_writes(world)["entry"]
    assert_error(api.post(url, body, format="json"), 401)
    assert_error(viewer.post(url, body, format="json"), 403)


REFERENCE_ROWS: dict[str, tuple[dict[str, Any], type[Model]]] = {
    "organizations": ({"name": "Caritas", "kind": "ngo"}, Organization),
    "sources": ({"url": "https://example.org/press/3", "title": "Press note"}, Source),
}


@pytest.mark.parametrize("endpoint", sorted(REFERENCE_ROWS))
def test_rows_with_an_identity_of_their_own_take_no_key(
    editor: APIClient, world: World, endpoint: str
) -> None:
    body, model = REFERENCE_ROWS[endpoint]
    first = editor.post(f"/api/v1/{endpoint}/", body, format="json")
    assert first.status_code == 201, first.content
    assert model._default_manager.filter(pk=first.json()["id"]).exists()


def test_a_commitment_takes_no_key_and_its_identifiers_make_a_retry_safe(
    editor: APIClient, world: World
) -> None:
    body = {
        "donor": world.united_kingdom.pk,
        "title": "Winter aid",
        "category": "humanitarian",
        "announced_on": "2025-10-01",
        "source": world.news.pk,
        "identifiers": {"other": "winter-2025"},
    }
    first = editor.post("/api/v1/commitments/", body, format="json")
    again = editor.post("/api/v1/commitments/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
