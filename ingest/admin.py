"""The operators' view of ingest: sources (with their schedules and a "run now" action),
runs with their counts, and every rejected record with its reason.

Sources are saved through ``ingest.services.sources`` (which keeps the beat schedule in
step); runs and rejections are written by the runs themselves and are read-only here.
"""

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from ingest.models import IngestRun, IngestSource, RejectedRecord
from ingest.screening import storable
from ingest.services.sources import request_run, save_source
from ledger.admin.base import NoDeleteMixin, ServiceAdmin, ServiceForm


class _SurrogateEscapingEncoder(json.JSONEncoder):
    """Writes a lone surrogate as its ``\\uXXXX`` escape: options refused for one are shown
    again, and the page could not be encoded as UTF-8 with it (JSON escapes NUL itself)."""

    def encode(self, o: Any) -> str:
        return storable(super().encode(o))


class IngestSourceForm(ServiceForm):
    class Meta:
        model = IngestSource
        fields = ["name", "adapter", "location", "enabled", "interval", "crontab", "options"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options"].encoder = _SurrogateEscapingEncoder  # type: ignore[attr-defined]

    def create(self, data: dict[str, Any]) -> IngestSource:
        return save_source(IngestSource(**data))

    def update(self, instance: Any, changes: dict[str, Any]) -> IngestSource:
        # A fresh copy: the validation dry run must not leave its changes on the instance.
        source = IngestSource.objects.get(pk=instance.pk)
        for name, value in changes.items():
            setattr(source, name, value)
        return save_source(source)


@admin.action(description="Run now", permissions=["change"])
def run_now(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for source in queryset:
        request_run(source, trigger="admin")
    modeladmin.message_user(
        request,
        f"Queued {queryset.count()} run(s); they appear under Ingest runs as they start.",
        messages.SUCCESS,
    )


@admin.register(IngestSource)
class IngestSourceAdmin(ServiceAdmin):
    form = IngestSourceForm
    list_display = ["name", "adapter", "location", "enabled", "schedule", "last_run"]
    list_filter = ["adapter", "enabled"]
    search_fields = ["name", "location"]
    actions = [run_now]
    object_actions = {"run_now": "Run now"}

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestSource]:
        return super().get_queryset(request).select_related("interval", "crontab")

    @admin.display(description="schedule")
    def schedule(self, source: IngestSource) -> str:
        return str(source.interval or source.crontab or "on demand")

    @admin.display(description="last run")
    def last_run(self, source: IngestSource) -> str:
        run = source.runs.order_by("-started_at", "-id").first()
        if run is None:
            return "never"
        url = reverse("admin:ingest_ingestrun_change", args=[run.pk])
        return format_html('<a href="{}">{}</a>', url, run.get_status_display())


class RejectedRecordInline(admin.TabularInline):
    model = RejectedRecord
    fields = ["position", "reason", "raw"]
    readonly_fields = ["position", "reason", "raw"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


class ReadOnlyAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Written by the runs, never by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IngestRun)
class IngestRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "source",
        "location",
        "trigger",
        "started_at",
        "finished_at",
        "status",
        "seen",
        "created",
        "unchanged",
        "corrected",
        "rejected",
    ]
    list_filter = ["status", "adapter", "trigger", "source"]
    list_select_related = ["source"]
    search_fields = ["location", "error", "source__name"]
    date_hierarchy = "started_at"
    inlines = [RejectedRecordInline]


@admin.register(RejectedRecord)
class RejectedRecordAdmin(ReadOnlyAdmin):
    list_display = ["run", "position", "reason"]
    list_filter = ["run__source", "run__adapter"]
    list_select_related = ["run", "run__source"]
    search_fields = ["reason", "raw", "position"]
