"""Amounts of money as news writes them: "$12 billion", "€1.5bn", "NOK 35 billion",
"450 million dollars", "twelve billion euros", ranges and "over"/"up to" qualifiers."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    start: int  # offsets in the text searched
    end: int
    amount: Decimal
    currency: str  # ISO 4217, "" where the text names none
    qualifier: str = "exact"  # an ledger AmountQualifier value
    upper: Decimal | None = None  # the top of a range; ``amount`` is its bottom


def find_money(text: str) -> list[Money]:
    """Every amount of money in ``text``, in order."""
    raise NotImplementedError
