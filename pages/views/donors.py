"""The donor page: a placeholder until it is built (it says so)."""

from pages.views.base import PageView


class DonorView(PageView):
    template_name = "pages/coming.html"
    title = "Donor"
    section = ""
