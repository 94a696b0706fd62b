"""The commitment page: its figures, its entries with their sources (reversals shown as
such), the pauses covering it and a chart of its running totals.

The figures are the API's for ``/api/v1/commitments/<id>/``: ``figures_by_commitment``,
on the same time axes and in the same currency. The entries table is the chart's text
alternative, entry by entry; the chart's own table gives its monthly totals.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from ledger.models import Commitment
from ledger.selectors import figures_by_commitment
from ledger.selectors.details import (
    commitment_cumulative,
    commitment_entries,
    commitment_pauses,
    sources_of,
)
from pages.detail_charts import commitment_figure
from pages.detail_display import (
    TABLE_ROWS,
    Citations,
    axes_in_words,
    carried,
    dated,
    headline,
    pause_rows,
    signed,
)
from pages.forms import PageQuery
from pages.links import api_links
from pages.views.base import PageView

FIGURE_PARAMS = ("as_of", "known_at", "currency")


def _entry_filters(query: PageQuery, commitment: Commitment) -> dict[str, object]:
    """The entries list's filters for what the page shows on its time axes."""
    filters: dict[str, object] = {"commitment": commitment.pk}
    if query.as_of:
        filters["value_date__lte"] = query.as_of.isoformat()
    if query.known_at:
        filters["recorded_at__lte"] = query.known_at.isoformat().replace("+00:00", "Z")
    return filters


class CommitmentView(PageView):
    template_name = "pages/commitment.html"
    title = "Commitment"

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        commitment = get_object_or_404(
            Commitment.objects.select_related("donor", "recipient", "source", "channel"),
            pk=self.kwargs["pk"],
        )
        axes: dict[str, Any] = {"as_of": query.as_of, "known_at": query.known_at}
        figures = figures_by_commitment([commitment], **query.figure_params())[commitment.pk]
        citations = Citations()
        announced_in = citations.cite(sources_of(commitment))
        entries = [
            {
                "entry": row.entry,
                "value_date": dated(row.entry.value_date, row.entry.value_date_precision),
                "amount": signed(
                    row.entry.amount, row.entry.currency, reversal=row.entry.is_reversal
                ),
                "reverses": row.entry.reverses,
                "reversed_by": row.reversed_by,
                "cited": citations.cite(row.sources),
            }
            for row in commitment_entries(commitment=commitment, latest=TABLE_ROWS, **axes)
        ]
        points = commitment_cumulative(commitment=commitment, currency=query.currency, **axes)
        return {
            "title": commitment.title,
            "query": query,
            "carry": carried(query),
            "axes": axes_in_words(query),
            "commitment": commitment,
            "donor_url": reverse("pages:donor", args=[commitment.donor_id]),
            "announced": dated(commitment.announced_on, commitment.announced_on_precision),
            "announced_in": announced_in,
            "not_yet_known": bool(query.known_at and commitment.created_at > query.known_at),
            "not_yet_announced": bool(query.as_of and commitment.announced_on > query.as_of),
            "figures": headline(figures, query.currency),
            "unconverted": figures["unconverted_entries"],
            "entries": entries,
            "entry_count": figures["entry_count"],
            "table_rows": TABLE_ROWS,
            "pauses": pause_rows(commitment_pauses(commitment=commitment, **axes), citations),
            "chart": commitment_figure(points, currency=query.currency),
            "citations": citations.listing(),
            "api": api_links("commitment-detail", query, args=[commitment.pk], keep=FIGURE_PARAMS),
            "api_entries": api_links("ledgerentry-list", extra=_entry_filters(query, commitment)),
        }
