from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ledger import services
from ledger.admin.base import AddOnlyInline, EditableAdmin, ServiceForm, form_action
from ledger.admin.display import recorded_moment, show_recorded_amount
from ledger.admin.forms import PauseForm, ResumeForm
from ledger.formatting import format_amount
from ledger.models import Commitment, CommitmentIdentifier, LedgerEntry, Pause, Source, Stage
from ledger.selectors import commitment_paused, figures_by_commitment
from ledger.selectors.pauses import unresumed_pauses


class CommitmentForm(ServiceForm):
    class Meta:
        model = Commitment
        fields = [
            "donor",
            "recipient",
            "title",
            "description",
            "category",
            "instrument",
            "announced_on",
            "announced_on_precision",
            "period_start",
            "period_end",
            "channel",
            "source",
        ]

    def create(self, data: dict[str, Any]) -> Commitment:
        return services.create_commitment(**data)


class EntryInlineForm(ServiceForm):
    class Meta:
        model = LedgerEntry
        fields = ["stage", "amount", "currency", "value_date", "value_date_precision", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_recorded_amount(self)

    def create(self, data: dict[str, Any]) -> LedgerEntry:
        return services.record_entry(
            commitment=self.instance.commitment, **data, recorded_by=self.user_name
        )


class EntryInline(AddOnlyInline):
    """The commitment's entries; recorded ones are read-only, new ones go through
    ``record_entry``. Corrections are made by reversing, from the entries list."""

    model = LedgerEntry
    fk_name = "commitment"
    form = EntryInlineForm
    fields = (
        "stage",
        "amount",
        "currency",
        "value_date",
        "value_date_precision",
        "source",
        "reverses",
        "recorded",
    )
    readonly_fields = ("reverses", "recorded")
    autocomplete_fields = ("source",)
    ordering = ["value_date", "id"]

    @admin.display(description="recorded at")
    def recorded(self, entry: LedgerEntry) -> str:
        return recorded_moment(entry)


class PauseInline(admin.TabularInline):
    model = Pause
    fields = ("paused_on", "resumed_on", "description", "source", "resumption_source")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IdentifierForm(ServiceForm):
    class Meta:
        model = CommitmentIdentifier
        fields = ["commitment", "scheme", "value"]

    def create(self, data: dict[str, Any]) -> CommitmentIdentifier:
        if "commitment" not in data:  # on the commitment's page (an inline): its own
            data["commitment"] = self.instance.commitment
        return services.add_identifier(**data)


class IdentifierInline(AddOnlyInline):
    model = CommitmentIdentifier
    form = IdentifierForm
    fields = ["scheme", "value"]
    show_change_link = False


@admin.register(CommitmentIdentifier)
class CommitmentIdentifierAdmin(EditableAdmin):
    """Identifiers in other systems (IATI, FTS, Kiel); usually added on the commitment."""

    form = IdentifierForm
    list_display = ["value", "scheme", "commitment"]
    list_filter = ["scheme"]
    search_fields = ["value", "commitment__title"]
    autocomplete_fields = ["commitment"]
    list_select_related = ["commitment__donor"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["commitment", "scheme", "value"] if obj else []


class StageFilter(admin.SimpleListFilter):
    title = "stage reached"
    parameter_name = "stage"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return Stage.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet[Commitment]) -> Any:
        if self.value() is None:
            return queryset
        return queryset.filter(
            Exists(LedgerEntry.objects.filter(commitment=OuterRef("pk"), stage=self.value()))
        )


class PausedNowFilter(admin.SimpleListFilter):
    title = "paused now"
    parameter_name = "paused_now"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("yes", "Paused"), ("no", "Not paused")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Commitment]) -> Any:
        paused = commitment_paused(timezone.now().date())
        if self.value() == "yes":
            return queryset.filter(paused)
        if self.value() == "no":
            return queryset.exclude(paused)
        return queryset


def pause_commitment(commitment: Commitment, data: dict[str, Any], request: HttpRequest) -> None:
    services.pause(commitment=commitment, **data)


pause_commitments = form_action(
    form_class=PauseForm,
    perform=pause_commitment,
    title="Pause deliveries of the selected commitments",
    done="Recorded a pause for {count} commitment(s).",
    permission="ledger.add_pause",
)


def resume_commitment(commitment: Commitment, data: dict[str, Any], request: HttpRequest) -> None:
    pauses = list(unresumed_pauses(commitment=commitment))
    if not pauses:
        raise ValidationError(
            "No pause of this commitment alone awaits resumption; a pause of the donor's "
            "aid is resumed from the donor or the pauses list."
        )
    for pause in pauses:
        services.resume(pause=pause, **data)


resume_commitments = form_action(
    form_class=ResumeForm,
    perform=resume_commitment,
    title="Resume deliveries of the selected commitments",
    done="Recorded the resumption of deliveries for {count} commitment(s).",
    permission="ledger.change_pause",
)


FIGURES_LISTED = ("pledged", "committed", "disbursed")


class FiguresChangeList(ChangeList):
    """Gives the page's commitments their euro figures, from one query for the page."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        page = list(self.result_list)  # evaluated once; the template reuses these rows
        by_commitment = figures_by_commitment(page)
        for commitment in page:
            commitment.figures = by_commitment[commitment.pk]


@admin.register(Commitment)
class CommitmentAdmin(EditableAdmin):
    form = CommitmentForm
    list_display = [
        "title",
        "donor",
        "category",
        "announced_on",
        "figures_eur",
    ]
    list_filter = [
        ("donor", admin.RelatedOnlyFieldListFilter),
        "category",
        "instrument",
        StageFilter,
        PausedNowFilter,
    ]
    date_hierarchy = "announced_on"
    search_fields = [
        "title",
        "description",
        "donor__name",
        "donor__aliases__alias",
        "recipient__name",
        "identifiers__value",
    ]
    autocomplete_fields = ["donor", "recipient", "channel", "source"]
    list_select_related = ["donor"]
    readonly_fields = ["cited_sources"]
    actions = [pause_commitments, resume_commitments]
    object_actions = {
        pause_commitments.__name__: "Pause deliveries",
        resume_commitments.__name__: "Resume deliveries",
    }

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return FiguresChangeList

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # Entries need a saved commitment: they are added on its page once it exists.
        return [EntryInline, PauseInline, IdentifierInline] if obj else []

    @admin.display(description="figures (EUR)")
    def figures_eur(self, commitment: Any) -> str:
        # One column of three labelled lines rather than three columns: with the filters
        # beside the list, three columns of amounts do not fit a 1024 px screen.
        return format_html(
            '<dl class="figures">{}</dl>',
            format_html_join(
                "",
                '<dt>{}</dt><dd data-figure="{}">{}</dd>',
                ((name, name, format_amount(commitment.figures[name])) for name in FIGURES_LISTED),
            ),
        )

    @admin.display(description="sources cited")
    def cited_sources(self, commitment: Commitment) -> str:
        sources = Source.objects.filter(
            Exists(Commitment.objects.filter(pk=commitment.pk, source=OuterRef("pk")))
            | Exists(LedgerEntry.objects.filter(commitment=commitment, source=OuterRef("pk")))
            | Exists(Pause.objects.filter(commitment=commitment, source=OuterRef("pk")))
            | Exists(Pause.objects.filter(commitment=commitment, resumption_source=OuterRef("pk")))
        )
        if not sources.exists():
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>{}</li>',
                (
                    (
                        reverse("admin:ledger_source_change", args=[source.pk]),
                        str(source),
                        format_html(": “{}”", source.excerpt) if source.excerpt else "",
                    )
                    for source in sources
                ),
            ),
        )
