"""The coordination page: a placeholder until it is built (it says so)."""

from pages.views.base import PageView


class CoordinationView(PageView):
    template_name = "pages/coming.html"
    title = "Coordination"
    section = "coordination"
