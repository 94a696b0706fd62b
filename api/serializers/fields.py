"""Input fields stricter than DRF's: ids that are whole numbers only, amounts kept exactly
as the ledger stores them or refused, and identifier schemes checked as keys."""

import re
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ledger.models import IdentifierScheme
from ledger.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

# A form body carries an id as its digits; at most 19 of them fit a bigint.
ID_DIGITS = re.compile(r"[0-9]{1,19}")


class IdField(serializers.PrimaryKeyRelatedField):
    """A row by its id. DRF's field hands any value to the database lookup, which turns
    ``1.5`` into 1 and ``1e400`` into an OverflowError: here an id is a JSON integer (or
    its digits, from a form) within the range of the table's key, and nothing else."""

    default_error_messages = {"not_an_id": "An id is a whole number from 1 to {largest}."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and ID_DIGITS.fullmatch(data):
            data = int(data)
        largest = self.largest_id()
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= largest:
            self.fail("not_an_id", largest=largest)
        return super().to_internal_value(data)

    def largest_id(self) -> int:
        queryset = cast(QuerySet, self.get_queryset())  # every input field has one
        key = queryset.model._meta.pk
        return int(connection.ops.integer_field_range(key.get_internal_type())[1])


def positive_decimal_pattern(
    *, whole_digits: int, places: int, as_written: bool, sign: str = ""
) -> str:
    """A decimal string greater than zero (after ``sign``: ``-?`` for either sign, never
    zero) with at most ``whole_digits`` before the point: as the API writes it (exactly
    ``places`` after it) or as it reads one (1 to ``places``, or none). Without
    lookaheads, which Hypothesis cannot generate from."""
    fraction = f"[0-9]{{{places}}}" if as_written else f"[0-9]{{1,{places}}}"
    whole = f"[1-9][0-9]{{0,{whole_digits - 1}}}"
    whole = f"{whole}\\.{fraction}" if as_written else f"{whole}(?:\\.{fraction})?"
    # Below 1: some zeros, a non-zero digit, then any digits up to ``places``.
    below_one = "|".join(
        f"{'0' * zeros}[1-9][0-9]{{{'' if as_written else '0,'}{places - zeros - 1}}}"
        for zeros in range(places)
    )
    return f"^{sign}(?:{whole}|0\\.(?:{below_one}))$"


WHOLE_DIGITS = MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES
AMOUNT_BOUNDS = {
    "minimum": 0,
    "exclusiveMinimum": True,
    "maximum": 10**WHOLE_DIGITS,
    "exclusiveMaximum": True,
}
AMOUNT_DESCRIPTION = (
    f"A decimal string greater than 0, with at most {WHOLE_DIGITS} digits before the point "
    f"and {MONEY_DECIMAL_PLACES} after it"
)


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": positive_decimal_pattern(
            whole_digits=WHOLE_DIGITS, places=MONEY_DECIMAL_PLACES, as_written=False
        ),
        **AMOUNT_BOUNDS,
        "description": f"{AMOUNT_DESCRIPTION} (a JSON number is read exactly too).",
        "example": "1500000.50",
    }
)
class LedgerAmountField(serializers.DecimalField):
    """An amount as the ledger stores it (``numeric(20, 4)``), exactly. A value that would
    need rounding to fit, such as ``1.00000000000000000001``, is refused rather than
    rounded; trailing zeros (``1.50000``) lose nothing and are accepted."""

    default_error_messages = {
        "max_whole_digits": "The ledger stores at most {max_whole_digits} digits before "
        "the decimal point.",
        "max_decimal_places": "The ledger stores at most {max_decimal_places} decimal places; "
        "round the amount yourself if you mean to.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=MONEY_MAX_DIGITS,
            decimal_places=MONEY_DECIMAL_PLACES,
            coerce_to_string=False,
            **kwargs,
        )

    def validate_precision(self, value: Decimal) -> Decimal:
        if value.is_zero():
            return value
        whole_digits = MONEY_MAX_DIGITS - MONEY_DECIMAL_PLACES
        if value.adjusted() >= whole_digits:
            self.fail("max_whole_digits", max_whole_digits=whole_digits)
        exact = value.quantize(Decimal(1).scaleb(-MONEY_DECIMAL_PLACES))
        if exact != value:
            self.fail("max_decimal_places", max_decimal_places=MONEY_DECIMAL_PLACES)
        return exact


class IdentifiersField(serializers.DictField):
    """A commitment's identifiers, scheme to value; each key must be a scheme the ledger
    knows (which also keeps NUL characters and lone surrogates out of the database)."""

    child = serializers.CharField(max_length=300)
    default_error_messages = {
        "unknown_scheme": "{scheme} is not an identifier scheme; use one of: {schemes}.",
    }

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if isinstance(data, dict):
            for scheme in data:
                if scheme not in IdentifierScheme.values:
                    self.fail(
                        "unknown_scheme",
                        scheme=ascii(scheme),
                        schemes=", ".join(IdentifierScheme.values),
                    )
        return dict(super().to_internal_value(data))


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": positive_decimal_pattern(
            whole_digits=WHOLE_DIGITS, places=MONEY_DECIMAL_PLACES, as_written=True
        ),
        **AMOUNT_BOUNDS,
        "description": f"{AMOUNT_DESCRIPTION}, written with all {MONEY_DECIMAL_PLACES}.",
        "example": "1500000.5000",
    }
)
class AmountField(serializers.DecimalField):
    """An amount as the ledger holds it (greater than zero), read out as a decimal string:
    DRF would document the model's column as any decimal, negative ones included."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=MONEY_MAX_DIGITS,
            decimal_places=MONEY_DECIMAL_PLACES,
            coerce_to_string=True,
            read_only=True,
            **kwargs,
        )
