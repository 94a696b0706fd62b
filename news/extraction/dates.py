"""Dates as news writes them ("on Thursday", "last week", "on Jan. 3", "early next year"),
resolved against the article's publication date with their precision."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FoundDate:
    start: int  # offsets in the text searched
    end: int
    date: date  # the first day of the period named
    precision: str  # a ledger DatePrecision value: day, week, month, year


def find_dates(text: str, *, published_on: date | None) -> list[FoundDate]:
    """Every date in ``text``; relative ones only when ``published_on`` is known."""
    raise NotImplementedError
