"""The overview's figures as charts and tables, from the rows of ``ledger.selectors``.

A stage's measure overlaps the others (disbursed is part of committed), so the bars split
each group's money in parts that do add up, as far as it got: disbursed, committed but
outstanding (on hold or not), and pledged beyond what was committed. A bar's length is
then the larger of pledged and committed; the table beside it gives every measure.
"""

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from ledger.models import AidCategory
from pages.charts import Figure, Table, money, render_svg, stacked_bars

MEASURE_LABELS = {
    "pledged": "Pledged",
    "committed": "Committed",
    "allocated": "Allocated",
    "disbursed": "Disbursed",
    "outstanding": "Outstanding",
    "on_hold": "On hold",
}
PARTS = {
    "disbursed": "Disbursed",
    "held": "Committed, on hold",
    "open": "Committed, not yet disbursed",
    "pledged": "Pledged, not committed",
}
CATEGORY_LABELS: dict[str, str] = {value: str(label) for value, label in AidCategory.choices}
BAR_TITLE = "Pledged or committed"


def parts(row: dict[str, Any]) -> dict[str, Decimal]:
    """A row's money in parts that add up; a negative part (more disbursed than
    committed, say) has no bar: the table shows it."""
    amounts = {
        "disbursed": row["disbursed"],
        "held": row["on_hold"],
        "open": row["outstanding"] - row["on_hold"],
        "pledged": row["pledged"] - row["committed"],
    }
    return {name: amount for name, amount in amounts.items() if amount > 0}


def reach(row: dict[str, Any]) -> Decimal:
    """How far a group's money got: the length of its bar."""
    return sum(parts(row).values(), Decimal(0))


def measures_table(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    label: Callable[[dict], str],
    links: list[str],
    currency: str,
) -> Table:
    return Table(
        headers=[title, *MEASURE_LABELS.values()],
        rows=[[label(r), *(money(r[m], currency) for m in MEASURE_LABELS)] for r in rows],
        links=links,
    )


def pipeline(
    rows: Sequence[dict[str, Any]],
    *,
    label: Callable[[dict], str],
    title: str,
    links: list[str],
    currency: str,
    caption: str,
) -> Figure:
    """One stacked bar per row (in the rows' order), split in ``PARTS``."""
    values = [
        {"group": label(r), "part": PARTS[part], "v": amount, "shown": money(amount, currency)}
        for r in rows
        for part, amount in parts(r).items()
    ]
    chart = stacked_bars(
        values,
        label="group",
        stack="part",
        value="v",
        groups=[label(r) for r in rows],
        stack_order=list(PARTS.values()),
        currency=currency,
        value_title=BAR_TITLE,
    )
    largest = max(rows, key=reach, default=None)
    summary = (
        f"{caption} {len(rows)} bars; the longest, {label(largest)}: "
        + ", ".join(f"{PARTS[p].lower()} {money(a, currency)}" for p, a in parts(largest).items())
        + "."
        if largest is not None and reach(largest)
        else f"{caption} Nothing to show for these parameters."
    )
    table = measures_table(rows, title=title, label=label, links=links, currency=currency)
    return Figure(svg=render_svg(chart), summary=summary, table=table, caption=caption)


def by_donor_and_category(
    rows: Sequence[dict[str, Any]], *, links: Callable[[int], str], currency: str
) -> Figure:
    """Donors ranked by how far their money got, each bar split by category;
    ``rows`` are grouped by donor and category."""
    donors: dict[int, dict[str, Any]] = {}
    for row in rows:
        donor = donors.setdefault(row["donor"], {"name": row["donor_name"], "by": {}})
        donor["by"][row["category"]] = reach(row)
    ranked = sorted(donors.items(), key=lambda d: (-sum(d[1]["by"].values()), d[1]["name"]))
    values = [
        {"group": d["name"], "part": CATEGORY_LABELS[c], "v": a, "shown": money(a, currency)}
        for _, d in ranked
        for c, a in d["by"].items()
        if a > 0
    ]
    chart = stacked_bars(
        values,
        label="group",
        stack="part",
        value="v",
        groups=[d["name"] for _, d in ranked],
        stack_order=list(CATEGORY_LABELS.values()),
        currency=currency,
        value_title=BAR_TITLE,
    )
    table = Table(
        headers=["Donor", *CATEGORY_LABELS.values(), "Total"],
        rows=[
            [
                d["name"],
                *(money(d["by"].get(c, Decimal(0)), currency) for c in CATEGORY_LABELS),
                money(sum(d["by"].values(), Decimal(0)), currency),
            ]
            for _, d in ranked
        ],
        links=[links(pk) for pk, _ in ranked],
    )
    caption = "Donors by the larger of what they pledged and committed, by category of aid."
    summary = f"{caption} {len(ranked)} donors." if ranked else f"{caption} None here."
    return Figure(svg=render_svg(chart), summary=summary, table=table, caption=caption)
