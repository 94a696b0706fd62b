from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from ledger import services
from ledger.admin.base import AddOnlyInline, EditableAdmin, ServiceForm, form_action
from ledger.admin.forms import DonorPauseForm, ResumeForm
from ledger.models import Organization, OrganizationAlias
from ledger.selectors.pauses import unresumed_pauses


class OrganizationForm(ServiceForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "country_code", "parent", "iati_identifier", "is_verified"]

    def create(self, data: dict[str, Any]) -> Organization:
        return services.create_organization(**data)


class AliasForm(ServiceForm):
    class Meta:
        model = OrganizationAlias
        fields = ["organization", "alias"]

    def create(self, data: dict[str, Any]) -> OrganizationAlias:
        organization = data.get("organization") or self.instance.organization
        return services.add_alias(organization=organization, alias=data["alias"])


class AliasInline(AddOnlyInline):
    model = OrganizationAlias
    form = AliasForm
    fields = ["alias"]
    show_change_link = False


def pause_donor(donor: Organization, data: dict[str, Any], request: HttpRequest) -> None:
    services.pause(donor=donor, **data)


pause_donors = form_action(
    form_class=DonorPauseForm,
    perform=pause_donor,
    title="Pause deliveries of the selected donors",
    done="Recorded a pause for {count} donor(s).",
    permission="ledger.add_pause",
)


def resume_donor(donor: Organization, data: dict[str, Any], request: HttpRequest) -> None:
    pauses = list(unresumed_pauses(donor_id=donor.pk))
    if not pauses:
        raise ValidationError("No pause of this donor awaits resumption.")
    for pause in pauses:
        services.resume(pause=pause, **data)


resume_donors = form_action(
    form_class=ResumeForm,
    perform=resume_donor,
    title="Resume deliveries of the selected donors",
    done="Recorded the resumption of deliveries for {count} donor(s).",
    permission="ledger.change_pause",
)


@admin.register(Organization)
class OrganizationAdmin(EditableAdmin):
    form = OrganizationForm
    list_display = ["name", "kind", "country_code", "parent", "alias_list", "is_verified"]
    list_filter = ["kind", "is_verified"]
    search_fields = ["name", "aliases__alias", "iati_identifier", "country_code"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline]
    actions = [pause_donors, resume_donors]
    object_actions = {
        pause_donors.__name__: "Pause deliveries",
        resume_donors.__name__: "Resume deliveries",
    }

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("parent").prefetch_related("aliases")

    @admin.display(description="aliases")
    def alias_list(self, organization: Organization) -> str:
        return ", ".join(alias.alias for alias in organization.aliases.all())


@admin.register(OrganizationAlias)
class OrganizationAliasAdmin(EditableAdmin):
    """Aliases are usually added on their organization's page; this list finds them."""

    form = AliasForm
    autocomplete_fields = ["organization"]
    list_display = ["alias", "organization"]
    search_fields = ["alias", "organization__name"]
    list_select_related = ["organization"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["fields"] = ["organization", "alias"] if obj is None else ["alias"]
        return super().get_form(request, obj, change, **kwargs)
