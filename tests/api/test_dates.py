"""A date that does not exist is refused as such, in every date (and moment) filter, query
parameter and body field: ``2025-02-30`` has the shape of a date, so "wrong format" would
send the client looking for a mistake it did not make. A real format error keeps the
format message."""

import uuid
from typing import Any

import pytest
from django import forms
from rest_framework import serializers
from rest_framework.test import APIClient

from api.serializers.inputs import ResumeInput
from api.urls import router
from api.views.reports import TimelineParams
from tests.api.base import assert_error
from tests.api.world import World

# The router's (prefix, viewset, basename) of each resource.
REGISTRY: list[tuple[str, Any, str]] = router.registry
FEBRUARY_30 = "2025-02-30 is not a date: February 2025 has 28 days."


def filters_of(field_class: type[forms.Field]) -> list[tuple[str, str]]:
    """(endpoint, filter) for every filter of every resource whose form field is one."""
    return sorted(
        (prefix, name)
        for prefix, viewset, _ in REGISTRY
        for name, spec in viewset.filterset_class.base_filters.items()
        if issubclass(spec.field_class, field_class)
    )


DATE_FILTERS = filters_of(forms.DateField)
MOMENT_FILTERS = filters_of(forms.DateTimeField)
# The parameters that are not filters: the figures' time axes and the timeline's range.
DATE_PARAMS = [
    ("commitments", "as_of"),
    ("summary", "as_of"),
    *(("timeline", name) for name in ("since", "until")),
]
MOMENT_PARAMS = [("commitments", "known_at"), ("summary", "known_at")]


def test_the_lists_are_complete() -> None:
    assert ("entries", "value_date") in DATE_FILTERS
    assert ("pauses", "active_on") in DATE_FILTERS
    assert ("mandates", "active_on") in DATE_FILTERS
    assert len(DATE_FILTERS) >= 25
    assert ("entries", "recorded_at__gte") in MOMENT_FILTERS
    timeline_dates = {
        name
        for name, field in TimelineParams().fields.items()
        if isinstance(field, serializers.DateField)
    }
    assert timeline_dates == {name for endpoint, name in DATE_PARAMS if endpoint == "timeline"}


def refused(response: Any, name: str) -> list[str]:
    body = assert_error(response, 400, "invalid")
    assert name in body["fields"], body
    return body["fields"][name]


@pytest.mark.parametrize(("endpoint", "name"), DATE_FILTERS + DATE_PARAMS)
def test_a_date_that_does_not_exist_is_named_so(
    api: APIClient, world: World, endpoint: str, name: str
) -> None:
    assert refused(api.get(f"/api/v1/{endpoint}/", {name: "2025-02-30"}), name) == [FEBRUARY_30]
    response = api.get(f"/api/v1/{endpoint}/", {name: "2024-02-29"})  # a leap day
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(("endpoint", "name"), MOMENT_FILTERS + MOMENT_PARAMS)
def test_a_moment_on_a_date_that_does_not_exist_is_named_so(
    api: APIClient, world: World, endpoint: str, name: str
) -> None:
    response = api.get(f"/api/v1/{endpoint}/", {name: "2025-02-30T10:00:00Z"})
    assert refused(response, name) == [FEBRUARY_30]
    response = api.get(f"/api/v1/{endpoint}/", {name: "2024-02-29T10:00:00Z"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-04-31", "2025-04-31 is not a date: April 2025 has 30 days."),
        ("2023-02-29", "2023-02-29 is not a date: February 2023 has 28 days."),
        ("2025-13-01", "2025-13-01 is not a date: months run from 01 to 12."),
        ("2025-00-10", "2025-00-10 is not a date: months run from 01 to 12."),
        ("2025-01-00", "2025-01-00 is not a date: days start at 01."),
        ("0000-01-01", "0000-01-01 is not a date: years start at 0001."),
    ],
)
def test_the_message_says_why_the_date_does_not_exist(
    api: APIClient, world: World, value: str, message: str
) -> None:
    assert refused(api.get("/api/v1/entries/", {"value_date": value}), "value_date") == [message]
    assert refused(api.get("/api/v1/timeline/", {"since": value}), "since") == [message]


@pytest.mark.parametrize("value", ["30/02/2025", "2025-02-28x", "2025-02", "tomorrow"])
def test_a_format_error_keeps_the_format_message(api: APIClient, world: World, value: str) -> None:
    for endpoint, name in [("entries", "value_date"), ("timeline", "since")]:
        (message,) = refused(api.get(f"/api/v1/{endpoint}/", {name: value}), name)
        assert "not a date" not in message
        assert "valid date" in message or "wrong format" in message


# --- bodies -------------------------------------------------------------------------------


def body_date_fields() -> list[tuple[str, str, str]]:
    """(endpoint, field, value) for every date and moment field of every write's input,
    from the viewsets' input classes and their actions' (``resume``)."""
    inputs = [
        (prefix, viewset.input_class)
        for prefix, viewset, _ in REGISTRY
        if hasattr(viewset, "input_class")
    ]
    inputs.append(("pauses/{pause}/resume", ResumeInput))
    cases = []
    for endpoint, input_class in inputs:
        for name, field in input_class().fields.items():
            if isinstance(field, serializers.DateTimeField):
                cases.append((endpoint, name, "2025-02-30T10:00:00Z"))
            elif isinstance(field, serializers.DateField):
                cases.append((endpoint, name, "2025-02-30"))
    return sorted(cases)


BODY_DATE_FIELDS = body_date_fields()


def test_every_write_with_a_date_is_covered() -> None:
    endpoints = {endpoint for endpoint, _, _ in BODY_DATE_FIELDS}
    assert endpoints == {
        "commitments",
        "entries",
        "events",
        "mandates",
        "pauses",
        "pauses/{pause}/resume",
        "sources",
    }
    assert ("sources", "retrieved_at", "2025-02-30T10:00:00Z") in BODY_DATE_FIELDS


@pytest.mark.parametrize(("endpoint", "name", "value"), BODY_DATE_FIELDS)
def test_a_body_date_that_does_not_exist_is_named_so(
    editor_by_key: APIClient, world: World, endpoint: str, name: str, value: str
) -> None:
    path = endpoint.format(pause=world.relief_pause.pk)
    response = editor_by_key.post(
        f"/api/v1/{path}/",
        {name: value},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert refused(response, name) == [FEBRUARY_30]


def test_a_body_date_format_error_keeps_the_format_message(
    editor_by_key: APIClient, world: World
) -> None:
    response = editor_by_key.post(
        "/api/v1/entries/",
        {"value_date": "30.02.2025"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert refused(response, "value_date") == [
        "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."
    ]
