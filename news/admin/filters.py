"""The review queue's filters: pending by default (the queue is what awaits a decision),
confidence in three bands, and the article's publisher."""

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from news.models import Article, CandidateStatus

# Where the bands start: at 0.8 the extractor's rules agree on kind, names and amount;
# under 0.5 something the editor must check is flagged.
HIGH = 0.8
LOW = 0.5
ALL = "all"


class StatusFilter(admin.SimpleListFilter):
    """Pending unless another status (or all) is chosen: the queue opens on the work."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [*CandidateStatus.choices, (ALL, "All")]

    def value(self) -> str:
        return super().value() or CandidateStatus.PENDING

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == ALL:
            return queryset
        return queryset.filter(status=self.value())

    def choices(self, changelist: Any) -> Iterator[Any]:
        # No "All" link of Django's own: "All" is a choice like the statuses.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {
        "high": Q(confidence__gte=HIGH),
        "medium": Q(confidence__gte=LOW, confidence__lt=HIGH),
        "low": Q(confidence__lt=LOW),
    }

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [
            ("high", f"High (≥ {HIGH})"),
            ("medium", f"Medium ({LOW}-{HIGH})"),
            ("low", f"Low (< {LOW})"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        band = self.BANDS.get(self.value() or "")
        return queryset if band is None else queryset.filter(band)


class PublisherFilter(admin.SimpleListFilter):
    """The publishers of the articles stored; ``article_path`` leads from the listed model
    to its article (``""`` for articles themselves)."""

    title = "publisher"
    parameter_name = "publisher"
    article_path = "article__"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        publishers = (
            Article.objects.exclude(publisher="")
            .order_by("publisher")
            .values_list("publisher", flat=True)
            .distinct()
        )
        return [(name, name) for name in publishers]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() is None:
            return queryset
        return queryset.filter(**{f"{self.article_path}publisher": self.value()})


class ArticlePublisherFilter(PublisherFilter):
    article_path = ""


class PendingFilter(admin.SimpleListFilter):
    """Articles with candidates still awaiting a decision."""

    title = "candidates pending"
    parameter_name = "pending"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        return [("yes", "Some pending"), ("no", "None pending")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        pending = Q(candidates__status=CandidateStatus.PENDING)
        if self.value() == "yes":
            return queryset.filter(pending).distinct()
        if self.value() == "no":
            return queryset.exclude(pending)
        return queryset
