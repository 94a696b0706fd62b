"""What the donor and commitment pages share: their headline figures, dates as precise as
their sources, and the numbered list of sources every row cites by number."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from ledger.formatting import format_amount, web_url
from ledger.models import Source
from ledger.selectors.details import PauseRow
from pages.forms import PageQuery
from pages.overview_figures import MEASURE_LABELS

DATE_FORMATS = {"day": "%-d %B %Y", "week": "week of %-d %B %Y", "month": "%B %Y", "year": "%Y"}
# The most rows a table shows; the API link beside it has them all. More would not read at
# a glance, and would cost a cold page more than its half-second budget.
TABLE_ROWS = 50
# What a link from one detail page to another keeps of the query string.
CARRIED = ("as_of", "known_at", "currency")
# Schemes a browser follows without running anything: a source's URL is outside input.


def carried(query: PageQuery) -> str:
    """The time axes and currency of the page, as a query string for its links to the
    other detail pages (``?as_of=…``), or empty. Built from the validated values, so a
    cached page links the same whichever spelling of them first asked for it."""
    kept = {name: value for name, value in query.api_params().items() if name in CARRIED}
    return f"?{urlencode(kept)}" if kept else ""


def dated(day: date | None, precision: str = "day") -> str:
    """``7 July 2025``, ``week of 30 June 2025``, ``July 2025`` or ``2025``: no more
    precise than the source that gave the date."""
    if day is None:
        return "not stated"
    return day.strftime(DATE_FORMATS.get(precision, DATE_FORMATS["day"]))


def axes_in_words(query: PageQuery) -> str:
    """``in EUR, as of 5 July 2025, as the ledger knew it at …``: what the figures are."""
    words = f"in {query.currency}"
    if query.as_of:
        words += f", as of {dated(query.as_of)}"
    if query.known_at:
        words += f", as the ledger knew it at {query.known_at:%-d %B %Y, %H:%M} UTC"
    return words


def headline(figures: Mapping[str, Any], currency: str) -> list[dict[str, str]]:
    """The six figures as the page lists them: name, label and the amount as people read it."""
    return [
        {"name": name, "label": label, "shown": format_amount(figures[name], currency)}
        for name, label in MEASURE_LABELS.items()
    ]


@dataclass
class Citations:
    """Sources numbered in the order the page first cites them, each listed once."""

    numbers: dict[int, int] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)

    def cite(self, sources: Iterable[Source]) -> list[int]:
        """The numbers of ``sources``, numbering the new ones."""
        cited = []
        for source in sources:
            if source.pk not in self.numbers:
                self.sources.append(source)
                self.numbers[source.pk] = len(self.sources)
            if self.numbers[source.pk] not in cited:
                cited.append(self.numbers[source.pk])
        return cited

    def listing(self) -> list[dict[str, Any]]:
        """Each source with its number, its link (if a web address) and its dates."""
        return [
            {
                "number": number,
                "source": source,
                "url": web_url(source.url),
                "published": dated(source.published_on) if source.published_on else "",
            }
            for number, source in enumerate(self.sources, start=1)
        ]


def pause_scope(row: PauseRow) -> str:
    pause = row.pause
    if pause.commitment_id is not None:
        return f"Commitment: {pause.commitment.title}" if pause.commitment else "One commitment"
    if pause.category:
        return f"All {pause.get_category_display().lower()} aid"
    return "All aid"


def pause_rows(rows: Iterable[PauseRow], citations: Citations) -> list[dict[str, Any]]:
    """Pauses as the table shows them, their sources cited (the resumption's too)."""
    return [
        {
            "what": row.pause.description or pause_scope(row),
            "scope": pause_scope(row),
            "paused_on": dated(row.pause.paused_on, row.pause.paused_on_precision),
            "resumed_on": dated(row.resumed_on) if row.resumed_on else "",
            "in_force": row.in_force,
            "ordered_by": row.pause.ordered_by.name if row.pause.ordered_by else "",
            "reason": row.pause.reason,
            "cited": citations.cite(
                [*row.sources, *([row.resumption_source] if row.resumption_source else [])]
            ),
        }
        for row in rows
    ]


def signed(amount: Decimal, currency: str, *, reversal: bool) -> str:
    """An entry's amount as it counts: a reversal with a minus sign."""
    return format_amount(-amount if reversal else amount, currency)
