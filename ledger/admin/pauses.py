from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ledger import services
from ledger.admin.base import EditableAdmin, NoDeleteMixin, ServiceForm, form_action
from ledger.admin.forms import ResumeForm
from ledger.models import Pause
from ledger.selectors.pauses import in_force_condition


class PauseForm(ServiceForm):
    class Meta:
        model = Pause
        fields = [
            "donor",
            "commitment",
            "category",
            "description",
            "reason",
            "paused_on",
            "paused_on_precision",
            "ordered_by",
            "source",
        ]

    def create(self, data: dict[str, Any]) -> Pause:
        return services.pause(**data)

    def update(self, instance: Any, changes: dict[str, Any]) -> Pause:
        return services.update_pause(
            pause=instance,
            description=changes.get("description", instance.description),
            reason=changes.get("reason", instance.reason),
        )


class InForceFilter(admin.SimpleListFilter):
    title = "in force today"
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("yes", "In force"), ("no", "Not in force")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Pause]) -> Any:
        in_force = in_force_condition(timezone.now().date())
        if self.value() == "yes":
            return queryset.filter(in_force)
        if self.value() == "no":
            return queryset.exclude(in_force)
        return queryset


def resume_pause(pause: Pause, data: dict[str, Any], request: HttpRequest) -> None:
    services.resume(pause=pause, **data)


def already_resumed(pause: Pause) -> str | None:
    """Why a pause cannot be resumed, if it cannot: its resumption is recorded already
    (a resumption is fixed once recorded), so it is no longer in force or will end."""
    if pause.resumed_on is None:
        return None
    return (
        f"the pause by {pause.donor} from {pause.paused_on} was already resumed "
        f"on {pause.resumed_on}"
    )


resume_pauses = form_action(
    form_class=ResumeForm,
    perform=resume_pause,
    title="Resume the selected pauses",
    done="Recorded the resumption of {count} pause(s).",
    permission="ledger.change_pause",
    refuses=already_resumed,
)


@admin.register(Pause)
class PauseAdmin(NoDeleteMixin, EditableAdmin):
    """A pause's scope, start and sources are fixed once recorded; it ends by the
    "Resume" action, which asks for the date and the source."""

    form = PauseForm
    list_display = ["donor", "scope", "paused_on", "resumed_on", "in_force_today", "ordered_by"]
    list_filter = [InForceFilter, "category", ("donor", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "paused_on"
    search_fields = ["donor__name", "donor__aliases__alias", "description", "reason"]
    autocomplete_fields = ["donor", "commitment", "ordered_by", "source"]
    list_select_related = ["donor", "commitment", "ordered_by"]
    actions = [resume_pauses]
    object_actions = {resume_pauses.__name__: "Resume deliveries"}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        fixed = [f for f in PauseForm.Meta.fields if f not in {"description", "reason"}]
        return [*fixed, "recorded_at", "resumed_on", "resumption_source", "resumption_recorded_at"]

    @admin.display(description="scope")
    def scope(self, pause: Pause) -> str:
        if pause.commitment_id:
            return str(pause.commitment)
        category = pause.get_category_display() if pause.category else "all aid"
        return f"{category}: {pause.description}" if pause.description else category

    @admin.display(description="in force today", boolean=True)
    def in_force_today(self, pause: Pause) -> bool:
        today = timezone.now().date()
        return pause.paused_on <= today and (pause.resumed_on is None or pause.resumed_on > today)
