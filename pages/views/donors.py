"""The donor page: its figures, its commitments, pauses and reversals, each citing its
sources, and a chart of its commitments by stage.

The figures are the API's summary with ``?donor=``: ``ledger.selectors.totals`` over the
donor's commitments, on the same time axes and in the same currency.
"""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse

from ledger.models import Commitment, Organization
from ledger.selectors import figures_by_commitment, totals
from ledger.selectors.details import (
    donor_commitments,
    donor_pauses,
    donor_reversals,
    entry_sources,
    sources_of,
)
from pages.detail_charts import donor_figure
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


class DonorView(PageView):
    template_name = "pages/donor.html"
    title = "Donor"

    def page_context(self, query: PageQuery) -> dict[str, Any]:
        donor = get_object_or_404(Organization, pk=self.kwargs["pk"])
        axes: dict[str, Any] = {"as_of": query.as_of, "known_at": query.known_at}
        commitments = list(donor_commitments(donor=donor, **axes))
        listed = commitments[:TABLE_ROWS]
        # Only the listed ones: at 100,000 entries, figures per commitment for all of a large
        # donor's would double the page's cost (the totals above them come from one query).
        figures = figures_by_commitment(listed, **query.figure_params())
        cited = entry_sources(commitment_ids=[c.pk for c in listed], **axes)
        citations = Citations()
        rows = [
            {
                "commitment": c,
                "url": reverse("pages:commitment", args=[c.pk]),
                "announced": dated(c.announced_on, c.announced_on_precision),
                "figures": headline(figures[c.pk], query.currency),
                "cited": citations.cite([*sources_of(c), *cited[c.pk]]),
            }
            for c in listed
        ]
        pauses = pause_rows(donor_pauses(donor=donor, **axes), citations)
        reversed_entries = list(donor_reversals(donor=donor, **axes)[: TABLE_ROWS + 1])
        reversals = [
            {
                "entry": entry,
                "value_date": dated(entry.value_date, entry.value_date_precision),
                "amount": signed(entry.amount, entry.currency, reversal=True),
                # A reversal mirrors the entry it reverses: the same amount, counting back.
                "reversed": signed(entry.amount, entry.currency, reversal=False),
                "url": reverse("pages:commitment", args=[entry.commitment_id]),
                "cited": citations.cite([entry.source]),
            }
            for entry in reversed_entries[:TABLE_ROWS]
        ]
        total = totals(commitments=Commitment.objects.filter(donor=donor), **query.figure_params())
        return {
            "title": donor.name,
            "query": query,
            "carry": carried(query),
            "axes": axes_in_words(query),
            "donor": donor,
            "figures": headline(total, query.currency),
            "unconverted": total["unconverted_entries"],
            "rows": rows,
            "commitment_count": len(commitments),
            "more_reversals": len(reversed_entries) > TABLE_ROWS,
            "table_rows": TABLE_ROWS,
            "chart": donor_figure(
                listed, figures, currency=query.currency, of_latest=len(commitments) > len(listed)
            ),
            "pauses": pauses,
            "reversals": reversals,
            "citations": citations.listing(),
            "api": api_links(
                "summary",
                query,
                keep=FIGURE_PARAMS,
                extra={"donor": donor.pk, "group_by": "commitment"},
            ),
            "api_commitments": api_links(
                "commitment-list", query, keep=FIGURE_PARAMS, extra={"donor": donor.pk}
            ),
        }
