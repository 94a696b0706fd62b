"""Short representations of related rows (id, link, name), as NetBox's nested serializers."""

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
