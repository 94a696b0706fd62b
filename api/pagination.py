"""Page-number pagination for most lists, cursors for the ever-growing ledger entries."""

from django.conf import settings
from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE


class EntryCursorPagination(CursorPagination):
    """Stable under inserts: a page never repeats or skips entries recorded meanwhile."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.API_MAX_PAGE_SIZE
    ordering = ("-recorded_at", "-id")
