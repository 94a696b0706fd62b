"""The news review queue as the API shows it: articles, their candidates, and what a
client sends to accept or reject one. Inputs are typed here and handed to
``news.services.review``, which validates the rest."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from api.dates import DateField
from api.serializers.brief import BriefOrganizationSerializer, BriefSourceSerializer
from api.serializers.fields import IdField, LedgerAmountField
from api.serializers.inputs import KeyedInput, organization_field
from ledger.models import (
    AidCategory,
    AmountQualifier,
    Commitment,
    CoordinationBody,
    DatePrecision,
    EventKind,
    Pause,
    Responsibility,
    Stage,
)
from news.models import Article, Candidate, CandidateKind
from news.selectors.candidates import FACT_MODELS

# Each fact kind's API resource (its detail route's name).
FACT_ROUTES = {
    "commitment": "api:commitment-detail",
    "entry": "api:ledgerentry-detail",
    "pause": "api:pause-detail",
    "mandate": "api:mandate-detail",
    "event": "api:event-detail",
    "reported_total": "api:reportedtotal-detail",
}
# The kinds of ledger fact a candidate may become or be linked to.
FACT_KINDS = tuple(FACT_ROUTES)


class FactLinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FACT_KINDS)
    id = serializers.IntegerField()
    url = serializers.URLField()


def fact_link(kind: str, fact_id: int, request: Any) -> dict[str, Any]:
    url = reverse(FACT_ROUTES[kind], kwargs={"pk": fact_id}, request=request)
    return {"kind": kind, "id": fact_id, "url": url}


class BriefArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")

    class Meta:
        model = Article
        fields = ["id", "url", "title", "publisher", "published_on"]


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 1})
class ConfidenceField(serializers.FloatField):
    """How sure the extractor is, from 0 to 1: a plain JSON number."""


class CandidateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:candidate-detail")
    article = BriefArticleSerializer(read_only=True)
    donor = BriefOrganizationSerializer(read_only=True, allow_null=True)
    recipient = BriefOrganizationSerializer(read_only=True, allow_null=True)
    counterpart = BriefOrganizationSerializer(read_only=True, allow_null=True)
    amount = serializers.DecimalField(max_digits=24, decimal_places=2, read_only=True)
    amount_upper = serializers.DecimalField(max_digits=24, decimal_places=2, read_only=True)
    confidence = ConfidenceField(read_only=True)
    decided_by = serializers.SerializerMethodField()
    source = BriefSourceSerializer(read_only=True, allow_null=True)
    recorded = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "url",
            "article",
            "kind",
            "donor",
            "donor_name",
            "recipient",
            "recipient_name",
            "counterpart",
            "counterpart_name",
            "amount",
            "amount_upper",
            "qualifier",
            "currency",
            "category",
            "date",
            "date_precision",
            "stage",
            "period_start",
            "period_start_precision",
            "evidence",
            "evidence_start",
            "evidence_end",
            "confidence",
            "flags",
            "extractor",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "source",
            "recorded",
            "created_at",
        ]

    def get_decided_by(self, candidate: Candidate) -> str:
        user = candidate.decided_by
        return user.get_username() if user is not None else candidate.decided_via

    @extend_schema_field(FactLinkSerializer(many=True))
    def get_recorded(self, candidate: Candidate) -> list[dict[str, Any]]:
        """The ledger facts the candidate became, or the one it was linked to."""
        request = self.context.get("request")
        return [
            fact_link(name, getattr(candidate, f"{name}_id"), request)
            for name in FACT_MODELS
            if getattr(candidate, f"{name}_id") is not None
        ]


class CandidateDetailSerializer(CandidateSerializer):
    # Set by the view from ``news.selectors.candidates.probable_duplicates``.
    probable_duplicates = FactLinkSerializer(many=True, read_only=True)

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "probable_duplicates"]


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    canonical_url = serializers.URLField(source="url", read_only=True)
    # Annotated by the view.
    candidates = serializers.IntegerField(source="candidate_count", read_only=True)
    pending_candidates = serializers.IntegerField(source="pending_count", read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "canonical_url",
            "title",
            "publisher",
            "published_on",
            "date_found_by",
            "language",
            "fetched_at",
            "created_at",
            "candidates",
            "pending_candidates",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    text = serializers.CharField(read_only=True)
    candidate_list = CandidateSerializer(source="candidates", many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text", "candidate_list"]


# --- what clients send ----------------------------------------------------------------


class CandidateChanges(serializers.Serializer):
    """Edits to the candidate's own fields before it is accepted; only those sent change."""

    kind = serializers.ChoiceField(choices=CandidateKind.choices, required=False)
    donor = organization_field(required=False, allow_null=True)
    recipient = organization_field(required=False, allow_null=True)
    counterpart = organization_field(required=False, allow_null=True)
    amount = LedgerAmountField(required=False, allow_null=True)
    amount_upper = LedgerAmountField(required=False, allow_null=True)
    qualifier = serializers.ChoiceField(choices=AmountQualifier.choices, required=False)
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=AidCategory.choices, required=False)
    date = DateField(required=False, allow_null=True)
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, allow_blank=True
    )
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    period_start = DateField(required=False, allow_null=True)
    period_start_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, allow_blank=True
    )


class AcceptDetailsInput(serializers.Serializer):
    """What the ledger needs beyond the candidate (``news.services.review.AcceptDetails``)."""

    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    commitment = IdField(queryset=Commitment.objects.all(), required=False, allow_null=True)
    period_end = DateField(required=False, allow_null=True)
    body = IdField(queryset=CoordinationBody.objects.all(), required=False, allow_null=True)
    responsibility = IdField(queryset=Responsibility.objects.all(), required=False, allow_null=True)
    hands_over = serializers.BooleanField(required=False, allow_null=True)
    event_kind = serializers.ChoiceField(
        choices=EventKind.choices, required=False, allow_blank=True
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    participants = organization_field(many=True, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    pause = IdField(queryset=Pause.objects.all(), required=False, allow_null=True)
    record_anyway = serializers.BooleanField(
        required=False,
        help_text="Record the fact although the ledger probably holds it (see the "
        "candidate's probable_duplicates); otherwise such an accept is a 409.",
    )


class LinkTarget(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FACT_KINDS)
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)


class AcceptInput(KeyedInput):
    changes = CandidateChanges(required=False)
    details = AcceptDetailsInput(required=False)
    link_to = LinkTarget(
        required=False,
        help_text="Link the candidate to this existing fact as a further source of it, "
        "instead of recording the fact again (changes and details are then not allowed).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "link_to" in attrs and ({"changes", "details"} & set(attrs)):
            raise serializers.ValidationError(
                {"link_to": ["Link, or accept with changes and details: not both."]}
            )
        return attrs


class RejectInput(KeyedInput):
    reason = serializers.CharField(max_length=2000)
