"""Read representations of each resource. Related rows appear in brief; nothing here
triggers a query per row (the views select and prefetch what these read)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.brief import (
    BriefBodySerializer,
    BriefCommitmentSerializer,
    BriefOrganizationSerializer,
    BriefSourceSerializer,
    FurtherSourcesField,
    ResponsibilitySerializer,
)
from api.serializers.fields import AmountField, positive_decimal_pattern
from api.serializers.figures import FiguresSerializer
from ledger.models import (
    BodyMembership,
    Commitment,
    CommitmentIdentifier,
    CoordinationBody,
    Event,
    FxRate,
    LedgerEntry,
    Mandate,
    Organization,
    Pause,
    ReportedTotal,
    Source,
)
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

SIGNED_AMOUNT_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": positive_decimal_pattern(
        whole_digits=MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES,
        places=MONEY_DECIMAL_PLACES,
        as_written=True,
        sign="-?",
    ),
    "description": "The amount as it counts in the figures: negative for a reversal.",
    "example": "-1500000.5000",
}


class OrganizationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    parent = BriefOrganizationSerializer(read_only=True, allow_null=True)
    aliases: serializers.SlugRelatedField = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="alias"
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "url",
            "name",
            "kind",
            "country_code",
            "parent",
            "aliases",
            "iati_identifier",
            "is_verified",
            "created_at",
        ]


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitmentIdentifier
        fields = ["scheme", "value"]


class CommitmentFiguresSerializer(FiguresSerializer):
    currency = serializers.CharField(read_only=True)
    as_of = serializers.DateField(read_only=True, allow_null=True)
    known_at = serializers.DateTimeField(read_only=True, allow_null=True)


class CommitmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:commitment-detail")
    donor = BriefOrganizationSerializer(read_only=True)
    recipient = BriefOrganizationSerializer(read_only=True)
    channel = BriefBodySerializer(read_only=True, allow_null=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()
    identifiers = IdentifierSerializer(many=True, read_only=True)
    # Set by the view (``commitment.figures``) from one query for the whole page.
    figures = CommitmentFiguresSerializer(read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
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
            "further_sources",
            "identifiers",
            "figures",
            "created_at",
        ]


class LedgerEntrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:ledgerentry-detail")
    commitment = BriefCommitmentSerializer(read_only=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()
    amount = AmountField()
    signed_amount = serializers.SerializerMethodField()
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "url",
            "commitment",
            "stage",
            "amount",
            "signed_amount",
            "currency",
            "value_date",
            "value_date_precision",
            "recorded_at",
            "source",
            "further_sources",
            "idempotency_key",
            "reverses",
            "reversed_by",
            "note",
            "recorded_by",
        ]

    @extend_schema_field(SIGNED_AMOUNT_SCHEMA)
    def get_signed_amount(self, entry: LedgerEntry) -> str:
        """The amount as it counts in the figures: negative for a reversal."""
        return f"{-entry.amount if entry.reverses_id else entry.amount}"

    def get_reversed_by(self, entry: LedgerEntry) -> int | None:
        reversal = getattr(entry, "reversed_by", None)
        return reversal.pk if reversal is not None else None


class PauseSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:pause-detail")
    donor = BriefOrganizationSerializer(read_only=True)
    ordered_by = BriefOrganizationSerializer(read_only=True, allow_null=True)
    commitment = BriefCommitmentSerializer(read_only=True, allow_null=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()
    resumption_source = BriefSourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Pause
        fields = [
            "id",
            "url",
            "donor",
            "commitment",
            "category",
            "description",
            "reason",
            "ordered_by",
            "paused_on",
            "paused_on_precision",
            "source",
            "further_sources",
            "recorded_at",
            "resumed_on",
            "resumption_source",
            "resumption_recorded_at",
            "idempotency_key",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    organization = BriefOrganizationSerializer(read_only=True)

    class Meta:
        model = BodyMembership
        fields = ["organization", "role"]


class CoordinationBodySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:coordinationbody-detail")
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = CoordinationBody
        fields = ["id", "url", "name", "acronym", "description", "memberships", "created_at"]


class MandateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:mandate-detail")
    body = BriefBodySerializer(read_only=True)
    responsibility = ResponsibilitySerializer(read_only=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()
    end_source = BriefSourceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "url",
            "body",
            "responsibility",
            "starts_on",
            "starts_on_precision",
            "ends_on",
            "predecessor",
            "source",
            "further_sources",
            "end_source",
            "note",
            "recorded_at",
            "idempotency_key",
        ]


class EndedMandateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:mandate-detail")
    body = BriefBodySerializer(read_only=True)

    class Meta:
        model = Mandate
        fields = ["id", "url", "body", "starts_on", "ends_on"]


class MandateWrittenSerializer(MandateSerializer):
    """A mandate as its ``POST`` answers: with the mandate it ended (its predecessor), so
    that a handover is seen to have been one."""

    ended = EndedMandateSerializer(source="predecessor", read_only=True, allow_null=True)

    class Meta(MandateSerializer.Meta):
        fields = [*MandateSerializer.Meta.fields, "ended"]


@extend_schema_field({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})
class OptionalURLField(serializers.CharField):
    """A URL, or "" where the document has none (a source may be a title alone): a
    URLField would be documented as always a URI."""


class SourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
    document_url = OptionalURLField(source="url", read_only=True)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "document_url",
            "publisher",
            "title",
            "published_on",
            "retrieved_at",
            "excerpt",
            "created_at",
        ]


class FxRateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:fxrate-detail")

    class Meta:
        model = FxRate
        fields = ["id", "url", "currency", "date", "rate", "provider", "source"]


class EventSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail")
    body = BriefBodySerializer(read_only=True, allow_null=True)
    participants = BriefOrganizationSerializer(many=True, read_only=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "kind",
            "title",
            "occurred_on",
            "occurred_on_precision",
            "place",
            "body",
            "participants",
            "description",
            "source",
            "further_sources",
            "recorded_at",
            "idempotency_key",
        ]


class ReportedTotalSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:reportedtotal-detail")
    donor = BriefOrganizationSerializer(read_only=True)
    recipient = BriefOrganizationSerializer(read_only=True)
    source = BriefSourceSerializer(read_only=True)
    further_sources = FurtherSourcesField()
    amount = AmountField()

    class Meta:
        model = ReportedTotal
        fields = [
            "id",
            "url",
            "donor",
            "recipient",
            "stage",
            "qualifier",
            "amount",
            "currency",
            "period_start",
            "period_start_precision",
            "as_of",
            "as_of_precision",
            "source",
            "further_sources",
            "note",
            "recorded_at",
            "idempotency_key",
        ]
