"""The commitment page: a placeholder until it is built (it says so)."""

from pages.views.base import PageView


class CommitmentView(PageView):
    template_name = "pages/coming.html"
    title = "Commitment"
    section = ""
