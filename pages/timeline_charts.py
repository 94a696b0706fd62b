"""The Vega-Lite specs (built with Altair) of the timeline and coordination charts.

Each function takes rows already read through ``ledger.selectors.series`` and worded for
people (the views do that), and returns a chart; ``pages.charts`` renders it to SVG.
Static SVG has no hover tooltips, so every mark carries a ``description`` (vl-convert
writes it as the mark's ``aria-label``, which screen readers read), one legend names every
kind of mark, and the page beside the chart lists the same rows as text.

Amounts reach the chart as floats: Vega draws with binary numbers, and a pixel does not
need the cent. The exact figures are in the page's table.
"""

from datetime import date
from typing import Any

import altair as alt

# Measured by vl-convert and drawn by the browser in the same metrics (see pages.charts).
from pages.charts import FONT


def config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=13, titleFontSize=13)
        .configure_legend(symbolOpacity=1, labelFontSize=13, titleFontSize=13, columnPadding=24)
    )


WIDTH = 860
HEIGHT = 320
# One colour per kind of mark, so that one legend explains them all.
KEY = {
    "Pledged": "#6a51a3",
    "Committed": "#1f5fa8",
    "Disbursed": "#2a7d3f",
    "Pause (shaded)": "#e6a030",
    "Coordination handover": "#444444",
    "Event": "#b0413e",
}
LABEL_LIMIT = 420  # pixels: a long label is cut with an ellipsis, the list has it whole
# Axis labels for large sums: "12 bn", "350 m"; the table has the exact amounts.
AMOUNT_LABELS = (
    "abs(datum.value) >= 1e9 ? format(datum.value / 1e9, '~r') + ' bn'"
    " : abs(datum.value) >= 1e6 ? format(datum.value / 1e6, '~r') + ' m'"
    " : format(datum.value, ',~r')"
)


def _key(marks: list[str], *, title: str = "Key") -> alt.Color:
    used = [name for name in KEY if name in marks]
    return alt.Color(
        "mark:N",
        scale=alt.Scale(domain=used, range=[KEY[name] for name in used]),
        legend=alt.Legend(title=title, orient="bottom", columns=3, labelLimit=260),
    )


def _time_ticks(domain: tuple[date, date], *, grid: bool = True) -> alt.Axis:
    """Years over a span of years (a tick a quarter would repeat "2022"), else months."""
    if (domain[1] - domain[0]).days > 3 * 365:
        return alt.Axis(format="%Y", tickCount={"interval": "year", "step": 1}, grid=grid)
    return alt.Axis(format="%b %Y", labelOverlap=True, grid=grid)


def _day_axis(field: str, *, domain: tuple[date, date]) -> alt.X:
    return alt.X(
        f"{field}:T",
        title=None,
        scale=alt.Scale(type="utc", domain=[d.isoformat() for d in domain]),
        axis=_time_ticks(domain, grid=False),
    )


def _labels(
    rows: list[dict[str, Any]], *, field: str, row: int, domain: tuple[date, date]
) -> list[alt.Chart]:
    """Text labels of bands or rules, one line each (``row``) below the top: a mark in
    the left half of the chart is labelled rightwards from it, one in the right half
    leftwards from it, so that no label runs off the chart."""
    middle = domain[0] + (domain[1] - domain[0]) / 2
    charts = []
    for rightwards in (True, False):
        chosen = [r for r in rows if (date.fromisoformat(r[field]) < middle) == rightwards]
        charts.append(
            alt.Chart(alt.Data(values=chosen))
            .mark_text(
                align="left" if rightwards else "right",
                baseline="top",
                dx=4 if rightwards else -4,
                dy=4 + row * 18,
                limit=LABEL_LIMIT,
                fontSize=12,
                lineBreak="\n",
            )
            .encode(
                x=_day_axis(field, domain=domain),
                y=alt.value(0),
                text="short:N",
                description="label:N",
            )
        )
    return charts


def timeline_chart(
    *,
    steps: list[dict[str, Any]],
    bands: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    points: list[dict[str, Any]],
    currency: str,
    domain: tuple[date, date],
) -> alt.TopLevelMixin:
    """Cumulative figures as step lines; pauses as shaded bands (``start``, ``end``,
    ``label``); handovers as dashed rules (``day``, ``label``); events as points on the
    floor (``day``, ``label``). Each row's ``mark`` names its entry in ``KEY``."""
    marks = sorted({r["mark"] for r in [*steps, *bands, *rules, *points]}, key=list(KEY).index) or [
        "Committed"
    ]
    color = _key(marks)
    x = _day_axis("day", domain=domain)
    x_start = _day_axis("start", domain=domain)
    layers = [
        alt.Chart(alt.Data(values=bands))
        .mark_rect(opacity=0.35)
        .encode(x=x_start, x2="end:T", color=color, description="label:N"),
        *_labels(bands, field="end", row=0, domain=domain),
        alt.Chart(alt.Data(values=steps))
        .mark_line(interpolate="step-after", point=True, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "amount:Q",
                title=f"Cumulative amount ({currency})",
                axis=alt.Axis(labelExpr=AMOUNT_LABELS),
            ),
            color=color,
            detail="mark:N",
            description="label:N",
        ),
        alt.Chart(alt.Data(values=rules))
        .mark_rule(strokeDash=[6, 3], strokeWidth=2)
        .encode(x=x, color=color, description="label:N"),
        *_labels(rules, field="day", row=2, domain=domain),
        alt.Chart(alt.Data(values=points))
        .mark_point(shape="diamond", filled=True, size=90, opacity=1)
        .encode(x=x, y=alt.value(HEIGHT - 6), color=color, description="label:N"),
    ]
    chart = alt.layer(*layers).properties(width=WIDTH, height=HEIGHT)
    return config(chart)


def mandates_chart(*, bars: list[dict[str, Any]], domain: tuple[date, date]) -> alt.TopLevelMixin:
    """One row per coordination body; a bar per mandate from its start to its end (or the
    day read), coloured by responsibility; the part of the bar within the precision of
    its start (``vague_until``: a start known only to the year spans that year) is
    pale, so a date known to the year does not read as known to the day."""
    responsibilities = sorted({b["responsibility"] for b in bars})
    palette = ["#1f5fa8", "#2a7d3f", "#6a51a3", "#b0413e", "#8a6d1f"]
    color = alt.Color(
        "responsibility:N",
        scale=alt.Scale(domain=responsibilities, range=palette[: max(len(responsibilities), 1)]),
        legend=alt.Legend(title="Responsibility", orient="bottom", labelLimit=400),
    )
    y = alt.Y(
        "body:N",
        title=None,
        sort=[b["body"] for b in bars],
        # Each row is named above its bars (below), which leaves the plot the width.
        axis=alt.Axis(labels=False, ticks=False, domain=False),
    )
    x = alt.X(
        "start:T",
        title=None,
        scale=alt.Scale(type="utc", domain=[d.isoformat() for d in domain]),
        axis=_time_ticks(domain),
    )
    data = alt.Data(values=bars)
    layers = [
        alt.Chart(data)
        .mark_bar(height=22, cornerRadius=2)
        .encode(x=x, x2="end:T", y=y, color=color, description="label:N"),
        alt.Chart(data)
        .mark_bar(height=22, color="white", opacity=0.55)
        .encode(x=x, x2="vague_until:T", y=y, description="vagueness:N"),
        alt.Chart(data)
        .mark_text(align="left", dy=-22, fontSize=13, fontWeight="bold", limit=WIDTH - 40)
        .encode(x=alt.value(0), y=y, text="body:N", description="label:N"),
        alt.Chart(data)
        .mark_text(align="left", dx=4, dy=24, fontSize=12, limit=LABEL_LIMIT)
        .encode(x=x, y=y, text="short:N", description="label:N"),
    ]
    rows = max(len({b["body"] for b in bars}), 1)
    return config(alt.layer(*layers).properties(width=WIDTH - 160, height=rows * 90))
