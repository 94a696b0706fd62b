"""Charts as Altair specs, drawn to SVG on the server by vl-convert, with a text twin.

No JavaScript reads a chart: the page carries the SVG inline, a summary for screen
readers (``aria-label`` and the caption) and the same numbers as a table. vl-convert runs
Vega in an embedded engine; ``allowed_base_urls=[]`` forbids it every external request,
so a spec that names a data URL fails instead of fetching (the data are inline,
``alt.Data(values=…)``, no pandas).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import altair as alt
import vl_convert
from django.utils.safestring import SafeString, mark_safe

from ledger.formatting import format_amount

# Readable on white, and told apart by people with the commonest colour blindness
# (Okabe and Ito's palette).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
WIDTH = 640
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
    """The chart drawn as SVG, without any network access (see the module's docstring)."""
    spec = chart.to_dict()
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    # The SVG is our own spec's drawing, its text escaped by Vega: safe to inline.
    return mark_safe(svg)


def config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=220)
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
                axis=alt.Axis(labelExpr=SI_LABEL, tickCount=5),
            ),
            color=alt.Color(
                f"{stack}:N",
                sort=list(stack_order),
                scale=alt.Scale(domain=list(stack_order), range=PALETTE[: len(stack_order)]),
                legend=alt.Legend(orient="bottom", title=None, columns=2, labelLimit=260),
            ),
            order=alt.Order("order:Q"),
            tooltip=[f"{label}:N", f"{stack}:N", "shown:N"],
        )
    )
    return config(chart)


def money(amount: Decimal, currency: str) -> str:
    """An amount as the pages write it."""
    return format_amount(amount, currency)
