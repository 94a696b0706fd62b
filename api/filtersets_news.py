"""Filters of the news review resources; strict as the ledger's (see api/filtersets.py)."""

from typing import Any

import django_filters as filters
from django.db.models import Exists, OuterRef, QuerySet

from api.filtersets import (
    RANGE,
    BaseFilterSet,
    IdFilter,
    StrictBooleanFilter,
    choices,
    organizations,
)
from ledger.models import AidCategory
from news.models import Article, Candidate, CandidateKind, CandidateStatus


class ArticleFilterSet(BaseFilterSet):
    search_fields = ("title",)
    publisher = filters.CharFilter(lookup_expr="iexact")
    has_pending = StrictBooleanFilter(
        method="with_pending", label="Has candidates waiting for review"
    )

    class Meta:
        model = Article
        fields = {"published_on": RANGE, "language": ["exact"], "created_at": ["gte", "lte"]}

    def with_pending(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        pending = Candidate.objects.filter(article=OuterRef("pk"), status=CandidateStatus.PENDING)
        return queryset.filter(Exists(pending) if value else ~Exists(pending))


class CandidateFilterSet(BaseFilterSet):
    search_fields = ("evidence", "donor_name", "recipient_name")
    search_organizations = ("donor", "recipient")
    kind = choices("kind", CandidateKind.choices)
    status = choices("status", CandidateStatus.choices)
    category = choices("category", AidCategory.choices)
    donor = organizations("Donor", "donor")
    recipient = organizations("Recipient", "recipient")
    min_confidence = filters.NumberFilter(field_name="confidence", lookup_expr="gte")
    max_confidence = filters.NumberFilter(field_name="confidence", lookup_expr="lte")
    publisher = filters.CharFilter(field_name="article__publisher", lookup_expr="iexact")
    article = IdFilter(field_name="article_id")
    currency = filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Candidate
        fields = {"date": RANGE, "decided_at": ["gte", "lte"], "created_at": ["gte", "lte"]}
