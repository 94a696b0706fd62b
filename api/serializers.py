"""Serializers shared by the API views. Money leaves as decimal strings, never floats."""

from rest_framework import serializers

from ledger.money import MONEY_MAX_DIGITS


def money() -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_MAX_DIGITS + 6, decimal_places=2, coerce_to_string=True, read_only=True
    )


class FiguresSerializer(serializers.Serializer):
    """The measures of ``ledger.selectors.figures`` and ``totals``."""

    pledged = money()
    committed = money()
    allocated = money()
    disbursed = money()
    outstanding = money()
    on_hold = money()
    entry_count = serializers.IntegerField(read_only=True)
    unconverted_entries = serializers.IntegerField(read_only=True)
