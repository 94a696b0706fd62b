"""Articles as stored by the news adapter: read-only, their text shown with every
candidate's evidence marked, the candidates listed below it."""

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ledger.admin.base import NoDeleteMixin
from news.admin.display import (
    amount_of,
    candidate_url,
    dated,
    highlighted,
    web_link,
    who,
)
from news.admin.filters import ArticlePublisherFilter, PendingFilter
from news.models import Article, Candidate, CandidateStatus

# What a page shows where the article does not say (the seed scenario's wording).
NOT_STATED = "not stated"


class CandidateInline(admin.TabularInline):
    """The article's candidates in the order of its text; each opens its review page."""

    model = Candidate
    fields = readonly_fields = (
        "candidate",
        "position",
        "donor_found",
        "amount_found",
        "date_found",
        "status",
    )
    ordering = ["evidence_start", "id"]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "candidates, in the order of the text"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="candidate")
    def candidate(self, candidate: Candidate) -> SafeString:
        return format_html(
            '<a href="{}">{}</a>', candidate_url(candidate), candidate.get_kind_display()
        )

    @admin.display(description="evidence")
    def position(self, candidate: Candidate) -> SafeString:
        return format_html(
            '<a href="#evidence-{}">in the text, characters {} to {}</a>',
            candidate.pk,
            candidate.evidence_start,
            candidate.evidence_end,
        )

    @admin.display(description="donor")
    def donor_found(self, candidate: Candidate) -> SafeString:
        return who(candidate.donor_name, candidate.donor)

    @admin.display(description="amount")
    def amount_found(self, candidate: Candidate) -> str:
        return amount_of(candidate)

    @admin.display(description="date")
    def date_found(self, candidate: Candidate) -> str:
        return dated(candidate.date, candidate.date_precision)


@admin.register(Article)
class ArticleAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Written by ingest only: nobody adds or changes an article here."""

    list_display = [
        "title_shown",
        "publisher",
        "published_on",
        "date_found_by",
        "pending",
        "decided",
        "source",
    ]
    list_filter = [ArticlePublisherFilter, PendingFilter, "language"]
    search_fields = ["title", "publisher", "url", "text"]
    date_hierarchy = "published_on"
    fields = readonly_fields = (
        "title_shown",
        "link",
        "publisher_shown",
        "published_shown",
        "date_found_by",
        "language",
        "source",
        "fetched_at",
        "text_marked",
    )
    inlines = [CandidateInline]

    class Media:
        css = {"all": ["ledger/admin.css", "news/review.css"]}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Article]:
        pending = Q(candidates__status=CandidateStatus.PENDING)
        return (
            super()
            .get_queryset(request)
            .select_related("ingest_source")
            .annotate(
                pending_count=Count("candidates", filter=pending),
                decided_count=Count("candidates", filter=~pending),
            )
        )

    @admin.display(description="title", ordering="title")
    def title_shown(self, article: Article) -> str:
        return article.title or "(no title)"

    @admin.display(description="publisher")
    def publisher_shown(self, article: Article) -> str:
        return article.publisher or NOT_STATED

    @admin.display(description="published")
    def published_shown(self, article: Article) -> str:
        return dated(article.published_on, "day") if article.published_on else NOT_STATED

    @admin.display(description="pending", ordering="pending_count")
    def pending(self, article: Any) -> int:
        return int(article.pending_count)

    @admin.display(description="decided", ordering="decided_count")
    def decided(self, article: Any) -> int:
        return int(article.decided_count)

    @admin.display(description="source", ordering="ingest_source__name")
    def source(self, article: Article) -> SafeString:
        if article.ingest_source is not None:
            url = reverse("admin:ingest_ingestsource_change", args=[article.ingest_source_id])
            return format_html('<a href="{}">{}</a>', url, article.ingest_source)
        return SafeString("a file") if not article.url else SafeString("—")

    @admin.display(description="URL")
    def link(self, article: Article) -> SafeString:
        return web_link(article.url)

    @admin.display(description="text, with the candidates' evidence marked")
    def text_marked(self, article: Article) -> SafeString:
        return format_html(
            '<div class="article-text">{}</div>',
            highlighted(article.text, article.candidates.all()),
        )
