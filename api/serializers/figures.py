"""Figures as they leave the API: money as decimal strings in the currency asked for."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ledger.models import RateProvider
from ledger.money import MONEY_MAX_DIGITS

FIGURE_MAX_DIGITS = MONEY_MAX_DIGITS + 6
FIGURE_PLACES = 2


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        # Always written to the cent; negative where reversals and cancellations outweigh.
        "pattern": f"^-?[0-9]{{1,{FIGURE_MAX_DIGITS - FIGURE_PLACES}}}\\.[0-9]{{{FIGURE_PLACES}}}$",
        "example": "1500000.50",
    }
)
class FigureField(serializers.DecimalField):
    pass


def money() -> serializers.DecimalField:
    return FigureField(
        max_digits=FIGURE_MAX_DIGITS,
        decimal_places=FIGURE_PLACES,
        coerce_to_string=True,
        read_only=True,
    )


class RatesUsedSerializer(serializers.Serializer):
    """Which exchange rates converted a figure's amounts: their providers (``ecb``, the
    ECB's euro reference rates; ``nbu``, the NBU's official hryvnia rate) and the dates
    of the earliest and latest rate used. Empty when nothing needed converting."""

    providers = serializers.ListField(
        child=serializers.ChoiceField(choices=RateProvider.choices), read_only=True
    )
    earliest = serializers.DateField(read_only=True, allow_null=True)
    latest = serializers.DateField(read_only=True, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    """The measures of ``ledger.selectors.figures`` and ``totals``, and the rates used."""

    pledged = money()
    committed = money()
    allocated = money()
    disbursed = money()
    outstanding = money()
    on_hold = money()
    entry_count = serializers.IntegerField(read_only=True)
    unconverted_entries = serializers.IntegerField(read_only=True)
    rates = RatesUsedSerializer(read_only=True)


class SummaryRowSerializer(FiguresSerializer):
    """One row of ``summary/``: the group's columns (only those grouped by) and its figures.

    The group columns are not read-only, only optional: drf-spectacular lists every
    read-only field as required, and a row has only the columns it was grouped by."""

    commitment = serializers.IntegerField(required=False)
    commitment_title = serializers.CharField(required=False)
    donor = serializers.IntegerField(required=False)
    donor_name = serializers.CharField(required=False)
    recipient = serializers.IntegerField(required=False)
    recipient_name = serializers.CharField(required=False)
    category = serializers.CharField(required=False)
    stage = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False)
    month = serializers.DateField(required=False)
    day = serializers.DateField(required=False)
    currency = serializers.CharField(read_only=True)
