from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin with aidledger's site as ``admin.site``."""

    default_site = "config.admin_site.AidLedgerAdminSite"
