"""Short representations of related rows (id, link, name), as NetBox's nested serializers."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ledger.models import Commitment, CoordinationBody, Organization, Responsibility, Source


class BriefOrganizationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")

    class Meta:
        model = Organization
        fields = ["id", "url", "name", "country_code"]


class BriefCommitmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:commitment-detail")

    class Meta:
        model = Commitment
        fields = ["id", "url", "title"]


class BriefSourceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")

    class Meta:
        model = Source
        fields = ["id", "url", "publisher", "title", "published_on"]


class BriefBodySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:coordinationbody-detail")

    class Meta:
        model = CoordinationBody
        fields = ["id", "url", "name", "acronym"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Responsibility
        fields = ["id", "code", "name", "description"]


@extend_schema_field(BriefSourceSerializer(many=True))
class FurtherSourcesField(serializers.Field):
    """The fact's further sources (``ledger.Corroboration``): other documents reporting
    it, after the one it cites as ``source``. Declared as ``further_sources`` (the
    reverse relation's name); the views prefetch them with their sources."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True,
            help_text="Other sources reporting the same fact.",
            **kwargs,
        )

    def to_representation(self, value: Any) -> Any:
        sources = [corroboration.source for corroboration in value.all()]
        return BriefSourceSerializer(sources, many=True, context=self.context).data
