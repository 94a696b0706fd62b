from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from ledger import services
from ledger.admin.base import EditableAdmin, NoDeleteMixin, ServiceForm, form_action
from ledger.admin.forms import EndMandateForm
from ledger.models import BodyMembership, CoordinationBody, Mandate, Responsibility


class CoordinationBodyForm(ServiceForm):
    class Meta:
        model = CoordinationBody
        fields = ["name", "acronym", "description"]

    def create(self, data: dict[str, Any]) -> CoordinationBody:
        return services.create_coordination_body(**data)


class MembershipForm(ServiceForm):
    class Meta:
        model = BodyMembership
        fields = ["body", "organization", "role"]

    def create(self, data: dict[str, Any]) -> BodyMembership:
        if "body" not in data:  # on the body's page (an inline): its own
            data["body"] = self.instance.body
        return services.set_membership(**data)

    def update(self, instance: Any, changes: dict[str, Any]) -> BodyMembership:
        return services.set_membership(
            body=instance.body,
            organization=changes.get("organization", instance.organization),
            role=changes.get("role", instance.role),
        )


class MembershipInline(admin.TabularInline):
    model = BodyMembership
    form = MembershipForm
    fields = ["organization", "role"]
    extra = 1
    can_delete = False
    autocomplete_fields = ["organization"]


@admin.register(BodyMembership)
class BodyMembershipAdmin(EditableAdmin):
    """Who takes part in which body; usually edited on the body's page."""

    form = MembershipForm
    list_display = ["body", "organization", "role"]
    list_filter = ["role", "body"]
    search_fields = ["body__name", "body__acronym", "organization__name"]
    autocomplete_fields = ["body", "organization"]
    list_select_related = ["body", "organization"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["body", "organization"] if obj else []


@admin.register(CoordinationBody)
class CoordinationBodyAdmin(EditableAdmin):
    form = CoordinationBodyForm
    list_display = ["name", "acronym", "lead"]
    search_fields = ["name", "acronym", "description"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("memberships__organization")

    @admin.display(description="lead")
    def lead(self, body: CoordinationBody) -> str:
        return ", ".join(str(m.organization) for m in body.memberships.all() if m.role == "lead")


class ResponsibilityForm(ServiceForm):
    class Meta:
        model = Responsibility
        fields = ["code", "name", "description"]

    def create(self, data: dict[str, Any]) -> Responsibility:
        return services.create_responsibility(**data)


@admin.register(Responsibility)
class ResponsibilityAdmin(EditableAdmin):
    form = ResponsibilityForm
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj else []


class MandateForm(ServiceForm):
    # Ending another body's mandate is asked for, never a side effect of assigning one.
    hands_over = forms.BooleanField(
        required=False,
        label="Hand over",
        help_text="End the mandate another body holds open-ended on this start date, and "
        "record it as this one's predecessor.",
    )

    class Meta:
        model = Mandate
        fields = [
            "body",
            "responsibility",
            "starts_on",
            "starts_on_precision",
            "ends_on",
            "source",
            "note",
        ]

    def create(self, data: dict[str, Any]) -> Mandate:
        # Said whether or not the admin lists the field among the form's (it does on add).
        return services.assign_mandate(**{**data, "hands_over": self.cleaned_data["hands_over"]})


def end_mandate(mandate: Mandate, data: dict[str, Any], request: HttpRequest) -> None:
    services.end_mandate(mandate=mandate, **data)


end_mandates = form_action(
    form_class=EndMandateForm,
    perform=end_mandate,
    title="End the selected mandates",
    done="Recorded the end of {count} mandate(s).",
    permission="ledger.change_mandate",
)


@admin.register(Mandate)
class MandateAdmin(NoDeleteMixin, EditableAdmin):
    """Assigning a mandate that another body holds open-ended is refused unless "Hand
    over" is ticked: then the holder's mandate ends that day and the new one records it
    as its predecessor."""

    form = MandateForm
    list_display = ["body", "responsibility", "starts_on", "ends_on", "predecessor"]
    list_filter = ["responsibility", "body"]
    search_fields = ["body__name", "body__acronym", "responsibility__name", "note"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["body", "responsibility", "source"]
    list_select_related = ["body", "responsibility", "predecessor__body"]
    actions = [end_mandates]
    object_actions = {end_mandates.__name__: "End mandate"}

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:  # "Hand over" beside the start it ends the holder's mandate on
            fields = list(MandateForm.Meta.fields)
            fields.insert(fields.index("starts_on_precision") + 1, "hands_over")
            return fields
        return [f for f in super().get_fields(request, obj) if f != "hands_over"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        fixed = [f for f in MandateForm.Meta.fields if f != "note"]
        return [*fixed, "end_source", "predecessor", "recorded_at"]
