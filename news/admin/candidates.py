"""The review queue: candidates grouped by article, pending first, decided one by one on
their pages or in bulk from the list. Every decision goes through
``news.services.review``, which writes to the ledger through ``ledger.services``; decided
candidates are read-only and keep who decided what and when."""

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from simple_history.admin import SimpleHistoryAdmin

from ledger.admin.base import NoDeleteMixin, ServiceAdmin, form_action
from news.admin import display
from news.admin.filters import ConfidenceFilter, PublisherFilter, StatusFilter
from news.admin.forms import DETAILS, EDITABLE, RejectForm, ReviewForm, fact_key
from news.models import Candidate, CandidateStatus
from news.selectors.candidates import probable_duplicates, review_queue
from news.services.review import accept_candidate, reject_candidate

# The candidate's own record of what it became, or was linked to, in the ledger.
OUTCOMES = ["commitment", "entry", "pause", "mandate", "event", "reported_total", "source"]


def admin_link(obj: models.Model) -> SafeString:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}: {}</a>', url, str(opts.verbose_name).capitalize(), obj)


def duplicates_of(candidate: Candidate) -> dict[str, models.Model]:
    """The ledger facts the candidate probably repeats, by the key a link button posts."""
    return {fact_key(fact): fact for fact in probable_duplicates(candidate=candidate)}


def editor(request: HttpRequest) -> AbstractBaseUser:
    """The user deciding: the admin serves logged-in staff only."""
    return cast(AbstractBaseUser, request.user)


def already_decided(candidate: Candidate) -> str | None:
    if candidate.status == CandidateStatus.PENDING:
        return None
    return f"“{candidate}” is already {candidate.get_status_display().lower()}"


@admin.action(description="Accept the selected candidates as proposed", permissions=["change"])
def accept_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Candidate]
) -> None:
    """Accepts each selected candidate on its own; skips, and says why, those already
    decided, those that probably repeat a recorded fact (link them from their page) and
    those the ledger needs more details for."""
    accepted, skipped = 0, []
    for candidate in queryset.select_related("article"):
        reason = already_decided(candidate)
        duplicates = duplicates_of(candidate) if reason is None else {}
        if duplicates:
            reason = f"“{candidate}” probably repeats {', '.join(map(str, duplicates.values()))}"
        if reason is None:
            try:
                with transaction.atomic():
                    accept_candidate(candidate=candidate, user=editor(request))
            except ValidationError as error:
                reason = f"“{candidate}” needs details: {' '.join(error.messages)}"
            else:
                accepted += 1
        if reason is not None:
            skipped.append(reason)
    if accepted:
        modeladmin.message_user(request, f"Accepted {accepted} candidate(s).", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            f"Skipped {len(skipped)} (open each to decide it): {'; '.join(skipped)}.",
            messages.WARNING,
        )


def reject_one(candidate: Candidate, data: dict[str, Any], request: HttpRequest) -> None:
    reject_candidate(candidate=candidate, user=editor(request), reason=data["reason"])


reject_selected = form_action(
    form_class=RejectForm,
    perform=reject_one,
    title="Reject the selected candidates",
    done="Rejected {count} candidate(s).",
    permission="news.change_candidate",
    refuses=already_decided,
)


class QueueChangeList(ChangeList):
    """Marks the first candidate of each article on the page, where its group starts."""

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        previous = None
        for candidate in self.result_list:  # evaluated once; the template reuses these
            candidate.starts_group = candidate.article_id != previous
            previous = candidate.article_id


@admin.register(Candidate)
class CandidateAdmin(NoDeleteMixin, ServiceAdmin, SimpleHistoryAdmin):
    form = ReviewForm
    list_display = [
        "kind_and_status",
        "parties",
        "amount_shown",
        "date_shown",
        "confidence_shown",
        "evidence_shown",
    ]
    list_display_links = ["kind_and_status"]
    list_filter = [
        StatusFilter,
        "kind",
        ConfidenceFilter,
        ("donor", admin.RelatedOnlyFieldListFilter),
        PublisherFilter,
    ]
    list_select_related = ["article", "donor", "recipient"]
    # As ``review_queue`` orders it: newest article first, then in the order of its text.
    ordering = [
        F("article__published_on").desc(nulls_last=True),  # type: ignore[list-item]
        "-article_id",
        "evidence_start",
        "id",
    ]
    search_fields = ["evidence", "donor_name", "recipient_name", "article__title"]
    autocomplete_fields = ["donor", "recipient", "counterpart"]
    actions = [accept_selected, reject_selected]
    list_per_page = 50

    class Media:
        css = {"all": ["ledger/admin.css", "news/review.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from the news adapter only

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A decision is final: a decided candidate reads, it is not edited.
        decided = obj is not None and obj.status != CandidateStatus.PENDING
        return not decided and super().has_change_permission(request, obj)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return QueueChangeList

    def get_queryset(self, request: HttpRequest) -> QuerySet[Candidate]:
        # Every status: the status filter (pending unless chosen) narrows it.
        return review_queue(status=None)

    # --- the candidate's page -----------------------------------------------------------

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        evidence = ("Evidence", {"fields": ["article_shown", "in_context", "flags_shown"]})
        decided = (
            "Decision",
            {"fields": ["status", "decided_by", "decided_at", "decision_note", "outcome"]},
        )
        history = ("History", {"fields": ["decisions"]})
        if obj is None or not self.has_change_permission(request, obj):
            proposed = [
                "kind",
                "donor_shown",
                "recipient_shown",
                "counterpart_shown",
                "amount_shown",
                "category",
                "date_shown",
                "stage",
                "period_start_shown",
                "confidence_shown",
                "extractor",
            ]
            return [evidence, ("What the article says", {"fields": proposed}), decided, history]
        found = ["donor_name", "recipient_name", "counterpart_name", "confidence_shown"]
        return [
            evidence,
            ("As found", {"fields": found}),
            ("Proposed (edit, then “Save edits and accept”)", {"fields": EDITABLE}),
            ("Details the ledger needs", {"fields": DETAILS}),
            ("Reject", {"fields": ["reject_reason"]}),
            history,
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        shown = [
            "article_shown",
            "in_context",
            "flags_shown",
            "donor_name",
            "recipient_name",
            "counterpart_name",
            "confidence_shown",
            "decisions",
        ]
        if obj is not None and not self.has_change_permission(request, obj):
            shown += [
                "donor_shown",
                "recipient_shown",
                "counterpart_shown",
                "amount_shown",
                "date_shown",
                "period_start_shown",
                "extractor",
                "status",
                "decided_by",
                "decided_at",
                "decision_note",
                "outcome",
            ]
        return shown

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or not self.has_change_permission(request, obj):
            return form
        bound = {"user": request.user, "duplicates": duplicates_of(obj)}
        return type(form.__name__, (form,), bound)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        candidate = self.get_object(request, object_id)
        pending = candidate is not None and candidate.status == CandidateStatus.PENDING
        duplicates = duplicates_of(candidate) if pending and candidate else {}
        context = {
            **(extra_context or {}),
            "duplicates": [(key, admin_link(fact), fact) for key, fact in duplicates.items()],
            "can_decide": candidate is not None and self.has_change_permission(request, candidate),
        }
        return super().change_view(request, object_id, form_url, context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        form.write()
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing beside the decision is saved: it wrote what it needed."""

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        self.message_user(request, f"{obj.get_status_display()}: {obj}", messages.SUCCESS)
        filters = self.get_preserved_filters(request)
        queue = reverse("admin:news_candidate_changelist")
        return HttpResponseRedirect(
            add_preserved_filters({"preserved_filters": filters, "opts": self.opts}, queue)
        )

    # --- columns and read-only fields ---------------------------------------------------

    @admin.display(description="article")
    def article_shown(self, candidate: Candidate) -> SafeString:
        url = reverse("admin:news_article_change", args=[candidate.article_id])
        link = format_html('<a href="{}#evidence-{}">{}</a>', url, candidate.pk, candidate.article)
        if not candidate.article.url:
            return link
        return format_html("{} · {}", link, display.web_link(candidate.article.url))

    @admin.display(description="in context")
    def in_context(self, candidate: Candidate) -> SafeString:
        text = candidate.article.text
        start, end = display.paragraph_around(
            text, candidate.evidence_start, candidate.evidence_end
        )
        return format_html(
            '<div class="article-text">{}</div>',
            display.highlighted(text[start:end], [candidate], offset=start),
        )

    @admin.display(description="to check")
    def flags_shown(self, candidate: Candidate) -> SafeString:
        if not candidate.flags:
            return SafeString("nothing flagged")
        return format_html(
            '<ul class="flags">{}</ul>',
            format_html_join("", "<li>{}</li>", ((flag,) for flag in candidate.flags)),
        )

    @admin.display(description="donor → recipient", ordering="donor__name")
    def parties(self, candidate: Candidate) -> SafeString:
        # One column of two lines: with the filters beside the queue, a column each does
        # not leave the evidence room at 1024 px.
        donor = format_html(
            '<span class="donor">{}</span>', display.who(candidate.donor_name, candidate.donor)
        )
        if not (candidate.recipient_name or candidate.recipient):
            return donor
        recipient = display.who(candidate.recipient_name, candidate.recipient)
        return format_html('{}<span class="recipient">→ {}</span>', donor, recipient)

    @admin.display(description="donor", ordering="donor__name")
    def donor_shown(self, candidate: Candidate) -> SafeString:
        return display.who(candidate.donor_name, candidate.donor)

    @admin.display(description="recipient", ordering="recipient__name")
    def recipient_shown(self, candidate: Candidate) -> SafeString:
        return display.who(candidate.recipient_name, candidate.recipient)

    @admin.display(description="counterpart")
    def counterpart_shown(self, candidate: Candidate) -> SafeString:
        return display.who(candidate.counterpart_name, candidate.counterpart)

    @admin.display(description="amount", ordering="amount")
    def amount_shown(self, candidate: Candidate) -> str:
        return display.amount_of(candidate)

    @admin.display(description="date", ordering="date")
    def date_shown(self, candidate: Candidate) -> str:
        return display.dated(candidate.date, candidate.date_precision)

    @admin.display(description="period from")
    def period_start_shown(self, candidate: Candidate) -> str:
        if candidate.period_start is None:
            return "—"
        return display.dated(candidate.period_start, candidate.period_start_precision)

    @admin.display(description="confidence", ordering="confidence")
    def confidence_shown(self, candidate: Candidate) -> str:
        return f"{candidate.confidence:.2f}"

    @admin.display(description="kind", ordering="kind")
    def kind_and_status(self, candidate: Candidate) -> SafeString:
        # The status under the kind rather than a column of its own: the queue opens on
        # pending candidates, and the evidence needs the width at 1024 px.
        return format_html(
            '{}<span class="status status-{}">{}</span>',
            candidate.get_kind_display(),
            candidate.status,
            candidate.status,
        )

    @admin.display(description="evidence")
    def evidence_shown(self, candidate: Candidate) -> SafeString:
        return display.evidence_cell(candidate)

    @admin.display(description="recorded as")
    def outcome(self, candidate: Candidate) -> SafeString:
        facts = [getattr(candidate, name) for name in OUTCOMES]
        links = [admin_link(fact) for fact in facts if fact is not None]
        if not links:
            return SafeString("—")
        return format_html(
            '<ul class="outcome">{}</ul>',
            format_html_join("", "<li>{}</li>", ((a,) for a in links)),
        )

    @admin.display(description="who decided what, when")
    def decisions(self, candidate: Candidate) -> SafeString:
        """When it was proposed, then each decision in the candidate's history (ingest
        stores candidates in bulk, which keeps no history of their creation)."""
        rows = [(display.moment(candidate.created_at), candidate.extractor, "proposed", "")]
        previous = CandidateStatus.PENDING
        for version in candidate.history.order_by("history_date", "history_id"):
            if version.status != previous:
                rows.append(
                    (
                        display.moment(version.decided_at or version.history_date),
                        str(version.decided_by or version.history_user or version.decided_via),
                        version.get_status_display().lower(),
                        f": {version.decision_note}" if version.decision_note else "",
                    )
                )
            previous = version.status
        return format_html(
            '<ol class="decisions">{}</ol>',
            format_html_join("", "<li>{} — {}: {}{}</li>", rows),
        )
