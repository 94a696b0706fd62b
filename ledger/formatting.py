"""How amounts and dates read for people: the admin shows them this way, and so should any page.

The database keeps four decimal places, so a stored ``Decimal`` says ``40000000000.0000``
for "$40bn"; people read ``40,000,000,000 USD``. The API and CSV keep the exact decimal
strings: this is for display only, never for values a form or a client sends back.
"""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

# A link's schemes a browser follows without running anything (no javascript:, data:).
WEB_SCHEMES = frozenset({"http", "https"})

# Cents are written as a pair ("1,234.50", not "1,234.5"); a whole amount has none.
MIN_PLACES_OF_A_FRACTION = 2


def format_amount(amount: Decimal, currency: str = "") -> str:
    """``amount`` with thousands separators and no insignificant zeros, then ``currency``
    if given: ``40,000,000,000 USD``, ``-1,234.50``, ``0.1234 EUR``. Nothing is rounded."""
    exponent = amount.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    places = max(decimals, MIN_PLACES_OF_A_FRACTION) if decimals else 0
    number = f"{amount:,.{places}f}"
    return f"{number} {currency}" if currency else number


def format_day(day: date) -> str:
    """``7 Jul 2025``: unambiguous in every locale, and short enough for a chart label."""
    return f"{day.day} {day:%b %Y}"


def format_dated(day: date, precision: str) -> str:
    """A date as precisely as its source gave it (the date stored is the period's first
    day): ``7 Jul 2025``, ``week of 30 Jun 2025``, ``Jan 2025``, ``2022``."""
    if precision == "week":
        return f"week of {format_day(day)}"
    if precision == "month":
        return f"{day:%b %Y}"
    if precision == "year":
        return f"{day:%Y}"
    return format_day(day)


def web_url(url: str) -> str:
    """``url`` if it is a plain web address, else empty (shown as text, not linked)."""
    return url if url and urlsplit(url).scheme.lower() in WEB_SCHEMES else ""
