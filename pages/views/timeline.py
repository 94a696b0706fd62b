"""The timeline page: a placeholder until it is built (it says so)."""

from pages.views.base import PageView


class TimelineView(PageView):
    template_name = "pages/coming.html"
    title = "Timeline"
    section = "timeline"
