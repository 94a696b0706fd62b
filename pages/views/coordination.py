"""``/coordination/``: who held which coordination responsibility when, as a Gantt-like
chart of mandates and as a table with each mandate's sources, on both time axes."""

from datetime import date, datetime, timedelta
from typing import Any

from ledger.formatting import format_dated, format_day
from ledger.models import DatePrecision
from ledger.selectors.series import MandateSpan, mandate_spans
from pages.charts import Figure, Table, render_svg
from pages.forms import PageQuery
from pages.links import api_links
from pages.timeline_charts import mandates_chart
from pages.views.base import PageView
from pages.views.timeline import day_read

MARGIN = timedelta(days=60)


def period_end(day: date, precision: str) -> date:
    """The first day after the period a date of this precision names (its stored date is
    the period's first day): a start known to the year could be any day of that year."""
    if precision == DatePrecision.WEEK:
        return day + timedelta(days=7)
    if precision == DatePrecision.MONTH:
        return (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(year=day.year + 1, month=1, day=1)
    return day + timedelta(days=1)


def until_text(span: MandateSpan, on: date) -> str:
    if span.ended_on is not None:
        return f"until {format_day(span.ended_on)}"
    return f"still held on {format_day(on)}"


def describe_span(span: MandateSpan, on: date) -> dict[str, Any]:
    mandate = span.mandate
    since = format_dated(mandate.starts_on, mandate.starts_on_precision)
    vague_until = min(period_end(mandate.starts_on, mandate.starts_on_precision), span.shown_until)
    precision = mandate.get_starts_on_precision_display().lower()
    return {
        "span": span,
        "since": since,
        "precision": precision,
        "until": until_text(span, on),
        "successor_of": mandate.predecessor.body.name if mandate.predecessor else "",
        "label": (
            f"{mandate.body.name} held {mandate.responsibility.name} from {since} "
            f"(start known to the {precision}), {until_text(span, on)}."
        ),
        "bar": {
            "body": mandate.body.name,
            "responsibility": mandate.responsibility.name,
            "start": mandate.starts_on.isoformat(),
            "end": span.shown_until.isoformat(),
            "vague_until": vague_until.isoformat(),
            "short": f"from {since}, {until_text(span, on)}",
            "vagueness": f"The start is known only to the {precision}: {since}.",
        },
    }


def coordination_context(*, on: date, known_at: datetime | None) -> dict[str, Any]:
    """The mandates begun by ``on`` as the ledger knew them at ``known_at``, grouped by
    responsibility, and their chart."""
    rows = [describe_span(span, on) for span in mandate_spans(on=on, known_at=known_at)]
    for row in rows:
        row["bar"]["label"] = row["label"]
    responsibilities: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        responsibilities.setdefault(row["span"].mandate.responsibility.name, []).append(row)
    first = min((r["span"].mandate.starts_on for r in rows), default=on)
    chart = mandates_chart(bars=[r["bar"] for r in rows], domain=(first - MARGIN, on + MARGIN))
    table = Table(
        headers=["Coordination body", "Responsibility", "From", "Until"],
        rows=[
            [
                r["span"].mandate.body.name,
                r["span"].mandate.responsibility.name,
                f"{r['since']} ({r['precision']})",
                r["until"].removeprefix("until "),
            ]
            for r in rows
        ],
    )
    summary = " ".join(r["label"] for r in rows) or f"No mandate had begun by {format_day(on)}."
    return {
        "chart": chart,  # the spec, whose data tests and people may read
        "figure": Figure(svg=render_svg(chart), summary=summary, table=table),
        "responsibilities": responsibilities,
        "mandates": rows,
        "on": on,
        "empty": f"No mandate had begun by {format_day(on)}.",
    }


class CoordinationView(PageView):
    template_name = "pages/coordination.html"
    title = "Coordination"
    section = "coordination"

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        on = day_read(query)
        context = coordination_context(on=on, known_at=query.known_at)
        # The same mandates in the API: begun by the day read, recorded by known_at.
        extra = {"starts_on__lte": on.isoformat()}
        if query.known_at is not None:
            extra["recorded_at__lte"] = query.api_params()["known_at"]
        return context | {"query": query, "api": api_links("mandate-list", keep=(), extra=extra)}
