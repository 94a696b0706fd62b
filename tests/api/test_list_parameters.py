"""Pagination, ordering and format parameters are read strictly on every list (the
resources, the summary and the timeline, as JSON and as CSV): a value that cannot be
honoured is a 400 naming the parameter, never a default silently put in its place; a
well-formed page past the last is a 404, as DRF answers it."""

from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from api.urls import router
from tests.api.base import assert_error, csv_rows, ids, results
from tests.api.world import World

RESOURCES = [prefix for prefix, _, _ in router.registry]
LISTS = [*RESOURCES, "summary", "timeline"]
# Entries grow for ever: they are paged by cursor, every other list by page number.
CURSOR_LISTS = {"entries"}
NUMBERED_LISTS = [name for name in LISTS if name not in CURSOR_LISTS]


def get(api: APIClient, endpoint: str, params: dict[str, Any]) -> Any:
    return api.get(f"/api/v1/{endpoint}/", params)


def refused(api: APIClient, endpoint: str, params: dict[str, Any], name: str) -> str:
    """The 400's message about the parameter ``name``, which it must name."""
    body = assert_error(get(api, endpoint, params), 400, "invalid")
    assert set(body["fields"]) == {name}, body
    assert name in body["message"]
    return " ".join(body["fields"][name])


def test_every_list_is_covered() -> None:
    assert "entries" in RESOURCES
    assert len(RESOURCES) >= 10


# --- page_size ----------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize("page_size", ["abc", "0", "-5", "1.5", "٣", "1e2"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_400(
    api: APIClient, world: World, endpoint: str, page_size: str
) -> None:
    message = refused(api, endpoint, {"page_size": page_size}, "page_size")
    assert f"{page_size} is not a whole number from 1" in message


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_page_size_above_the_maximum_is_400(api: APIClient, world: World, endpoint: str) -> None:
    largest = settings.API_MAX_PAGE_SIZE
    message = refused(api, endpoint, {"page_size": largest + 1}, "page_size")
    assert f"at most {largest} rows" in message
    assert get(api, endpoint, {"page_size": largest}).status_code == 200


@pytest.mark.parametrize("endpoint", LISTS)
def test_an_empty_page_size_is_no_page_size(api: APIClient, world: World, endpoint: str) -> None:
    assert get(api, endpoint, {"page_size": ""}).status_code == 200


# --- page and cursor ----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", NUMBERED_LISTS)
@pytest.mark.parametrize("page", ["abc", "0", "-1", "1.5", "2e1"])
def test_a_page_that_is_not_a_whole_number_from_1_is_400(
    api: APIClient, world: World, endpoint: str, page: str
) -> None:
    message = refused(api, endpoint, {"page": page}, "page")
    assert f"{page} is not a whole number from 1 or last" in message


@pytest.mark.parametrize("endpoint", NUMBERED_LISTS)
@pytest.mark.parametrize("page", ["999", "99999999999999999999999"])
def test_a_page_past_the_last_is_404(
    api: APIClient, world: World, endpoint: str, page: str
) -> None:
    body = assert_error(get(api, endpoint, {"page": page}), 404, "not_found")
    assert body["message"] == "Invalid page."


@pytest.mark.parametrize("endpoint", NUMBERED_LISTS)
def test_the_last_page_is_page_last(api: APIClient, world: World, endpoint: str) -> None:
    first = get(api, endpoint, {"page_size": 1}).json()
    last = get(api, endpoint, {"page_size": 1, "page": "last"}).json()
    assert first["count"] >= 2
    assert last["next"] is None
    assert last["results"] != first["results"]


@pytest.mark.parametrize("endpoint", NUMBERED_LISTS)
def test_a_cursor_on_a_numbered_list_is_400(api: APIClient, world: World, endpoint: str) -> None:
    assert "paged by number" in refused(api, endpoint, {"cursor": "cD0y"}, "cursor")


@pytest.mark.parametrize("page", ["2", "999", "1"])
def test_a_page_number_on_the_entries_is_400(api: APIClient, world: World, page: str) -> None:
    """Entries are paged by cursor: a page number would be ignored, so it is refused."""
    assert "paged by cursor" in refused(api, "entries", {"page": page}, "page")


@pytest.mark.parametrize("cursor", ["not-a-cursor", "cD0y", ""])
def test_a_cursor_the_entries_did_not_give_is_404(
    api: APIClient, world: World, cursor: str
) -> None:
    response = get(api, "entries", {"cursor": cursor})
    if not cursor:  # an empty cursor is none: the first page
        assert response.status_code == 200
        return
    assert assert_error(response, 404, "not_found")["message"] == "Invalid cursor"


# --- CSV: the whole list, no pages --------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
@pytest.mark.parametrize(("name", "value"), [("page", "2"), ("page_size", "10"), ("cursor", "x")])
def test_a_csv_list_takes_no_page_parameter(
    api: APIClient, world: World, endpoint: str, name: str, value: str
) -> None:
    response = get(api, endpoint, {"format": "csv", name: value})
    assert response["Content-Type"] == "application/json"
    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) == {name}
    assert "CSV streams the whole list" in " ".join(body["fields"][name])


@pytest.mark.parametrize("endpoint", RESOURCES)
def test_a_csv_list_is_in_the_order_asked_for(api: APIClient, world: World, endpoint: str) -> None:
    header, *rows = csv_rows(get(api, endpoint, {"format": "csv", "ordering": "-id"}))
    found = [int(row[header.index("id")]) for row in rows]
    assert len(found) >= 2
    assert found == sorted(found, reverse=True)
    message = refused(api, endpoint, {"format": "csv", "ordering": "nonexistent"}, "ordering")
    assert "Cannot order by nonexistent" in message


# --- ordering -----------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", RESOURCES)
@pytest.mark.parametrize("ordering", ["nonexistent", "-nonexistent", "id,nonexistent", "password"])
def test_an_ordering_the_list_does_not_offer_is_400(
    api: APIClient, world: World, endpoint: str, ordering: str
) -> None:
    message = refused(api, endpoint, {"ordering": ordering}, "ordering")
    assert "Cannot order by" in message
    assert ordering.split(",")[-1] in message
    assert "id" in message  # the fields it does offer


@pytest.mark.parametrize("endpoint", ["summary", "timeline"])
def test_the_reports_take_no_ordering(api: APIClient, world: World, endpoint: str) -> None:
    refused(api, endpoint, {"ordering": "id"}, "ordering")


def test_an_offered_ordering_still_orders(api: APIClient, world: World) -> None:
    found = ids(get(api, "organizations", {"ordering": "-id,"}))
    assert found == sorted(found, reverse=True)
    assert len(results(get(api, "organizations", {"ordering": ""}))) == 4


# --- details ------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", RESOURCES)
def test_a_detail_refuses_an_unknown_parameter(api: APIClient, world: World, endpoint: str) -> None:
    first = results(get(api, endpoint, {}))[0]
    body = assert_error(api.get(first["url"], {"page": "2"}), 400, "invalid")
    assert set(body["fields"]) == {"page"}
    assert api.get(first["url"], {"format": "json"}).status_code == 200


# --- format -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*[f"{name}/" for name in LISTS], "organizations/1/", ""])
@pytest.mark.parametrize("fmt", ["xml", "CSV"])
def test_a_format_the_endpoint_cannot_give_is_400(
    api: APIClient, world: World, path: str, fmt: str
) -> None:
    response = api.get(f"/api/v1/{path}", {"format": fmt})
    assert response["Content-Type"] == "application/json"
    body = assert_error(response, 400, "invalid")
    assert set(body["fields"]) == {"format"}
    assert f"{fmt} is not a format of this endpoint; use json" in body["message"]
