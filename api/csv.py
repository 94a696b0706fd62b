"""CSV output: streamed row by row, with nested values flattened into dotted columns and
lists written as readable text (a commitment's identifiers as ``iati:XM-1; kiel:US-2``).
Links are those of the JSON resources, without the ``?format=csv`` of the request.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with a quote; numbers, negative amounts
included, stay numbers.
"""

import copy
import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return text.strip() == text and text.lower() not in {"nan", "-nan", "inf", "-inf", "infinity"}


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not is_number(value):
        return "'" + value
    return value


def described(item: Any) -> str:
    """One item of a list, as a person would write it: a related row by its name or
    title, an identifier as ``scheme:value``, a membership as ``name (role)``; any other
    mapping as ``key: value`` pairs, never a Python repr."""
    if isinstance(item, list):
        return ", ".join(described(part) for part in item)
    if not isinstance(item, dict):
        return "" if item is None else str(item)
    if item.keys() == {"scheme", "value"}:
        return f"{item['scheme']}:{item['value']}"
    if item.keys() == {"organization", "role"}:
        return f"{described(item['organization'])} ({item['role']})"
    label = item.get("name") or item.get("title")
    if label:
        return str(label)
    return ", ".join(f"{key}: {described(value)}" for key, value in item.items())


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(described(item) for item in value)
        else:
            flat[name] = value
    return flat


def without_format(request: Request) -> Request:
    """The request as an export's links should see it. DRF's ``reverse()`` copies the
    request's ``?format=`` into every URL it builds, so each link in a CSV would point at
    a CSV instead of the resource's JSON."""
    query = request._request.GET.copy()
    query.pop(api_settings.URL_FORMAT_OVERRIDE, None)
    plain = copy.copy(request._request)
    plain.GET = query  # type: ignore[assignment]  # a mutable copy, read only from here
    linked = copy.copy(request)
    linked._request = plain
    return linked


class _Echo:
    def write(self, value: str) -> str:
        return value


def columns_of(serializer: Any, prefix: str = "") -> Iterator[str]:
    """The columns a serializer's rows flatten into: a nested row (a brief organization,
    the figures, or a field naming its ``parts``) gives one column per field, whether or
    not the first row has one."""
    for name, field in serializer.fields.items():
        if isinstance(field, Serializer):
            yield from columns_of(field, f"{prefix}{name}.")
        elif parts := getattr(field, "parts", None):
            yield from (f"{prefix}{name}.{part}" for part in parts)
        else:
            yield f"{prefix}{name}"


def csv_lines(rows: Iterable[dict[str, Any]], columns: list[str] | None = None) -> Iterator[str]:
    """The header (``columns``, else the first row's) and a line per row. Columns come
    from the serializer where they can, so that a relation empty in the first row (no
    parent, no channel) is not dropped from every later one."""
    writer = csv.writer(_Echo())
    header = columns
    if header is not None:
        yield writer.writerow(header)
    for row in rows:
        flat = flatten(row)
        if header is None:
            header = list(flat)
            yield writer.writerow(header)
        yield writer.writerow([cell(flat.get(name)) for name in header])


def csv_response(
    rows: Iterable[dict[str, Any]], filename: str, columns: list[str] | None = None
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(rows, columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class CSVRenderer(BaseRenderer):
    """Lets ``?format=csv`` through content negotiation; lists and the summary stream
    their own CSV, so this renders only what else answers in CSV (errors, details)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(r for r in rows if isinstance(r, dict))).encode()
