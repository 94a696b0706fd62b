"""The overview at ``/``: the ledger's headline figures, its donors ranked, and the
figures by category and by year, all from ``ledger.selectors.figures`` (which the API's
``summary/`` serves too), narrowed and dated by the page's parameters."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from ledger.models import Commitment
from ledger.selectors import figures, totals
from pages import overview_figures as shown
from pages.charts import money
from pages.forms import PageQuery
from pages.links import api_links, api_url, page_url
from pages.views.base import PageView

# The entries behind each measure (reversals included: they count against it).
MEASURE_STAGES = {
    "pledged": ["pledge"],
    "committed": ["commitment", "cancellation"],
    "allocated": ["allocation"],
    "disbursed": ["disbursement"],
    "outstanding": ["commitment", "cancellation", "disbursement"],
}


def narrowed(query: PageQuery) -> QuerySet[Commitment] | None:
    """The commitments the page's ``donor`` and ``category`` leave (None: all of them)."""
    if query.donor is None and not query.category:
        return None
    commitments = Commitment.objects.all()
    if query.donor is not None:
        commitments = commitments.filter(donor=query.donor)
    if query.category:
        commitments = commitments.filter(category=query.category)
    return commitments


def entries_url(query: PageQuery, stages: Sequence[str], **extra: str) -> str:
    """The API's list of the entries behind a figure, on the page's time axes."""
    params: list[tuple[str, str]] = [("stage", stage) for stage in stages]
    if query.as_of:
        params.append(("value_date__lte", query.as_of.isoformat()))
    if query.known_at:
        params.append(("recorded_at__lte", query.known_at.isoformat().replace("+00:00", "Z")))
    if query.donor:
        params.append(("donor", str(query.donor.pk)))
    if query.category:
        params.append(("category", query.category))
    params.extend(extra.items())
    return f"{reverse('api:ledgerentry-list')}?{urlencode(params)}"


def year_entries_url(query: PageQuery, year: int) -> str:
    """The API's list of the entries dated in ``year`` (up to ``as_of``)."""
    last = min(date(year, 12, 31), query.as_of or date.max)
    return entries_url(
        replace(query, as_of=None),
        [],
        value_date__gte=f"{year}-01-01",
        value_date__lte=last.isoformat(),
    )


def headline(query: PageQuery, row: dict[str, Any]) -> list[dict[str, str]]:
    """Each measure with the rows behind it: its entries, or for "on hold" the pauses in
    force on the day the page judges them."""
    day = (query.as_of or datetime.now(UTC).date()).isoformat()
    pauses = api_url("pause-list", query, keep=("donor", "category"), extra={"active_on": day})
    return [
        {
            "name": name,
            "label": label,
            "shown": money(row[name], query.currency),
            "url": entries_url(query, MEASURE_STAGES[name]) if name in MEASURE_STAGES else pauses,
        }
        for name, label in shown.MEASURE_LABELS.items()
    ]


class OverviewView(PageView):
    template_name = "pages/overview.html"
    title = "Overview"
    section = "overview"
    page_params = ("by",)

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        by_category = self.params.get("by") == "category"
        scope = {"commitments": narrowed(query), **query.figure_params()}
        total = totals(**scope)
        categories = figures(group_by=["category"], **scope)
        years = figures(group_by=["year"], **scope)
        if by_category:
            ranking = shown.by_donor_and_category(
                figures(group_by=["donor", "category"], **scope),
                links=lambda pk: page_url("donor", query, pk),
                currency=query.currency,
            )
        else:
            donors = figures(group_by=["donor"], **scope)
            donors.sort(key=lambda r: (-shown.reach(r), r["donor_name"]))
            ranking = shown.pipeline(
                donors,
                label=lambda r: r["donor_name"],
                title="Donor",
                links=[page_url("donor", query, r["donor"]) for r in donors],
                currency=query.currency,
                caption="Donors by how far their money got.",
            )
        return {
            "query": query,
            "by_category": by_category,
            "headline": headline(query, total),
            "unconverted": total["unconverted_entries"],
            "ranking": ranking,
            "toggle_url": page_url("overview", query, by="" if by_category else "category"),
            "categories": shown.pipeline(
                categories,
                label=lambda r: shown.CATEGORY_LABELS[r["category"]],
                title="Category",
                links=[page_url("overview", query, category=r["category"]) for r in categories],
                currency=query.currency,
                caption="Each category of aid by how far its money got.",
            ),
            "years": shown.pipeline(
                years,
                label=lambda r: str(r["year"]),
                title="Year",
                links=[year_entries_url(query, r["year"]) for r in years],
                currency=query.currency,
                caption="Each year (of the entries' value dates) by how far its money got.",
            ),
            "api": api_links("summary", query, extra={"group_by": "donor"}),
        }
