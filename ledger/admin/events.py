from typing import Any

from django.contrib import admin

from ledger import services
from ledger.admin.base import EditableAdmin, ServiceForm
from ledger.formatting import format_amount
from ledger.models import Event, ReportedTotal


class EventForm(ServiceForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "occurred_on",
            "occurred_on_precision",
            "place",
            "body",
            "participants",
            "description",
            "source",
        ]

    def create(self, data: dict[str, Any]) -> Event:
        return services.record_event(**data)

    def update(self, instance: Any, changes: dict[str, Any]) -> Event:
        participants = changes.pop("participants", None)
        event = services.edit(instance, changes)
        if participants is not None:
            services.set_participants(event=event, organizations=participants)
        return event


@admin.register(Event)
class EventAdmin(EditableAdmin):
    form = EventForm
    list_display = ["occurred_on", "kind", "title", "body", "place"]
    list_filter = ["kind", "body"]
    search_fields = ["title", "description", "place", "participants__name"]
    date_hierarchy = "occurred_on"
    autocomplete_fields = ["body", "participants", "source"]
    list_select_related = ["body"]

    def get_readonly_fields(self, request: Any, obj: Event | None = None) -> list[str]:
        return ["source", "recorded_at"] if obj else []


class ReportedTotalForm(ServiceForm):
    class Meta:
        model = ReportedTotal
        fields = [
            "donor",
            "recipient",
            "stage",
            "qualifier",
            "amount",
            "currency",
            "period_start",
            "period_start_precision",
            "as_of",
            "as_of_precision",
            "source",
            "note",
        ]

    def create(self, data: dict[str, Any]) -> ReportedTotal:
        return services.record_reported_total(**data)


@admin.register(ReportedTotal)
class ReportedTotalAdmin(EditableAdmin):
    """Running totals as reported; the figures never add them to the ledger's flows."""

    form = ReportedTotalForm
    list_display = [
        "donor",
        "qualifier",
        "reported_amount",
        "stage",
        "period_start",
        "as_of",
    ]
    list_filter = ["stage", "currency", "donor"]
    search_fields = ["donor__name", "donor__aliases__alias", "note"]
    date_hierarchy = "as_of"
    autocomplete_fields = ["donor", "recipient", "source"]
    list_select_related = ["donor"]

    def get_readonly_fields(self, request: Any, obj: ReportedTotal | None = None) -> list[str]:
        if obj is None:
            return []
        fixed = [f for f in ReportedTotalForm.Meta.fields if f not in {"amount", "note"}]
        # The amount shows with its currency, in the currency's place.
        fixed[fixed.index("currency")] = "reported_amount"
        return [*fixed, "recorded_at"]

    def get_exclude(self, request: Any, obj: ReportedTotal | None = None) -> Any:
        # Fixed once recorded, and shown together as ``reported_amount``.
        return ["amount", "currency"] if obj else None

    @admin.display(description="amount", ordering="amount")
    def reported_amount(self, total: ReportedTotal) -> str:
        return format_amount(total.amount, total.currency)
