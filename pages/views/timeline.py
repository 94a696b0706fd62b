"""``/timeline/``: the cumulative figures over value dates, with the pauses, coordination
handovers and events around them, as a chart and as text, on both time axes."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ledger.formatting import format_amount, format_dated, format_day
from ledger.models import Commitment, Event, Mandate, Pause
from ledger.selectors.series import (
    PauseBand,
    Step,
    cumulative_figures,
    events,
    handovers,
    pause_bands,
)
from pages.charts import Figure, Table, render_svg
from pages.forms import PageQuery
from pages.links import api_links
from pages.timeline_charts import timeline_chart
from pages.views.base import PageView

MEASURES = {"pledged": "Pledged", "committed": "Committed", "disbursed": "Disbursed"}
# Room either side of the first and last mark, so none sits on the chart's edge.
MARGIN = timedelta(days=30)
# More points than a chart's width can show apart, and a table too long to read.
MAX_POINTS = 200


def day_read(query: PageQuery) -> date:
    """The valid-time day the page stands on: ``as_of``, or today (as ``figures`` judges
    pauses)."""
    return query.as_of or timezone.now().date()


def donors_of(query: PageQuery) -> list[int]:
    return [query.donor.pk] if query.donor else []


def commitments_of(query: PageQuery) -> QuerySet[Commitment] | None:
    """The commitments the donor and category narrow the figures to; None for all of
    them, which spares the figures a scoping subquery."""
    if query.donor is None and not query.category:
        return None
    found = Commitment.objects.all()
    if query.donor is not None:
        found = found.filter(donor=query.donor)
    if query.category:
        found = found.filter(category=query.category)
    return found


def pause_status(band: PauseBand) -> str:
    """``In force on 5 Jul 2025`` or ``Resumed 7 Jul 2025``: what the band means."""
    if band.resumed_on is not None:
        return f"Resumed {format_day(band.resumed_on)}"
    return f"In force on {format_day(band.ends_on)}"


def _scope_of(pause: Pause) -> str:
    if pause.commitment_id:
        return "commitment"
    return f"{pause.get_category_display().lower()} aid" if pause.category else "aid"


def describe_pause(band: PauseBand) -> dict[str, Any]:
    pause = band.pause
    what = pause.description or (
        str(pause.commitment) if pause.commitment_id else pause.get_category_display() or "all aid"
    )
    ordered_by = pause.ordered_by or pause.donor
    since = format_dated(pause.paused_on, pause.paused_on_precision)
    return {
        "band": band,
        "what": what,
        "ordered_by": ordered_by.name,
        "since": since,
        "status": pause_status(band),
        "label": (
            f"Pause of {pause.donor.name}'s {_scope_of(pause)}: {what}, "
            f"ordered by {ordered_by.name}, from {since}. {pause_status(band)}."
        ),
        # Two lines on the chart, so the label stays near the band.
        "short": f"Pause: {what}\n{pause_status(band)}",
        "summary": f"Pause: {what} ({pause_status(band)}).",
    }


def describe_handover(mandate: Mandate) -> dict[str, Any]:
    assert mandate.predecessor is not None  # a handover has one, by definition
    change = f"{mandate.predecessor.body.name} → {mandate.body.name}"
    when = format_dated(mandate.starts_on, mandate.starts_on_precision)
    return {
        "mandate": mandate,
        "change": change,
        "when": when,
        "label": f"Handover of {mandate.responsibility.name}: {change}, {when}.",
        "short": f"{change}",
    }


def describe_event(event: Event) -> dict[str, Any]:
    when = format_dated(event.occurred_on, event.occurred_on_precision)
    return {
        "event": event,
        "when": when,
        "label": f"{event.get_kind_display()}: {event.title}, {when}.",
    }


def thinned(steps: list[Step]) -> list[Step]:
    """At most about ``MAX_POINTS`` steps for the chart and its table: past that, the last
    step of each month (a running total, so exact on its day). Every day's figures are
    in the API's summary by day."""
    if len(steps) <= MAX_POINTS:
        return steps
    last_of_month = {(s.day.year, s.day.month): s for s in steps}
    return list(last_of_month.values())


def _chart_steps(steps: list[Step], *, on: date, currency: str) -> list[dict[str, Any]]:
    """Each measure's steps, held level to the day read (where the last step ends)."""
    rows = []
    extended = [*steps, replace(steps[-1], day=on)] if steps else []
    for name, title in MEASURES.items():
        for step in extended:
            amount: Decimal = getattr(step, name)
            rows.append(
                {
                    "mark": title,
                    "day": step.day.isoformat(),
                    "amount": float(amount),
                    "label": f"{title}, cumulative: {format_amount(amount, currency)} "
                    f"by {format_day(step.day)}.",
                }
            )
    return rows


def timeline_context(query: PageQuery) -> dict[str, Any]:
    """Everything the page shows: the chart and its text alternative."""
    on, known_at, donors = day_read(query), query.known_at, donors_of(query)
    every_step = cumulative_figures(
        currency=query.currency,
        as_of=query.as_of,
        known_at=known_at,
        commitments=commitments_of(query),
    )
    steps = thinned(every_step)
    pauses = [
        describe_pause(band)
        for band in pause_bands(on=on, known_at=known_at, donors=donors, category=query.category)
    ]
    changes = [describe_handover(m) for m in handovers(on=on, known_at=known_at)]
    happenings = [describe_event(e) for e in events(on=on, known_at=known_at, donors=donors)]
    days = [
        *(s.day for s in steps),
        *(p["band"].pause.paused_on for p in pauses),
        *(h["mandate"].starts_on for h in changes),
        *(e["event"].occurred_on for e in happenings),
    ]
    domain = (min(days, default=on) - MARGIN, on + MARGIN)
    chart = timeline_chart(
        steps=_chart_steps(steps, on=on, currency=query.currency),
        bands=[
            {
                "mark": "Pause (shaded)",
                "start": p["band"].pause.paused_on.isoformat(),
                "end": p["band"].ends_on.isoformat(),
                "label": p["label"],
                "short": p["short"],
            }
            for p in pauses
        ],
        rules=[
            {
                "mark": "Coordination handover",
                "day": h["mandate"].starts_on.isoformat(),
                "label": h["label"],
                "short": h["short"],
            }
            for h in changes
        ],
        points=[
            {"mark": "Event", "day": e["event"].occurred_on.isoformat(), "label": e["label"]}
            for e in happenings
        ],
        currency=query.currency,
        domain=domain,
    )
    table = Table(
        headers=["Value date", *(f"{title}, cumulative" for title in MEASURES.values())],
        rows=[
            [
                format_day(step.day),
                *(format_amount(getattr(step, name), query.currency) for name in MEASURES),
            ]
            for step in steps
        ],
    )
    figure = Figure(
        svg=render_svg(chart),
        summary=_summary(steps, pauses, changes, happenings, on=on, currency=query.currency),
        table=table,
    )
    return {
        "chart": chart,  # the spec, whose data tests and people may read
        "figure": figure,
        # How many value dates the chart thinned to months (none if it did not).
        "value_dates": len(every_step) if len(steps) < len(every_step) else 0,
        "unconverted": steps[-1].unconverted_entries if steps else 0,
        "empty": f"No entry has a value date on or before {format_day(on)}"
        + (" that the ledger knew of then." if known_at else "."),
        "pauses": pauses,
        "handovers": changes,
        "events": happenings,
        "on": on,
    }


def _summary(
    steps: list[Step],
    pauses: list[dict[str, Any]],
    changes: list[dict[str, Any]],
    happenings: list[dict[str, Any]],
    *,
    on: date,
    currency: str,
) -> str:
    """The chart in one paragraph, for screen readers and the caption."""
    last = steps[-1] if steps else None
    amounts = ", ".join(
        f"{title.lower()} {format_amount(getattr(last, name) if last else Decimal(0), currency)}"
        for name, title in MEASURES.items()
    )
    parts = [f"Cumulative amounts by value date up to {format_day(on)}: {amounts}."]
    parts += [p["summary"] for p in pauses]
    parts += [f"Coordination handover: {h['change']}, {h['when']}." for h in changes]
    if happenings:
        parts.append(f"{len(happenings)} event{'s' if len(happenings) != 1 else ''} marked.")
    return " ".join(parts)


class TimelineView(PageView):
    template_name = "pages/timeline.html"
    title = "Timeline"
    section = "timeline"

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        context = timeline_context(query)
        on = context["on"]
        return context | {
            "query": query,
            # The figures of the series, a row per value date (summed here), and the
            # dated facts around them.
            "api": api_links("summary", query, extra={"group_by": "day"}),
            "facts_api": api_links(
                "timeline", query, keep=("donor",), extra={"until": on.isoformat()}
            ),
        }
