"""OCHA Financial Tracking Service (FTS) flows, as its flow search answers
(``https://api.hpc.tools/v1/fts/flow/custom-search?...``): a JSON object
``{"data": {"flows": [...]}, "meta": {"count": N, "nextLink": "<next page>"}}``.

Paging: each page is parsed whole (a flow search page holds a few hundred flows, some
hundred kilobytes); a page larger than the option ``max_page_bytes`` (64 MiB) is refused
rather than loaded, because the fetch limit allows gigabytes. Each page's flows are
committed before the next page is fetched (the adapter yields a ``PageEnd``), so a page
that cannot be fetched or read leaves the earlier ones, and the run records the page and
URL it stopped at. After a page's flows, its ``meta.nextLink`` is fetched through
``ReadContext.fetch`` (same limits as the first document):

- from a page fetched over http(s), an http(s) link is followed; a link to a local file
  (``file:`` or a path) is refused, so a page cannot make the reader open local files;
- from a local file, a link to a file in the same directory is followed; a link to the
  web is not, unless the option ``follow_next_link`` is true (``manage.py ingest
  --follow-next``): the run lands that file and records the link it did not follow; a
  link to a file elsewhere is refused;
- ``follow_next_link`` false follows no link.

A link seen before ends the paging (every page was read once); more pages than
``max_pages`` (1000) fail the run, since a silently truncated dataset would look complete.
A page that is not JSON or has no ``data.flows`` list is refused with the reason.

One flow is one entry, its record ``fts:<id>``, in a commitment of its own (scheme
``fts``, identifier the flow id), so re-reading a flow changes nothing and a flow that FTS
now publishes with another amount, currency, date or status is corrected.

=====================  =================================================================
entry / commitment     from the flow
=====================  =================================================================
stage                  ``status``: pledge -> pledge, commitment -> commitment,
                       paid -> disbursement; any other status is rejected
amount, currency       ``originalAmount`` in ``originalCurrency`` when both are given and
                       the amount is positive (what the donor gave, without FTS's
                       conversion), else ``amountUSD`` in USD; no positive amount: rejected
value date             ``date`` (the day of the pledge, commitment or payment), precision day
donor                  the first ``sourceObjects`` item of type Organization; none: rejected
recipient              the first ``destinationObjects`` Organization; else the destination
                       Location when there is exactly one; else none (the default recipient)
title, description     ``description`` with its whitespace collapsed, the title cut to
                       120 characters; no description: "FTS flow <id>"
category               humanitarian (FTS tracks humanitarian funding only)
announced on           ``decisionDate`` (when the donor decided), if earlier than ``date``;
                       else ``date``. Not ``firstReportedDate``: that is when FTS heard of it,
                       often months after the money moved.
note                   the flow id and ``versionId``, ``flowType``, ``boundary``,
                       ``contributionType`` and ``keywords``
position, raw          "page N, flows[i] (id X)"; the flow's JSON
=====================  =================================================================

Organizations are named as FTS names them ("UN agency" -> multilateral, "NGO" -> ngo...).
A national government is the state of its side's only Location when that Location is a
country ISO 3166 knows by name ("Jordan, Government of" with Location "Jordan" is the state
Jordan, JO), so it matches the ledger's state by country code; a Location standing in for
the recipient is that state too, or, if ISO does not know it ("occupied Palestinian
territory"), an organization of that name. The runner matches names, aliases and codes and
creates unknown organizations unverified.
"""

import json
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import urljoin

import pycountry

from ingest.adapters.base import (
    ContentRefused,
    Document,
    IncomingCommitment,
    IncomingEntry,
    Item,
    OrganizationRef,
    PageEnd,
    ReadContext,
    Record,
    Rejection,
)
from ingest.fetch import FetchError, local_path
from ledger.models import AidCategory, IdentifierScheme, OrganizationKind, Stage

STAGES = {"pledge": Stage.PLEDGE, "commitment": Stage.COMMITMENT, "paid": Stage.DISBURSEMENT}
ORGANIZATION_KINDS = {
    "government": OrganizationKind.GOVERNMENT_BODY,
    "un agency": OrganizationKind.MULTILATERAL,
    "inter-governmental": OrganizationKind.MULTILATERAL,
    "pooled fund": OrganizationKind.MULTILATERAL,
    "ngo": OrganizationKind.NGO,
    "red cross/red crescent": OrganizationKind.NGO,
    "private organization/foundation": OrganizationKind.PRIVATE,
}
DEFAULT_MAX_PAGES = 1000
DEFAULT_MAX_PAGE_BYTES = 64 * 1024 * 1024
TITLE_LENGTH = 120


class _Unmappable(Exception):
    """A flow that cannot be an entry; the message says why."""


class _Adapter:
    name = "fts"
    paged = True
    conditional = False

    def read(self, document: Document, context: ReadContext) -> Iterator[Item]:
        follow = context.options.get("follow_next_link")
        asked = None if follow is None else _flag(follow)
        max_pages = _positive(context.options, "max_pages", DEFAULT_MAX_PAGES)
        max_bytes = _positive(context.options, "max_page_bytes", DEFAULT_MAX_PAGE_BYTES)
        seen_links = {document.url}
        page_number = context.first_page
        while True:
            flows, next_link = _page(document, max_bytes)
            for index, flow in enumerate(flows):
                yield _record(flow, f"page {page_number}, flows[{index}]")
            next_url = urljoin(document.url, next_link) if next_link else ""
            if not next_url or next_url in seen_links:  # the last page, or every page read
                yield PageEnd(page_number)
                return
            refusal = _link_refusal(document.url, next_url)
            followed = not refusal and _follows(document.url, next_url, asked=asked)
            yield PageEnd(page_number, next_url, followed=followed)
            if refusal:
                raise ContentRefused(f"page {page_number} links to {next_url}, {refusal}")
            if not followed:
                return
            if page_number >= max_pages:
                raise ContentRefused(
                    f"more than {max_pages} pages (option max_pages); stopped at {next_url}."
                )
            seen_links.add(next_url)
            document = context.fetch(next_url)
            page_number += 1


def _link_refusal(page_url: str, next_url: str) -> str:
    """Why a page's link must never be followed ("" if it may be): a page from the web may
    not make the reader open a local file, and a local file only the files beside it."""
    try:
        target = local_path(next_url)
        page = local_path(page_url)
    except FetchError:
        return "neither http(s) nor a file."
    if target is None:
        return ""
    if page is None:
        return "not http(s): a page from the web may not name a local file."
    if target.resolve().parent != page.resolve().parent:
        return (
            f"which is not a file beside {page}: a local file's nextLink is followed only "
            "to a file in the same directory."
        )
    return ""


def _follows(page_url: str, next_url: str, *, asked: bool | None) -> bool:
    """Whether the paging goes on to a link it may follow: unless the option
    ``follow_next_link`` says, a web page's link to the web and a local file's link to a file
    beside it are followed, and a local file's link to the web is not (reading a file at
    hand should not reach out to the internet unasked)."""
    if asked is not None:
        return asked
    return local_path(page_url) is None or local_path(next_url) is not None


def _page(document: Document, max_bytes: int) -> tuple[list[Any], str]:
    """A page's flows and its next link ("" on the last page)."""
    with document.open() as stream:
        content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ContentRefused(
            f"{document.url} is larger than {max_bytes:,} bytes (option max_page_bytes)."
        )
    try:
        page = json.loads(content)
    except (ValueError, RecursionError) as error:  # not UTF-8 or not JSON, or nested too deep
        raise ContentRefused(f"{document.url} is not JSON: {error}") from None
    data = page.get("data") if isinstance(page, dict) else None
    flows = data.get("flows") if isinstance(data, dict) else None
    if not isinstance(flows, list):
        raise ContentRefused(f"{document.url} is not an FTS flow search: no data.flows list.")
    meta = page.get("meta")
    next_link = meta.get("nextLink") if isinstance(meta, dict) else None
    if next_link is not None and not isinstance(next_link, str):
        raise ContentRefused(f"{document.url}: meta.nextLink is not a URL: {next_link!r}.")
    next_link = (next_link or "").strip()
    try:
        urljoin(document.url, next_link)
    except ValueError as error:  # an unclosed "[" of an IPv6 host, say
        raise ContentRefused(f"{document.url}: meta.nextLink {next_link!r}: {error}.") from None
    return flows, next_link


def _record(flow: Any, where: str) -> Record:
    raw = json.dumps(flow, ensure_ascii=False)
    if not isinstance(flow, dict) or flow.get("id") in (None, ""):
        return Rejection(where, raw, "The flow is not an object with an id.")
    flow_id = str(flow["id"])
    position = f"{where} (id {flow_id})"
    try:
        return _entry(flow, flow_id, position, raw)
    except _Unmappable as problem:
        return Rejection(position, raw, str(problem))


def _entry(flow: dict[str, Any], flow_id: str, position: str, raw: str) -> IncomingEntry:
    status = flow.get("status")
    stage = STAGES.get(status.strip().lower()) if isinstance(status, str) else None
    if stage is None:
        raise _Unmappable(f"The status {status!r} is not one of {', '.join(STAGES)}.")
    amount, currency = _amount(flow)
    value_date = _date(flow.get("date"))
    if value_date is None:
        raise _Unmappable(f"The date {flow.get('date')!r} is not an ISO date.")
    decided_on = _date(flow.get("decisionDate"))
    donor = _organization(flow.get("sourceObjects"), locations_stand_in=False)
    if not donor:
        raise _Unmappable("The flow names no source organization (the donor).")
    description = " ".join(str(flow.get("description") or "").split())
    return IncomingEntry(
        external_id=f"fts:{flow_id}",
        position=position,
        raw=raw,
        commitment=IncomingCommitment(
            scheme=IdentifierScheme.FTS,
            identifier=flow_id,
            title=_title(description) or f"FTS flow {flow_id}",
            description=description,
            donor=donor,
            recipient=_organization(flow.get("destinationObjects"), locations_stand_in=True),
            category=AidCategory.HUMANITARIAN,
            announced_on=min(value_date, decided_on or value_date),
        ),
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=value_date,
        note=_note(flow, flow_id),
    )


def _amount(flow: dict[str, Any]) -> tuple[Decimal, str]:
    original = _number(flow.get("originalAmount"))
    currency = flow.get("originalCurrency")
    if original is not None and original > 0 and isinstance(currency, str) and currency.strip():
        return original, currency.strip().upper()
    usd = _number(flow.get("amountUSD"))
    if usd is None or usd <= 0:
        raise _Unmappable(
            "The flow has no positive amount: originalAmount "
            f"{flow.get('originalAmount')!r}, amountUSD {flow.get('amountUSD')!r}."
        )
    return usd, "USD"


def _number(value: Any) -> Decimal | None:
    """A JSON number as a Decimal (a float by its shortest repr, so 0.1 stays 0.1)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _date(value: Any) -> date | None:
    """The day of an ISO date or timestamp ("2020-01-09T00:00:00Z"), as written; None if
    missing or not ISO."""
    try:
        return datetime.fromisoformat(value).date() if isinstance(value, str) else None
    except ValueError:
        return None


def _organization(objects: Any, *, locations_stand_in: bool) -> OrganizationRef:
    """The first Organization of a flow's side; a national government becomes the state of
    the side's only Location. With ``locations_stand_in``, a side with no Organization is
    its only Location."""
    items = (
        [item for item in objects if isinstance(item, dict)] if isinstance(objects, list) else []
    )
    locations = [str(i.get("name") or "").strip() for i in items if i.get("type") == "Location"]
    location = locations[0] if len(locations) == 1 else ""
    organization = next((i for i in items if i.get("type") == "Organization"), None)
    if organization is None:
        if not (locations_stand_in and location):
            return OrganizationRef()
        return _state(location) or OrganizationRef(name=location)
    name = str(organization.get("name") or "").strip()
    types = [str(t).lower() for t in organization.get("organizationTypes") or []]
    subtypes = [str(t).lower() for t in organization.get("organizationSubTypes") or []]
    if "government" in types and "national government" in subtypes and location:
        state = _state(location)
        if state:
            return state
    kind = next((ORGANIZATION_KINDS[t] for t in types if t in ORGANIZATION_KINDS), None)
    return OrganizationRef(name=name, kind=kind or OrganizationKind.OTHER)


def _state(location: str) -> OrganizationRef:
    code = _country_code(location)
    if not code:
        return OrganizationRef()
    return OrganizationRef(name=location, kind=OrganizationKind.STATE, country_code=code)


@cache
def _country_code(name: str) -> str:
    """The ISO 3166 code of a country FTS names, matched exactly (no guessing)."""
    try:
        return str(pycountry.countries.lookup(name).alpha_2)
    except LookupError:
        return ""


def _title(description: str) -> str:
    if len(description) <= TITLE_LENGTH:
        return description
    cut = description[: TITLE_LENGTH - 3].rsplit(" ", 1)[0]
    return f"{cut}..."


def _note(flow: dict[str, Any], flow_id: str) -> str:
    parts = [f"FTS flow {flow_id} version {flow.get('versionId')}"]
    for label, field in (
        ("flow type", "flowType"),
        ("boundary", "boundary"),
        ("contribution", "contributionType"),
    ):
        if flow.get(field):
            parts.append(f"{label} {flow[field]}")
    keywords = flow.get("keywords")
    if isinstance(keywords, list) and keywords:
        parts.append("keywords " + ", ".join(str(k) for k in keywords))
    return "; ".join(parts)


def _flag(value: Any) -> bool:
    """An option's truth, also from text ("false", "no", "0" are false)."""
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "no", "0", "off", "")
    return bool(value)


def _positive(options: Mapping[str, Any], name: str, default: int) -> int:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"The option {name} must be a positive whole number, not {value!r}.")
    return value


ADAPTER = _Adapter()
