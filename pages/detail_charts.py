"""The small charts of the donor and commitment pages, as Altair specs.

Each page prints the numbers a chart draws in a table beside it (its text alternative),
so a chart only has to show the shape. Amounts become floats here because a chart spec is
JSON and only places marks; every figure people read comes from the Decimal selectors.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import altair as alt

from ledger.formatting import format_amount
from ledger.models import Commitment
from ledger.selectors.details import CHART_STAGES, CumulativePoint
from pages.charts import Figure, Table, config, render_svg
from pages.detail_display import dated

STAGE_LABELS = {
    "pledged": "Pledged",
    "committed": "Committed",
    "allocated": "Allocated",
    "disbursed": "Disbursed",
}
# One colour per stage, the same on both pages; distinguishable with common colour blindness
# (Okabe-Ito) and each also named in the legend and the table.
STAGE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
TITLE_CHARACTERS = 34
WIDTH = 560
# Axis labels as people write large sums ("12 bn"), not in SI prefixes ("12G").
AMOUNT_AXIS = alt.Axis(
    labelExpr=(
        "replace(replace(replace(format(datum.value, '~s'), 'G', ' bn'), 'M', ' m'), 'k', ' k')"
    )
)
MONTHS_ON_AXIS = 8
# Below the chart, so it takes no width from the plot on a phone.
LEGEND = alt.Legend(orient="bottom", columns=4)
# More bars than this would not read at a glance; the page's table lists every commitment.
CHARTED_COMMITMENTS = 12


def _stage_scale() -> alt.Scale:
    return alt.Scale(domain=[STAGE_LABELS[s] for s in CHART_STAGES], range=STAGE_COLOURS)


def _short(title: str) -> str:
    return title if len(title) <= TITLE_CHARACTERS else title[: TITLE_CHARACTERS - 1] + "…"


def _months_later(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def donor_stages_chart(
    rows: Sequence[tuple[str, Mapping[str, Decimal]]], *, currency: str
) -> alt.Chart | None:
    """Bars of each commitment's stages (``rows``: its title and its figures), or None
    when there is nothing to draw."""
    data: list[dict[str, Any]] = [
        {
            "commitment": _short(title),
            "stage": STAGE_LABELS[stage],
            "amount": float(figures[stage]),
            "label": format_amount(figures[stage], currency),
        }
        for title, figures in rows
        for stage in CHART_STAGES
    ]
    if not any(row["amount"] for row in data):
        return None
    return (
        alt.Chart(alt.Data(values=data))
        .mark_bar()
        .encode(
            y=alt.Y("commitment:N", title=None, sort=None),
            yOffset=alt.YOffset("stage:N", sort=[STAGE_LABELS[s] for s in CHART_STAGES]),
            x=alt.X("amount:Q", title=f"Amount ({currency})", axis=AMOUNT_AXIS),
            color=alt.Color("stage:N", title=None, scale=_stage_scale(), legend=LEGEND),
            tooltip=[alt.Tooltip("commitment:N"), alt.Tooltip("stage:N"), alt.Tooltip("label:N")],
        )
        # Room on the left: Vega measures the labels with fonts the browser may not use.
        .properties(width=WIDTH, padding={"left": 48, "top": 5, "right": 5, "bottom": 5})
    )


def commitment_cumulative_chart(
    points: Sequence[CumulativePoint], *, currency: str
) -> alt.Chart | None:
    """Steps of each stage's running total by month of value date, or None when there is
    nothing to draw. The steps start from nothing in the month before the first entry and
    hold the last level for a month, so even a single entry draws a step."""
    if not points:
        return None
    before = CumulativePoint(
        month=_months_later(points[0].month, -1), figures=dict.fromkeys(CHART_STAGES, Decimal(0))
    )
    after = CumulativePoint(month=_months_later(points[-1].month, 1), figures=points[-1].figures)
    months = (after.month.year - before.month.year) * 12 + after.month.month - before.month.month
    data: list[dict[str, Any]] = [
        {
            "month": point.month.isoformat(),
            "stage": STAGE_LABELS[stage],
            "amount": float(point.figures[stage]),
            "label": format_amount(point.figures[stage], currency),
        }
        for point in (before, *points, after)
        for stage in CHART_STAGES
    ]
    if not any(row["amount"] for row in data):
        return None
    return (
        alt.Chart(alt.Data(values=data))
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X(
                "month:T",
                title="Month of value date",
                # Dates are calendar months, not instants: read and drawn in UTC so no
                # time zone moves one into the month before.
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(
                    format="%b %Y",
                    tickCount={"interval": "month", "step": max(1, -(-months // MONTHS_ON_AXIS))},
                ),
            ),
            y=alt.Y("amount:Q", title=f"Cumulative ({currency})", axis=AMOUNT_AXIS),
            color=alt.Color("stage:N", title=None, scale=_stage_scale(), legend=LEGEND),
            tooltip=[
                alt.Tooltip("month:T", format="%B %Y", formatType="utc"),
                alt.Tooltip("stage:N"),
                alt.Tooltip("label:N"),
            ],
        )
        .properties(width=WIDTH, height=220)
    )


def donor_figure(
    commitments: Sequence[Commitment],
    figures: Mapping[int, Mapping[str, Decimal]],
    *,
    currency: str,
    of_latest: bool = False,
) -> Figure | None:
    """The largest of ``commitments`` by stage, with their numbers as a table;
    ``of_latest`` says they are the latest announced of more."""
    largest = sorted(
        commitments,
        key=lambda c: max(figures[c.pk]["pledged"], figures[c.pk]["committed"]),
        reverse=True,
    )[:CHARTED_COMMITMENTS]
    chart = donor_stages_chart([(c.title, figures[c.pk]) for c in largest], currency=currency)
    if chart is None:
        return None
    shown = "its commitment" if len(largest) == 1 else f"its {len(largest)} largest commitments"
    if len(largest) == len(commitments) and len(largest) > 1:
        shown = f"its {len(largest)} commitments"
    if of_latest:
        shown += f" among the {len(commitments)} latest announced"
    return Figure(
        svg=render_svg(config(chart)),
        summary=(
            f"Bars of the pledged, committed, allocated and disbursed amounts in {currency} "
            f"of {shown}."
        ),
        table=Table(
            headers=["Commitment", *(STAGE_LABELS[s] for s in CHART_STAGES)],
            rows=[
                [c.title, *(format_amount(figures[c.pk][s], currency) for s in CHART_STAGES)]
                for c in largest
            ],
        ),
    )


def commitment_figure(points: Sequence[CumulativePoint], *, currency: str) -> Figure | None:
    """The commitment's running totals by month, with their numbers as a table."""
    chart = commitment_cumulative_chart(points, currency=currency)
    if chart is None:
        return None
    return Figure(
        svg=render_svg(config(chart)),
        summary=(
            f"Steps of the cumulative pledged, committed, allocated and disbursed amounts in "
            f"{currency}, by month of value date, from {dated(points[0].month, 'month')} "
            f"to {dated(points[-1].month, 'month')}."
        ),
        table=Table(
            headers=["Month", *(STAGE_LABELS[s] for s in CHART_STAGES)],
            rows=[
                [
                    dated(p.month, "month"),
                    *(format_amount(p.figures[s], currency) for s in CHART_STAGES),
                ]
                for p in points
            ],
        ),
    )
