"""Links from a page to the same data in the API, and to other pages, with the same
parameters."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from pages.forms import PARAMS, PageQuery


@dataclass(frozen=True)
class ApiLinks:
    json: str
    csv: str


def api_url(
    route: str,
    query: PageQuery | None = None,
    *,
    args: Iterable[object] = (),
    keep: Iterable[str] = PARAMS,
    extra: Mapping[str, object] | None = None,
) -> str:
    """The URL of API route ``route`` (a name in ``api.urls``: ``"summary"``,
    ``"commitment-detail"`` with ``args=[pk]``) carrying the page's parameters named in
    ``keep`` (the API refuses parameters an endpoint does not know) and ``extra`` ones."""
    params = {k: v for k, v in (query.api_params() if query else {}).items() if k in set(keep)}
    params.update({name: str(value) for name, value in (extra or {}).items() if value != ""})
    url = reverse(f"api:{route}", args=list(args))
    return f"{url}?{urlencode(params)}" if params else url


def api_links(
    route: str,
    query: PageQuery | None = None,
    *,
    args: Iterable[object] = (),
    keep: Iterable[str] = PARAMS,
    extra: Mapping[str, object] | None = None,
) -> ApiLinks:
    """The JSON and CSV links (``?format=csv``) of ``api_url``."""
    args, keep = list(args), list(keep)
    return ApiLinks(
        json=api_url(route, query, args=args, keep=keep, extra=extra),
        csv=api_url(route, query, args=args, keep=keep, extra={**(extra or {}), "format": "csv"}),
    )


def page_url(name: str, query: PageQuery, *args: Any, **changes: str) -> str:
    """The URL of page ``name`` (``"donor"``, with ``args=[pk]``…) with this page's
    parameters, some changed (an empty value drops one): ``page_url("overview", query,
    category="military")``."""
    params = query.api_params() | {"currency": query.currency} | changes
    url = reverse(f"pages:{name}", args=args)
    given = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(given)}" if given else url
