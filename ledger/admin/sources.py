from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AdminTextInputWidget

from ledger import services
from ledger.admin.base import EditableAdmin, ServiceForm
from ledger.formatting import format_amount
from ledger.models import FxRate, Source

# What the admin shows where a document does not state a fact (its publisher, date, URL).
NOT_STATED = "not stated"


class SourceForm(ServiceForm):
    url = forms.URLField(
        label="URL",
        max_length=2000,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": NOT_STATED, "class": "vURLField"}),
    )

    class Meta:
        model = Source
        fields = ["url", "publisher", "title", "published_on", "retrieved_at", "excerpt"]
        widgets = {
            "publisher": AdminTextInputWidget(attrs={"placeholder": NOT_STATED}),
            "published_on": AdminDateWidget(attrs={"placeholder": NOT_STATED}),
        }

    def create(self, data: dict[str, Any]) -> Source:
        return services.record_source(**data)


@admin.register(Source)
class SourceAdmin(EditableAdmin):
    form = SourceForm
    list_display = ["publisher", "title", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "url", "excerpt"]
    date_hierarchy = "published_on"
    empty_value_display = NOT_STATED


class FxRateForm(ServiceForm):
    class Meta:
        model = FxRate
        fields = ["currency", "date", "rate", "provider", "source"]

    def create(self, data: dict[str, Any]) -> FxRate:
        return services.record_fx_rate(**data)


@admin.register(FxRate)
class FxRateAdmin(EditableAdmin):
    form = FxRateForm
    list_display = ["currency", "date", "units_per_euro", "provider", "source"]
    list_filter = ["provider", "currency"]
    search_fields = ["currency"]
    date_hierarchy = "date"
    autocomplete_fields = ["source"]
    list_select_related = ["source"]

    def get_readonly_fields(self, request: Any, obj: FxRate | None = None) -> list[str]:
        return ["currency", "date", "provider"] if obj else []

    @admin.display(description="rate (per euro)", ordering="rate")
    def units_per_euro(self, rate: FxRate) -> str:
        return format_amount(rate.rate, rate.currency)
