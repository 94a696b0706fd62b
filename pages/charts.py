"""Charts as Altair specs, drawn to SVG on the server by vl-convert, with a text twin.

No JavaScript reads a chart: the page carries the SVG inline, a summary for screen
readers (``aria-label`` and the caption) and the same numbers as a table. vl-convert runs
Vega in an embedded engine; ``allowed_base_urls=[]`` forbids it every external request,
so a spec that names a data URL fails instead of fetching (the data are inline,
``alt.Data(values=…)``, no pandas).
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from hashlib import blake2b
from typing import Any

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe

from ledger.formatting import format_amount
from pages.caching import cached, keep

# Readable on white, and told apart by people with the commonest colour blindness
# (Okabe and Ito's palette).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
# Vega measures text to lay a chart out, then the browser draws it: both must use the
# same metrics, or long labels overflow. Liberation Sans has Arial's (Debian ships it).
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
# The plot's width: with its labels the drawing is about 440 px wide, which a
# phone shows at three quarters, text still readable; wider screens show it as drawn.
WIDTH = 260
LABEL_LIMIT = 160
SVG_TIMEOUT_SECONDS = 24 * 3600
# Axis labels in SI steps with billions as "B", as English readers write them (d3's "G").
SI_LABEL = "replace(format(datum.value, '~s'), 'G', 'B')"


@dataclass(frozen=True)
class Table:
    """A chart's numbers as text: the header row and the rows, already formatted."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    links: Sequence[str] = ()  # where each row's first cell leads (the rows behind it)

    def lines(self) -> list[tuple[str, str, Sequence[str]]]:
        """Each row as (link or "", first cell, other cells), for the template."""
        links = list(self.links) or [""] * len(self.rows)
        return [(link, row[0], row[1:]) for link, row in zip(links, self.rows, strict=True)]


@dataclass(frozen=True)
class Figure:
    """What ``pages/_chart.html`` shows: the SVG, its summary and its table."""

    svg: SafeString
    summary: str
    table: Table
    caption: str = ""


def render_svg(chart: alt.TopLevelMixin) -> SafeString:
    """The chart drawn as SVG, without any network access (see the module's docstring).

    Drawing costs tens of milliseconds a chart, so each drawing is kept by its spec (data
    included): a chart whose numbers did not change is not drawn again when the ledger's
    revision moves, or on another page that shows it. The spec is validated in the tests
    (``chart.to_dict()``); here vl-convert refuses a bad one anyway.
    """
    spec = chart.to_dict(validate=False)
    text = json.dumps(spec, sort_keys=True, default=str)
    key = "pages:svg:" + blake2b(text.encode(), digest_size=16).hexdigest()
    svg = cached(key)
    if not isinstance(svg, str):
        svg = vl_convert.vegalite_to_svg(text, allowed_base_urls=[])
        keep(key, svg, SVG_TIMEOUT_SECONDS)
    # The SVG is our own spec's drawing, its text escaped by Vega: safe to inline.
    return mark_safe(svg)


def config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=15, titleFontSize=15, labelLimit=LABEL_LIMIT)
        .configure_legend(labelFontSize=15, symbolSize=150)
    )


def stacked_bars(
    rows: Sequence[dict[str, Any]],
    *,
    label: str,
    stack: str,
    value: str,
    groups: Sequence[str],
    stack_order: Sequence[str],
    currency: str,
    value_title: str,
) -> alt.TopLevelMixin:
    """Horizontal bars, one per ``label`` in the order of ``groups``, each stacked by
    ``stack`` in ``stack_order``. ``value`` holds Decimals, drawn as floats (a chart is a
    picture; the table beside it keeps the exact figures); ``shown`` is the tooltip's."""
    order = {name: i for i, name in enumerate(stack_order)}
    values = [
        {
            label: r[label],
            stack: r[stack],
            value: float(r[value]),
            "shown": r["shown"],
            "order": order.get(r[stack], len(order)),
        }
        for r in rows
    ]
    chart = (
        alt.Chart(alt.Data(values=values), width=WIDTH, height=max(60, 28 * len(groups)))
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort=list(groups), title=None),
            x=alt.X(
                f"sum({value}):Q",
                title=f"{value_title} ({currency})",
                axis=alt.Axis(labelExpr=SI_LABEL, tickCount=4),
            ),
            color=alt.Color(
                f"{stack}:N",
                sort=list(stack_order),
                scale=alt.Scale(domain=list(stack_order), range=PALETTE[: len(stack_order)]),
                legend=alt.Legend(
                    orient="bottom", title=None, columns=1, labelLimit=LABEL_LIMIT + 100
                ),
            ),
            order=alt.Order("order:Q"),
            tooltip=[f"{label}:N", f"{stack}:N", "shown:N"],
        )
    )
    return config(chart)


def lines_over_time(
    points: Sequence[dict[str, Any]],
    *,
    series_order: Sequence[str],
    currency: str,
    value_title: str,
    bands: Sequence[dict[str, Any]] = (),
    rules: Sequence[dict[str, Any]] = (),
    width: int = WIDTH + 160,
) -> alt.TopLevelMixin:
    """Cumulative amounts over time, one stepped line per series, over shaded ``bands``
    (periods, e.g. pauses) and marked ``rules`` (moments, e.g. handovers).

    ``points``: ``{"date": "YYYY-MM-DD", "series": …, "v": Decimal, "shown": text}``;
    ``bands``: ``{"start", "end" (ISO dates), "label"}``; ``rules``: ``{"date", "label"}``.
    """
    values = [{**p, "v": float(p["v"])} for p in points]
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=4))
    layers: list[alt.Chart] = []
    if bands:
        band = alt.Chart(alt.Data(values=list(bands)))
        layers.append(
            band.mark_rect(color="#999999", opacity=0.25).encode(
                x=alt.X("start:T"), x2="end:T", tooltip=["label:N", "start:T", "end:T"]
            )
        )
    if rules:
        rule = alt.Chart(alt.Data(values=list(rules)))
        layers.append(
            rule.mark_rule(color="#1b1f24", strokeDash=[4, 3], strokeWidth=1.5).encode(
                x=alt.X("date:T"), tooltip=["label:N", "date:T"]
            )
        )
    line = alt.Chart(alt.Data(values=values)).mark_line(interpolate="step-after", point=True)
    layers.append(
        line.encode(
            x=x,
            y=alt.Y(
                "v:Q",
                title=f"{value_title} ({currency})",
                axis=alt.Axis(labelExpr=SI_LABEL, tickCount=4),
            ),
            color=alt.Color(
                "series:N",
                sort=list(series_order),
                scale=alt.Scale(domain=list(series_order), range=PALETTE[: len(series_order)]),
                legend=alt.Legend(orient="bottom", title=None, columns=1),
            ),
            tooltip=["series:N", "date:T", "shown:N"],
        )
    )
    chart = alt.layer(*layers).properties(width=width, height=220)
    return config(chart)


def money(amount: Decimal, currency: str) -> str:
    """An amount as the pages write it."""
    return format_amount(amount, currency)
