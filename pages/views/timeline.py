"""``/timeline/``: the cumulative figures over value dates, with the pauses, coordination
handovers and events around them, as a chart and as text, on both time axes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ledger.formatting import format_amount, format_dated, format_day
from ledger.models import Commitment, Event, Mandate
from ledger.selectors.series import (
    PauseBand,
    Step,
    cumulative_figures,
    events,
    handovers,
    pause_bands,
)
from pages.timeline_charts import timeline_chart

MEASURES = {"pledged": "Pledged", "committed": "Committed", "disbursed": "Disbursed"}
# Room either side of the first and last mark, so none sits on the chart's edge.
MARGIN = timedelta(days=30)


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What the page was asked for: the day read (``as_of``, or today), the moment whose
    knowledge counts, the currency, and the donors and category narrowing it."""

    on: date
    known_at: datetime | None
    currency: str
    donors: list[int]
    category: str
    as_of: date | None = None

    def commitments(self) -> QuerySet[Commitment] | None:
        if not self.donors and not self.category:
            return None  # the whole ledger, without a scoping subquery
        found = Commitment.objects.all()
        if self.donors:
            found = found.filter(donor_id__in=self.donors)
        if self.category:
            found = found.filter(category=self.category)
        return found


def pause_status(band: PauseBand) -> str:
    """``In force on 5 Jul 2025`` or ``Resumed 7 Jul 2025``: what the band means."""
    if band.resumed_on is not None:
        return f"Resumed {format_day(band.resumed_on)}"
    return f"In force on {format_day(band.ends_on)}"


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
            f"Pause of {pause.donor.name}'s {pause.get_category_display() or 'aid'}: {what}, "
            f"ordered by {ordered_by.name}, from {since}. {pause_status(band)}."
        ),
        "short": f"Pause: {what} ({pause_status(band)})",
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


def _table(steps: list[Step], currency: str) -> list[dict[str, Any]]:
    return [
        {
            "day": step.day,
            **{name: format_amount(getattr(step, name), currency) for name in MEASURES},
            "entry_count": step.entry_count,
            "unconverted_entries": step.unconverted_entries,
        }
        for step in steps
    ]


def _chart_steps(steps: list[Step], *, on: date, currency: str) -> list[dict[str, Any]]:
    """Each measure's steps, held level to the day read (where the last step ends)."""
    rows = []
    extended = [*steps, Step(**{**steps[-1].__dict__, "day": on})] if steps else []
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


def timeline_context(scope: Scope) -> dict[str, Any]:
    """Everything the page shows: the chart and its text alternative."""
    steps = cumulative_figures(
        currency=scope.currency,
        as_of=scope.as_of,
        known_at=scope.known_at,
        commitments=scope.commitments(),
    )
    pauses = [
        describe_pause(band)
        for band in pause_bands(
            on=scope.on, known_at=scope.known_at, donors=scope.donors, category=scope.category
        )
    ]
    changes = [describe_handover(m) for m in handovers(on=scope.on, known_at=scope.known_at)]
    happenings = [
        describe_event(e) for e in events(on=scope.on, known_at=scope.known_at, donors=scope.donors)
    ]
    days = [
        *(s.day for s in steps),
        *(p["band"].pause.paused_on for p in pauses),
        *(h["mandate"].starts_on for h in changes),
        *(e["event"].occurred_on for e in happenings),
    ]
    domain = (min(days, default=scope.on) - MARGIN, scope.on + MARGIN)
    chart = timeline_chart(
        steps=_chart_steps(steps, on=scope.on, currency=scope.currency),
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
        currency=scope.currency,
        domain=domain,
    )
    return {
        "chart": chart,
        "steps": _table(steps, scope.currency),
        "latest": steps[-1] if steps else None,
        "pauses": pauses,
        "handovers": changes,
        "events": happenings,
        "on": scope.on,
    }
