from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ledger import services
from ledger.admin.base import NoDeleteMixin, ServiceAdmin, ServiceForm, form_action
from ledger.admin.forms import ReverseEntriesForm
from ledger.formatting import format_amount
from ledger.models import LedgerEntry


class EntryForm(ServiceForm):
    class Meta:
        model = LedgerEntry
        fields = [
            "commitment",
            "stage",
            "amount",
            "currency",
            "value_date",
            "value_date_precision",
            "source",
            "note",
        ]

    def create(self, data: dict[str, Any]) -> LedgerEntry:
        return services.record_entry(**data, recorded_by=self.user_name)


def reverse_entry(entry: LedgerEntry, data: dict[str, Any], request: HttpRequest) -> None:
    services.reverse_entry(entry=entry, **data, recorded_by=request.user.get_username())


reverse_entries = form_action(
    form_class=ReverseEntriesForm,
    perform=reverse_entry,
    title="Reverse the selected entries",
    done="Recorded {count} reversing entr(ies).",
    permission="ledger.add_ledgerentry",
)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(NoDeleteMixin, ServiceAdmin):
    """Entries are added, never edited or deleted, not even by a superuser: the page of a
    recorded entry is read-only, and a mistake is undone by reversing the entry."""

    form = EntryForm
    list_display = [
        "value_date",
        "commitment",
        "stage",
        "signed_amount",
        "source",
        "recorded_at",
    ]
    list_filter = ["stage", "currency", "commitment__category", "commitment__donor"]
    date_hierarchy = "value_date"
    search_fields = [
        "commitment__title",
        "commitment__donor__name",
        "commitment__donor__aliases__alias",
        "note",
        "idempotency_key",
    ]
    autocomplete_fields = ["commitment", "source"]
    list_select_related = ["commitment__donor", "source"]
    actions = [reverse_entries]
    object_actions = {reverse_entries.__name__: "Reverse this entry"}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if obj is None:
            return fields
        # A recorded entry's page is read-only: its amount shows with its currency.
        fields[fields.index("amount")] = "signed_amount"
        fields.remove("currency")
        return fields

    @admin.display(description="amount", ordering="amount")
    def signed_amount(self, entry: LedgerEntry) -> str:
        return format_amount(entry.signed_amount, entry.currency)
