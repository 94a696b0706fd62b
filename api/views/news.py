"""The news review queue under /api/v1/news/: articles and candidates to read, and the
two decisions an editor key may make on a candidate, accept and reject. Both need an
Idempotency-Key (428 without one), answer a replay with the candidate as first decided,
and refuse another decision, or a key that decided another candidate, with a 409."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api import filtersets_news
from api.serializers import news as serializers
from api.views.base import LedgerViewSet, keyed_input, require_idempotency_key
from news.models import Article, Candidate, CandidateStatus
from news.selectors.candidates import FACT_MODELS, probable_duplicates
from news.services.review import AcceptDetails, accept_candidate, link_candidate, reject_candidate

CANDIDATE_RELATIONS = ("article", "donor", "recipient", "counterpart", "decided_by", "source")


class ArticleViewSet(LedgerViewSet):
    """Stored articles; ``?has_pending=true`` lists those with candidates to review."""

    queryset = Article.objects.annotate(
        candidate_count=Count("candidates"),
        pending_count=Count("candidates", filter=Q(candidates__status=CandidateStatus.PENDING)),
    )
    filterset_class = filtersets_news.ArticleFilterSet
    ordering_fields = ["published_on", "created_at", "id"]
    ordering = ["-published_on", "-id"]

    def get_queryset(self) -> QuerySet[Article]:
        articles = super().get_queryset()
        if self.action != "retrieve":
            return articles.defer("text")  # a list shows no article's text
        candidates = Candidate.objects.select_related(*CANDIDATE_RELATIONS)
        return articles.prefetch_related(Prefetch("candidates", candidates))

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return serializers.ArticleDetailSerializer
        return serializers.ArticleSerializer


class CandidateViewSet(LedgerViewSet):
    """Candidate updates found in the articles, grouped by article in text order."""

    queryset = Candidate.objects.select_related(*CANDIDATE_RELATIONS)
    filterset_class = filtersets_news.CandidateFilterSet
    ordering_fields = ["confidence", "date", "created_at", "decided_at", "id"]
    ordering = ["-article__published_on", "-article_id", "evidence_start", "id"]
    keyed_actions = frozenset({"accept", "reject"})

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated and allowed first
        if self.action in self.keyed_actions:
            require_idempotency_key(request)

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return serializers.CandidateSerializer
        return serializers.CandidateDetailSerializer

    def prepare(self, objects: list[Any]) -> list[Any]:
        if self.action == "list":
            return objects
        request = self.request
        for candidate in objects:
            candidate.probable_duplicates = [
                serializers.fact_link(kind_of(fact), fact.pk, request)
                for fact in probable_duplicates(candidate=candidate)
            ]
        return objects

    def decider(self) -> dict[str, Any]:
        """Who decides: the user, or the API key (which has no user)."""
        user = self.request.user
        if user.is_authenticated:
            return {"user": user}
        return {"user": None, "by": f"api-key:{getattr(self.request.auth, 'prefix', '')}"}

    def answer(self, candidate: Candidate) -> Response:
        (fresh,) = self.prepare([self.get_queryset().get(pk=candidate.pk)])
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        request=serializers.AcceptInput, responses={200: serializers.CandidateDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        """Accept the candidate (after optional ``changes`` to its fields, with ``details``
        the ledger needs), or link it to an existing fact (``link_to``)."""
        candidate = self.get_object()
        values = keyed_input(request, serializers.AcceptInput)
        key = values.get("idempotency_key", "")
        if "link_to" in values:
            target = values["link_to"]
            model = FACT_MODELS[target["kind"]]
            fact = model._default_manager.filter(pk=target["id"]).first()
            if fact is None:
                raise ValidationError({"link_to": [f"No {target['kind']} with id {target['id']}."]})
            decided = link_candidate(candidate=candidate, fact=fact, key=key, **self.decider())
        else:
            decided = accept_candidate(
                candidate=candidate,
                changes=values.get("changes") or {},
                details=AcceptDetails(**details(values.get("details") or {})),
                key=key,
                **self.decider(),
            )
        return self.answer(decided)

    @extend_schema(
        request=serializers.RejectInput, responses={200: serializers.CandidateDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """Reject the candidate, saying why (``reason``)."""
        candidate = self.get_object()
        values = keyed_input(request, serializers.RejectInput)
        decided = reject_candidate(
            candidate=candidate,
            reason=values["reason"],
            key=values.get("idempotency_key", ""),
            **self.decider(),
        )
        return self.answer(decided)


def kind_of(fact: Any) -> str:
    return next(name for name, model in FACT_MODELS.items() if isinstance(fact, model))


def details(values: dict[str, Any]) -> dict[str, Any]:
    """The input's details as ``AcceptDetails`` takes them (participants as a tuple)."""
    if values.get("participants") is not None:
        return {**values, "participants": tuple(values["participants"])}
    return values
