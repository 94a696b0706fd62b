"""The tests every resource under /api/v1/ gets, after NetBox's ``utilities/testing/api.py``
and ``filtersets.py``: a test class per resource subclasses ``ResourceTests`` and says only
what differs (its URL, viewset, fields, a case for each filter, how to make many rows).

``filter_name`` and ``ordering_field`` are parametrized by ``pytest_generate_tests`` in
this folder's conftest, from the class's ``filters`` and the viewset's ``ordering_fields``.
"""

import csv
import io
import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection
from django.db.models import ForeignObjectRel, Model
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from api.pagination import EntryCursorPagination, StandardPagination
from tests.api.world import World

SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

# A filter's case: the value to filter by (from the world) and how many rows it leaves.
FilterCase = tuple[Callable[[World], Any], int]

ALL: dict[str, Any] = {"page_size": settings.API_MAX_PAGE_SIZE}


def as_param(value: Any) -> Any:
    """A query-string value: rows by id, dates in ISO 8601, booleans as true/false."""
    if isinstance(value, list | tuple):
        return [as_param(v) for v in value]
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response: Any) -> list[int]:
    return [row["id"] for row in results(response)]


def streamed(response: Any) -> str:
    """The text of a streamed response (a CSV list)."""
    return b"".join(response.streaming_content).decode()


def csv_rows(response: Any) -> list[list[str]]:
    """The CSV a list streamed, parsed back into rows (the header first)."""
    return list(csv.reader(io.StringIO(streamed(response))))


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Every error leaves in one shape: ``code`` and ``message``, and ``fields`` for
    validation errors."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) <= {"code", "message", "fields"}, body
    assert isinstance(body["code"], str)
    assert body["code"]
    assert isinstance(body["message"], str)
    assert body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def new_key() -> dict[str, Any]:
    """An Idempotency-Key header (as the test client takes it) that no request has sent
    before: entry, pause, resumption, reversal, mandate and event writes need one."""
    return {"HTTP_IDEMPOTENCY_KEY": f"test-{uuid.uuid4().hex}"}


def post_json(client: APIClient, url: str, body: Any, **headers: Any) -> Any:
    """POST ``body`` as JSON as an API client writes: with a key of its own, unless the
    headers or the body already carry one."""
    carries_key = "HTTP_IDEMPOTENCY_KEY" in headers or (
        isinstance(body, dict) and "idempotency_key" in body
    )
    return client.post(
        url, body, format="json", **(headers if carries_key else new_key() | headers)
    )


def model_fields_without_filter(
    model: type[Model], filterset: Any, *, aliases: dict[str, str]
) -> list[str]:
    """NetBox's ``test_missing_filters``: each field of the model (reverse relations
    aside: they are filtered from their own side, e.g. ``commitments?donor=``) needs a
    filter of its name (or ``name__lookup``), a filter on it under another name, or a
    place among the ``q`` search's fields."""
    filters = filterset.base_filters
    searched = {f.split("__")[0] for f in filterset.search_fields}
    missing = []
    for field in model._meta.get_fields():
        if isinstance(field, ForeignObjectRel):
            continue
        name = field.name
        covered = (
            name in searched
            or aliases.get(name) in filters
            or any(
                key == name
                or key.startswith(f"{name}__")
                or (f.field_name or "") == name
                or (f.field_name or "").startswith(f"{name}__")
                for key, f in filters.items()
            )
        )
        if not covered:
            missing.append(name)
    return missing


class ResourceTests:
    """List, detail, 404, filters, ordering, pagination, CSV and query counts of one
    resource. Subclasses set the class attributes below."""

    endpoint: ClassVar[str]  # the path under /api/v1/
    view: ClassVar[Any]  # the viewset
    fields: ClassVar[set[str]]  # what a row shows
    filters: ClassVar[dict[str, FilterCase]]  # a case for every filter of the filterset
    # Model fields with no filter, each with the reason.
    unfiltered: ClassVar[dict[str, str]] = {
        "id": "a row is read by id at its detail URL; lists are not filtered by id",
    }
    # Model fields filtered under another name (model field -> filter).
    filter_aliases: ClassVar[dict[str, str]] = {}
    make_many: ClassVar[Callable[[World, int], None]]
    cursor_paginated: ClassVar[bool] = False

    # --- helpers -----------------------------------------------------------------------

    def url(self, pk: int | None = None) -> str:
        return f"/api/v1/{self.endpoint}/" + (f"{pk}/" if pk is not None else "")

    @property
    def model(self) -> type[Model]:
        return self.view.queryset.model

    def total(self) -> int:
        return self.model._default_manager.count()

    # --- list and detail ---------------------------------------------------------------

    def test_list_shows_every_row_with_its_fields(self, api: APIClient, world: World) -> None:
        rows = results(api.get(self.url(), ALL))
        assert len(rows) == self.total() >= 2
        for row in rows:
            assert set(row) == self.fields

    def test_detail_shows_the_row_with_its_fields(self, api: APIClient, world: World) -> None:
        pk = self.model._default_manager.order_by("pk").values_list("pk", flat=True).last()
        response = api.get(self.url(pk))
        assert response.status_code == 200
        body = response.json()
        assert set(body) == self.fields
        assert body["id"] == pk
        assert body["url"].endswith(self.url(pk))

    def test_a_missing_id_is_404_with_the_error_shape(self, api: APIClient, world: World) -> None:
        body = assert_error(api.get(self.url(987654321)), 404, "not_found")
        assert "fields" not in body

    def test_an_unknown_parameter_is_400_naming_it(self, api: APIClient, world: World) -> None:
        body = assert_error(api.get(self.url(), {"colour": "blue"}), 400, "invalid")
        assert set(body["fields"]) == {"colour"}

    # --- filters -----------------------------------------------------------------------

    def test_every_filter_has_a_case(self) -> None:
        assert set(self.filters) == set(self.view.filterset_class.base_filters)

    def test_every_model_field_has_a_filter(self) -> None:
        missing = model_fields_without_filter(
            self.model, self.view.filterset_class, aliases=self.filter_aliases
        )
        assert sorted(set(missing) - set(self.unfiltered)) == [], (
            f"{self.model.__name__} fields with no filter in "
            f"{self.view.filterset_class.__name__}: add one, or list it in `unfiltered` "
            "with the reason"
        )
        # An exception that no longer applies is a stale exception.
        assert set(self.unfiltered) <= set(missing)

    def test_the_filter_narrows_the_list(
        self, api: APIClient, world: World, filter_name: str
    ) -> None:
        value, expected = self.filters[filter_name]
        total = self.total()
        rows = results(api.get(self.url(), {filter_name: as_param(value(world)), **ALL}))
        assert 0 < expected < total, "a case must keep some rows and drop others"
        assert len(rows) == expected, [r["id"] for r in rows]

    # --- ordering ----------------------------------------------------------------------

    def test_ordering_by_id_descending(self, api: APIClient, world: World) -> None:
        found = ids(api.get(self.url(), {"ordering": "-id", **ALL}))
        assert found == sorted(found, reverse=True)
        assert len(found) == self.total()

    def test_ordering_by_id_ascending(self, api: APIClient, world: World) -> None:
        found = ids(api.get(self.url(), {"ordering": "id", **ALL}))
        assert found == sorted(found)

    def test_ordering_by_each_field(
        self, api: APIClient, world: World, ordering_field: str
    ) -> None:
        manager = self.model._default_manager
        for sign in ("", "-"):
            found = ids(api.get(self.url(), {"ordering": f"{sign}{ordering_field},id", **ALL}))
            expected = manager.order_by(f"{sign}{ordering_field}", "id").values_list("pk")
            assert found == [pk for (pk,) in expected], f"ordering={sign}{ordering_field}"

    # --- pagination --------------------------------------------------------------------

    def test_page_size_one_gives_one_row_and_a_link_to_the_next(
        self, api: APIClient, world: World
    ) -> None:
        response = api.get(self.url(), {"page_size": 1})
        assert len(results(response)) == 1
        following = response.json()["next"]
        assert following
        if self.cursor_paginated:
            assert "cursor=" in following
            assert "count" not in response.json()
        else:
            assert "page=2" in following
            assert response.json()["count"] == self.total()
        second = results(api.get(following))
        assert len(second) == 1
        assert second[0]["id"] != results(response)[0]["id"]

    def test_page_size_above_the_maximum_is_400(
        self, api: APIClient, world: World, monkeypatch: Any
    ) -> None:
        # The maximum is read from settings.API_MAX_PAGE_SIZE when the module loads; a
        # small one stands in for it here, so a few rows show it.
        assert StandardPagination.max_page_size == settings.API_MAX_PAGE_SIZE
        assert EntryCursorPagination.max_page_size == settings.API_MAX_PAGE_SIZE
        monkeypatch.setattr(StandardPagination, "max_page_size", 1)
        monkeypatch.setattr(EntryCursorPagination, "max_page_size", 1)
        body = assert_error(api.get(self.url(), {"page_size": 2}), 400, "invalid")
        assert set(body["fields"]) == {"page_size"}
        response = api.get(self.url(), {"page_size": 1})
        assert len(results(response)) == 1
        assert response.json()["next"]

    # --- CSV ---------------------------------------------------------------------------

    def test_csv_has_a_header_and_a_line_per_row(self, api: APIClient, world: World) -> None:
        response = api.get(self.url(), {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        header, *rows = csv_rows(response)
        assert {column.split(".")[0] for column in header} == self.fields
        assert len(rows) == self.total()
        assert all(len(row) == len(header) for row in rows)

    # --- query counts ------------------------------------------------------------------

    def test_a_page_costs_the_same_queries_for_one_row_as_for_fifty(
        self, api: APIClient, world: World
    ) -> None:
        type(self).make_many(world, 50)

        def queries(page_size: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                response = api.get(self.url(), {"page_size": page_size})
            assert len(results(response)) == page_size
            return len(captured)

        queries(1)  # warm any per-process caches
        assert queries(1) == queries(50)
