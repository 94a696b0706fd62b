from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Public, read-only pages over the ledger, at ``/``."""

    name = "pages"
    verbose_name = "Public pages"
