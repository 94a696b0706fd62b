from django.apps import AppConfig
from django.db.backends.signals import connection_created


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Aid ledger"

    def ready(self) -> None:
        from ledger.case_folding import install_unicode_lookups, register_casefold

        connection_created.connect(register_casefold, dispatch_uid="ledger.casefold")
        install_unicode_lookups()
