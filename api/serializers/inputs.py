"""What clients send to write: parsed and typed here, then handed to ``ledger.services``,
which validate the rest. Field names are the services' keyword arguments."""

from typing import Any

from rest_framework import serializers

from api.dates import DateField, DateTimeField
from api.serializers.fields import IdentifiersField, IdField, LedgerAmountField
from ledger.models import (
    AidCategory,
    Commitment,
    CoordinationBody,
    DatePrecision,
    EventKind,
    Instrument,
    Organization,
    OrganizationKind,
    Responsibility,
    Source,
    Stage,
)


def source_field(**kwargs: Any) -> IdField:
    return IdField(queryset=Source.objects.all(), **kwargs)


def organization_field(**kwargs: Any) -> Any:
    return IdField(queryset=Organization.objects.all(), **kwargs)


def precision_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=DatePrecision.choices, default=DatePrecision.DAY)


class KeyedInput(serializers.Serializer):
    """An idempotency key may come as a field or as the ``Idempotency-Key`` header."""

    idempotency_key = serializers.CharField(max_length=200, required=False)


class EntryInput(KeyedInput):
    commitment = IdField(queryset=Commitment.objects.all())
    stage = serializers.ChoiceField(choices=Stage.choices)
    amount = LedgerAmountField()
    currency = serializers.CharField(max_length=3)
    value_date = DateField()
    value_date_precision = precision_field()
    source = source_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReverseInput(KeyedInput):
    source = source_field()
    reason = serializers.CharField()


class PauseInput(KeyedInput):
    donor = organization_field(required=False, allow_null=True, default=None)
    commitment = IdField(
        queryset=Commitment.objects.all(), required=False, allow_null=True, default=None
    )
    category = serializers.ChoiceField(
        choices=AidCategory.choices, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    ordered_by = organization_field(required=False, allow_null=True, default=None)
    paused_on = DateField()
    paused_on_precision = precision_field()
    source = source_field()


class ResumeInput(KeyedInput):
    resumed_on = DateField()
    source = source_field()


class OrganizationInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    country_code = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    parent = organization_field(required=False, allow_null=True, default=None)
    iati_identifier = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )


class SourceInput(serializers.Serializer):
    url = serializers.URLField(max_length=2000, required=False, allow_blank=True, default="")
    publisher = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    published_on = DateField(required=False, allow_null=True, default=None)
    retrieved_at = DateTimeField(required=False, allow_null=True, default=None)
    excerpt = serializers.CharField(required=False, allow_blank=True, default="")


class CommitmentInput(serializers.Serializer):
    donor = organization_field()
    recipient = organization_field(required=False, allow_null=True, default=None)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=AidCategory.choices)
    instrument = serializers.ChoiceField(
        choices=Instrument.choices, required=False, allow_blank=True, default=""
    )
    announced_on = DateField()
    announced_on_precision = precision_field()
    period_start = DateField(required=False, allow_null=True, default=None)
    period_end = DateField(required=False, allow_null=True, default=None)
    channel = IdField(
        queryset=CoordinationBody.objects.all(), required=False, allow_null=True, default=None
    )
    source = source_field()
    identifiers = IdentifiersField(required=False, default=dict)


class MandateInput(KeyedInput):
    body = IdField(queryset=CoordinationBody.objects.all())
    responsibility = IdField(queryset=Responsibility.objects.all())
    starts_on = DateField()
    starts_on_precision = precision_field()
    ends_on = DateField(required=False, allow_null=True, default=None)
    hands_over = serializers.BooleanField(
        required=False,
        default=False,
        help_text="End the open mandate another body holds from before starts_on (a "
        "handover); without it such a mandate is a 409 naming the one in the way.",
    )
    source = source_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EventInput(KeyedInput):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=300)
    occurred_on = DateField()
    occurred_on_precision = precision_field()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = IdField(
        queryset=CoordinationBody.objects.all(), required=False, allow_null=True, default=None
    )
    participants = organization_field(many=True, required=False, default=list)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = source_field()
