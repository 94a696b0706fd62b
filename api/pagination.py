"""Page-number pagination for most lists, cursors for the ever-growing ledger entries.

Both read their parameters strictly: DRF's paginators give the default page for a
``page_size`` they cannot read (``abc``, ``0``, ``-5``) and cap one above the maximum,
which answers something other than what was asked without saying so. Here such a value
is a 400 naming the parameter; a well-formed page past the last is DRF's 404."""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import (
    BasePagination,
    Cursor,
    CursorPagination,
    PageNumberPagination,
)
from rest_framework.request import Request

WHOLE_NUMBER = re.compile(r"[0-9]+")
LAST_PAGE = "last"


def positive_number(request: Request, name: str, *, or_else: str = "") -> int | None:
    """The parameter as a whole number from 1, or None when it is absent or empty (as an
    empty filter is no filter)."""
    text = request.query_params.get(name, "")
    if not text:
        return None
    if not WHOLE_NUMBER.fullmatch(text) or int(text) < 1:
        raise ValidationError({name: [f"{text} is not a whole number from 1{or_else}."]})
    return int(text)


class StrictPageSize(BasePagination):
    page_size: int
    page_size_query_param: str
    max_page_size: int

    def get_page_size(self, request: Request) -> int:
        size = positive_number(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        if size > self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A page holds at most {self.max_page_size} rows."]}
            )
        return size

    def size_parameter(self) -> dict[str, Any]:
        return {
            "name": self.page_size_query_param,
            "required": False,
            "in": "query",
            "description": f"Rows per page: {self.page_size} unless given, at most "
            f"{self.max_page_size}.",
            "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
        }


class StandardPagination(StrictPageSize, PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    last_page_strings = (LAST_PAGE,)
    query_params = frozenset({"page", "page_size"})

    def get_page_number(self, request: Request, paginator: Paginator) -> int:
        if request.query_params.get(self.page_query_param) == LAST_PAGE:
            return paginator.num_pages
        return positive_number(request, self.page_query_param, or_else=f" or {LAST_PAGE}") or 1

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        page = {
            "name": self.page_query_param,
            "required": False,
            "in": "query",
            "description": "A page number from 1 (or `last`); a page past the last is a 404.",
            "schema": {"type": "integer", "minimum": 1},
        }
        return [page, self.size_parameter()]


class EntryCursorPagination(StrictPageSize, CursorPagination):
    """Stable under inserts: a page never repeats or skips entries recorded meanwhile.
    Pages are reached by the ``next`` and ``previous`` links only: a ``cursor`` that is
    not one of them is DRF's 404 "Invalid cursor"."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    ordering = ("-recorded_at", "-id")
    query_params = frozenset({"cursor", "page_size"})

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.model = queryset.model  # whose field a cursor's position must be a value of
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        """A cursor whose position no row could have (``p=2`` where the list is ordered by
        a moment) is not one this list gave: the 404 of a garbled cursor, rather than the
        database's complaint about the value, or its overflow."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                field.clean(cursor.position, None)
            except DjangoValidationError as error:
                raise NotFound(self.invalid_cursor_message) from error
        return cursor

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        (cursor, *_) = super().get_schema_operation_parameters(view)
        return [cursor, self.size_parameter()]


PAGING_PARAMS = StandardPagination.query_params | EntryCursorPagination.query_params


def paging_params(paginator: Any, *, csv: bool) -> set[str]:
    """The pagination parameters a list takes: its paginator's, none when CSV streams
    the whole list."""
    return set() if csv or paginator is None else set(paginator.query_params)


def unknown_paging_reasons(paginator: Any, *, csv: bool) -> dict[str, str]:
    """Why a pagination parameter a list does not take is refused."""
    taken = paging_params(paginator, csv=csv)
    if csv:
        reason = "CSV streams the whole list, without pages."
    elif "cursor" in taken:
        reason = "This list is paged by cursor: follow its next and previous links."
    else:
        reason = "This list is paged by number: use page and page_size."
    return dict.fromkeys(PAGING_PARAMS - taken, reason)
