"""Amounts of money as news writes them: "$12 billion", "€1.5bn", "NOK 35 billion",
"450 million dollars", "twelve billion euros", ranges and "over"/"up to" qualifiers.

One compiled expression finds a possible amount: an optional qualifier, then one figure or
a range of two (``$1-2 billion``, ``between €1bn and €2bn``). A figure is a currency sign
or code, a number in digits or words, a scale word and a currency word or code, each part
optional; what was matched is then kept only if it names a currency, or if it has a scale
word and its context is money ("35 billion in aid": currency ""). Years, counts ("400
drones"), percentages and times name neither and are dropped.

A range keeps both ends, never their mean: ``amount`` is the bottom, ``upper`` the top, and
a bottom without its own scale takes the top's ("$1-2 billion"). "From $1bn to $2bn" is a
change, not a range: two amounts. A span covers the qualifier ("over $40bn").

Vague amounts ("billions of dollars") have no figure and give nothing: a caller that wants
them treats the sentence as one without an amount. "Pounds" without a scale or "sterling"
("500 pounds of flour") is a weight, not money.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from text_to_num import text2num  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Money:
    start: int  # offsets in the text searched
    end: int
    amount: Decimal
    currency: str  # ISO 4217, "" where the text names none
    qualifier: str = "exact"  # an ledger AmountQualifier value
    upper: Decimal | None = None  # the top of a range; ``amount`` is its bottom


# Signs before the figure ("$" alone is the US dollar, as English-language news uses it).
_SIGNS = {
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₴": "UAH",
}
_CODES = (
    *("USD", "EUR", "GBP", "JPY", "UAH", "NOK", "SEK", "DKK", "PLN", "CHF", "CAD", "AUD"),
    *("NZD", "HKD", "CNY", "RUB", "CZK", "HUF", "INR", "KRW"),
)

# Currency words after the figure, lower-cased, the longer ones first.
_WORDS = {
    "canadian dollars": "CAD",
    "australian dollars": "AUD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "hryvnias": "UAH",
    "hryvnia": "UAH",
    "hryvnyas": "UAH",
    "norwegian kroner": "NOK",
    "norwegian crowns": "NOK",
    "swedish kronor": "SEK",
    "swedish crowns": "SEK",
    "danish kroner": "DKK",
    "danish crowns": "DKK",
    "zlotys": "PLN",
    "zloty": "PLN",
    "zlotych": "PLN",
    "swiss francs": "CHF",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rubles": "RUB",
    "roubles": "RUB",
}

_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "bln": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}

_QUALIFIERS = {
    "over": "at_least",
    "more than": "at_least",
    "at least": "at_least",
    "in excess of": "at_least",
    "up to": "at_most",
    "as much as": "at_most",
    "less than": "at_most",
    "under": "at_most",
    "nearly": "at_most",
    "almost": "at_most",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "an estimated": "about",
    "close to": "about",
    "upwards of": "at_least",
    "just over": "at_least",
    "well over": "at_least",
    "just under": "at_most",
}

_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy"),
    *("eighty", "ninety", "hundred"),
)


def _alternatives(words: Iterable[str]) -> str:
    # The longer first: "more than" before "more", "US$" before "$".
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


_UNIT = rf"(?:{_alternatives(_UNITS)})"
# "a" counts as one only before a scale word: "a billion dollars", "half a million".
_SPELLED = (
    rf"(?:(?:a\s+(?=hundred\b))?{_UNIT}(?:(?:\s+and\s+|[\s-]+){_UNIT})*\b"
    r"|(?:half\s+)?an?(?=\s+(?:thousand|million|billion|trillion)\b))"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Single-letter scales only glued to the figure: "$5m", but "€2bn", "€2 bn" or "$12-billion".
_SCALE = r"(?:[\s-]?(?i:trillion|billion|million|thousand|bln|mln|bn|mn|tn)|(?i:k|m|b))\b"
_SIGN = rf"(?:{_alternatives(_SIGNS)})"
_CODE = rf"(?<![A-Za-z])(?:{'|'.join(_CODES)})(?![A-Za-z])"


def _figure(n: int) -> str:
    return (
        rf"(?P<pre{n}>{_SIGN}\s?|{_CODE}\s?)?"
        # Unless a sign or code comes first ("EUR1.5bn"), a figure glued to a word is none.
        rf"(?(pre{n})|(?<![\w.,]))(?P<num{n}>{_DIGITS}|(?i:{_SPELLED}))(?![%:]|[.,]?\d)"
        rf"(?P<scale{n}>{_SCALE})?"
        rf"(?P<post{n}>\s+(?:(?i:{_alternatives(_WORDS)})\b|{_CODE}))?"
    )


_MONEY = re.compile(
    # Only where a word or a sign starts: half the work of trying every position.
    r"(?<!\w)"
    rf"(?P<qual>\b(?i:{_alternatives(_QUALIFIERS)})\s+)?"
    r"(?P<between>\b(?i:between)\s+)?"
    + _figure(1)
    # A hyphen or an en dash joins the two ends of a range.
    + r"(?:(?P<sep>(?(between)\s+(?i:and)\s+|(?:\s?[-\u2013]\s?|\s+(?i:to)\s+)))"
    + _figure(2)
    + ")?"
)

# Where a figure with a scale but no currency is still money: "35 billion in aid",
# "a package of 2 billion", "2 billion worth of".
_MONEY_AFTER = re.compile(
    r"\s+(?:in\s+(?:\w+\s+)?(?:aid|funding|assistance|support|grants|loans)\b|worth\b)", re.I
)
_MONEY_BEFORE = re.compile(r"\b(?:package|tranche|budget|loan|grant|fund)\s+of\s+$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    number: Decimal
    scale: int | None
    currency: str
    unit: str  # how the currency was written: "pounds" needs a scale or "sterling" to count


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    words = re.sub(r"[\s-]+", " ", text.lower())
    if words.startswith("half"):
        return Decimal("0.5")
    words = re.sub(r"^an?\b", "one", words)
    try:
        return Decimal(text2num(words, "en"))
    except ValueError:  # "one two": words text2num does not read as one number
        return None


def _currency(pre: str | None, post: str | None) -> tuple[str, str]:
    for written in (pre, post):
        if written:
            unit = re.sub(r"\s+", " ", written.strip())
            key = unit.lower()
            return _SIGNS.get(unit) or _WORDS.get(key) or unit.upper(), key
    return "", ""


def _figure_of(match: re.Match[str], n: int) -> _Figure | None:
    number = _number(match[f"num{n}"])
    if number is None:
        return None
    scale = match[f"scale{n}"]
    currency, unit = _currency(match[f"pre{n}"], match[f"post{n}"])
    start = match.start(f"pre{n}") if match[f"pre{n}"] else match.start(f"num{n}")
    end = max(match.end(f"num{n}"), match.end(f"scale{n}"), match.end(f"post{n}"))
    return _Figure(
        start=start,
        end=end,
        number=number,
        scale=_SCALES[scale.strip(" -\t\n").lower()] if scale else None,
        currency=currency,
        unit=unit,
    )


def _exact(value: Decimal) -> Decimal:
    # 2.26 x 10^9 is 2260000000.00 in Decimal arithmetic; the ledger wants 2260000000.
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _amount(figure: _Figure, scale: int | None) -> Decimal:
    return _exact(figure.number * (scale or 1))


def _is_money(text: str, start: int, end: int, figure: _Figure, currency: str) -> bool:
    if currency:
        # "500 pounds" may be a weight: pounds count with a scale or as "pounds sterling".
        return figure.unit != "pounds" or figure.scale is not None
    if figure.scale is None:
        return False
    return bool(
        _MONEY_AFTER.match(text, end) or _MONEY_BEFORE.search(text, max(0, start - 30), start)
    )


def _single(text: str, figure: _Figure, qualifier: str, start: int) -> Money | None:
    if not _is_money(text, start, figure.end, figure, figure.currency):
        return None
    return Money(
        start=start,
        end=figure.end,
        amount=_amount(figure, figure.scale),
        currency=figure.currency,
        qualifier=qualifier,
    )


def _range(text: str, match: re.Match[str], low: _Figure, high: _Figure) -> list[Money]:
    qualifier = _QUALIFIERS[_norm(match["qual"])] if match["qual"] else "exact"
    start = match.start()
    currencies = {low.currency, high.currency} - {""}
    # "from $1bn to $2bn" is a change from one amount to another, not a range; so are two
    # currencies, or a bottom that would be above the top.
    is_range = len(currencies) <= 1 and not (
        match["sep"].strip().lower() == "to" and _FROM.search(text, max(0, start - 10), start)
    )
    # "$1bn - two of them" is no range: a bare second number takes nothing from the first.
    if low.scale and not (high.scale or high.currency):
        is_range = False
    scale = low.scale or high.scale
    if is_range and _amount(low, scale) <= _amount(high, high.scale or scale):
        currency = currencies.pop() if currencies else ""
        if not _is_money(text, start, high.end, high, currency):
            return []
        return [
            Money(
                start=start,
                end=high.end,
                amount=_amount(low, scale),
                currency=currency,
                qualifier=qualifier,
                upper=_amount(high, high.scale or scale),
            )
        ]
    first = _single(text, low, qualifier, start if match["qual"] else low.start)
    second = _single(text, high, "exact", high.start)
    return [money for money in (first, second) if money]


def _norm(words: str) -> str:
    return re.sub(r"\s+", " ", words.strip().lower())


def find_money(text: str) -> list[Money]:
    """Every amount of money in ``text``, in order."""
    found: list[Money] = []
    for match in _MONEY.finditer(text):
        low = _figure_of(match, 1)
        if low is None:
            continue
        high = _figure_of(match, 2) if match["num2"] else None
        if high is not None:
            found.extend(_range(text, match, low, high))
            continue
        qualifier = _QUALIFIERS[_norm(match["qual"])] if match["qual"] else "exact"
        # "between" with no second figure is not part of the amount.
        start = match.start() if match["qual"] else low.start
        money = _single(text, low, qualifier, start)
        if money:
            found.append(money)
    return found
