"""Dates as news writes them ("on Thursday", "last week", "on Jan. 3", "early next year"),
resolved against the article's publication date with their precision.

One compiled expression finds the date expressions; dateparser resolves the calendar ones
("Dec. 29", "in July", "last month") against the publication date, and each is then moved
to the first day of the period it names. Weekdays are counted here instead: dateparser
reads "Thursday" in an article of a Thursday as a week earlier (or later), where news means
that very day, and "this Monday" as the next one whatever the tense.

Vague times ("in the coming weeks", "recently", "in recent months") are not dates and give
nothing. Words that narrow a period ("early", "later", "the end of") leave it whole: "early
next year" is 1 January of next year with precision year.

A span covers the date words and the words that move them ("last", "next", "early"), not
the preposition before them: "on Thursday" gives "Thursday". A caller that needs the
preposition ("since February 2022") reads the text just before ``start``.
"""

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser  # type: ignore[import-untyped]

from news.extraction.tense import tense_of


@dataclass(frozen=True)
class FoundDate:
    start: int  # offsets in the text searched
    end: int
    date: dt.date  # the first day of the period named
    precision: str  # a ledger DatePrecision value: day, week, month, year


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_MONTH = rf"(?:{_FULL_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|:)\b"
_YEAR = r"(?:1[89]|20)\d\d(?![\d,.]\d)\b"
# Prepositions before a bare month or year: "in July", "since 2022", "by early 2025".
_BEFORE = (
    r"(?:\b(?i:in|since|by|during|until|till|through|throughout|from|before|after)\s+"
    # "at the end of 2026": the words that narrow the period stand for a preposition.
    r"|\b(?=(?i:the\s+\w+(?:\s+half)?\s+of\s)))"
)
# Before a month, "for" too ("scheduled for October"); before a number it is a count.
_BEFORE_MONTH = rf"(?:{_BEFORE}|\b(?i:for)\s+)"
# Words that narrow a month or year without giving its day: the date keeps the precision
# of the month or year ("early next year": 1 January, precision year).
_EARLY = (
    r"(?:(?i:(?:early|late)\b|mid-?|the\s+(?:end|start|beginning|middle|(?:first|second)\s+half"
    r"|(?:spring|summer|autumn|fall|winter))\s+of)\s*)"
)

# Names that hold a weekday but name no day of this week: "Good Friday", "Sunday Times".
_NOT_A_DAY = (
    r"(?<!Good\sFriday)(?<!Black\sFriday)(?<!Super\sTuesday)(?<!Bloody\sSunday)"
    r"(?<!Easter\sSunday)(?<!Easter\sMonday)(?<!Cyber\sMonday)"
    r"(?!\s+(?:Times|Telegraph|Express|Mirror|Post|Herald|Observer)\b)"
)
_COUNTS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# Every expression starts a word with a capital, a digit or one of these words: checking
# that first lets the search pass over other words quickly (it is 6 times faster).
_STARTS = (
    r"(?<!\w)(?=[A-Z0-9]|(?i:in|since|by|during|until|till|through|throughout|from|before"
    r"|after|for|the|this|last|next|early|earlier|late|later|today|yesterday|tomorrow|tonight"
    rf"|an?|{_COUNTS})\b)"
)
_DATES = re.compile(
    _STARTS
    + "(?:"
    + "|".join(
        (
            # "2024-01-03", as datelines and bylines write it
            r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d-])",
            # "November 13", "Jan. 3, 2024", "Dec. 29"
            rf"(?<![\w.])(?P<md>{_MONTH}\s+{_DAY}(?:,?\s+(?P<md_year>{_YEAR}))?)",
            # "3 January", "3 January 2024"
            rf"(?<![\w.,])(?P<dm>{_DAY}\s+{_MONTH}(?:,?\s+(?P<dm_year>{_YEAR}))?)",
            # "February 2022", "July 2025"
            rf"(?<![\w.])(?P<my>{_MONTH},?\s+{_YEAR})",
            # "in July", "since early August": a month alone needs its preposition.
            rf"{_BEFORE_MONTH}(?P<m>{_EARLY}?{_FULL_MONTH})\b(?!,?\s+(?:{_YEAR}|{_DAY}))",
            # "in 2022", "by early 2025"
            rf"{_BEFORE}(?P<y>{_EARLY}?(?P<y_year>{_YEAR}))",
            # "last week", "early next year", "earlier this month", "today"
            r"\b(?P<rel>(?i:(?:(?:earl(?:y|ier)|later?)\s+)?(?:this|last|next)\s+"
            r"(?P<unit>week|month|year)|today|yesterday|tomorrow|tonight|last\s+night"
            r"|this\s+(?:morning|afternoon|evening)))\b",
            # "two weeks ago", "a year ago"
            rf"(?P<ago>(?:\d+|(?i:an?|{_COUNTS}))\s+(?P<ago_unit>(?i:day|week|month|year))s?"
            r"\s+(?i:ago)\b)",
            # "Thursday", "last Friday", "next Tuesday"
            r"(?P<wd>(?:\b(?P<wd_mod>(?i:last|next|this))\s+)?"
            rf"\b(?P<wd_day>{'|'.join(_WEEKDAYS)})\b{_NOT_A_DAY})",
        )
    )
    + ")"
)

_WEEKDAY_THEN_DATE = re.compile(rf"(?:{'|'.join(_WEEKDAYS)}),?\s+")
# Words dateparser does not read; each stands for the phrase it parses instead.
_SAME_DAY = re.compile(r"(?i)tonight|this\s+(?:morning|afternoon|evening)")
_MOVERS = re.compile(rf"^(?:{_EARLY}|(?i:earlier|later)\s+)")


def _settings(published_on: dt.date | None, tense: str) -> dict[str, object]:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": tense,
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": ["relative-time", "absolute-time"],
    }
    if published_on is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published_on, dt.time())
    return settings


@lru_cache(maxsize=4096)
def _parse(phrase: str, published_on: dt.date | None, tense: str) -> dt.date | None:
    # Cached: an article names the same few days again and again, and each parse costs
    # dateparser about half a millisecond.
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings=_settings(published_on, tense),
    )
    return parsed.date() if parsed else None


def _start_of(day: dt.date, precision: str) -> dt.date:
    if precision == "week":
        return day - dt.timedelta(days=day.weekday())
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day


def _weekday(match: re.Match[str], published_on: dt.date, tense: str) -> dt.date:
    named = _WEEKDAYS.index(match["wd_day"])
    modifier = (match["wd_mod"] or "").lower()
    back = (published_on.weekday() - named) % 7  # days since the last such weekday
    ahead = (named - published_on.weekday()) % 7
    if modifier == "last":
        return published_on - dt.timedelta(days=back or 7)
    if modifier == "next":
        return published_on + dt.timedelta(days=ahead or 7)
    # "on Thursday" in an article of a Thursday is that day, in either tense.
    if tense == "future":
        return published_on + dt.timedelta(days=ahead)
    return published_on - dt.timedelta(days=back)


def _calendar(
    phrase: str, published_on: dt.date | None, tense: str, precision: str
) -> dt.date | None:
    # dateparser's "future" starts the day after its base: "Jan. 3" seen from 3 January,
    # or "in July" seen from 10 July, is that day or month in the future tense too, not
    # the same one a year (or, for 29 February, four years) later.
    if published_on is not None and tense == "future":
        now = _parse(phrase, published_on, "past")
        if now is not None and _start_of(now, precision) == _start_of(published_on, precision):
            return now
    return _parse(phrase, published_on, tense)


def _resolve(
    text: str, match: re.Match[str], published_on: dt.date | None, tense: str | None
) -> tuple[int, int, dt.date, str] | None:
    # Each alternative's outer group closes last, so it names the alternative matched.
    kind = match.lastgroup or ""
    start, end = match.span(kind)
    has_year = bool(match["md_year"] or match["dm_year"] or kind in {"my", "y", "iso"})
    if published_on is None and not has_year:
        return None  # a date the text does not give is not guessed
    # Only a date with neither year nor direction ("Monday", "Dec. 29", "in July") needs
    # the tense; reading it is the slowest step, so it is read only then.
    directed = kind in {"rel", "ago"} or (match["wd_mod"] or "").lower() in {"last", "next"}
    if tense is None:
        tense = "past" if has_year or directed else tense_of(text, start, end)
    if kind == "wd":
        assert published_on is not None
        return start, end, _weekday(match, published_on, tense), "day"
    if kind == "y":
        return start, end, dt.date(int(match["y_year"]), 1, 1), "year"
    phrase = _MOVERS.sub("", match[kind])
    if kind == "rel":
        phrase = _SAME_DAY.sub("today", phrase)
        phrase = re.sub(r"(?i)last\s+night", "yesterday", phrase)
        precision = (match["unit"] or "day").lower()
    elif kind == "ago":
        precision = match["ago_unit"].lower()
    else:
        precision = "day" if kind in {"md", "dm", "iso"} else "month"
    # A date with its year needs no base: one cache entry serves every article.
    day = _calendar(phrase, None if has_year else published_on, tense, precision)
    if day is None:  # "February 30"
        return None
    return start, end, _start_of(day, precision), precision


def find_dates(
    text: str, *, published_on: dt.date | None, tense: str | None = None
) -> list[FoundDate]:
    """Every date in ``text``; relative ones only when ``published_on`` is known.

    ``tense`` ("past" or "future") says which way a date without a year or direction
    ("on Monday", "in July") points from the publication date; None reads it from the
    words nearest the date in ``text`` (``news.extraction.tense``).
    """
    found: list[FoundDate] = []
    weekday: re.Match[str] | None = None  # the weekday just before, resolved or not
    for match in _DATES.finditer(text):
        resolved = _resolve(text, match, published_on, tense)
        # "on Monday, Jan. 6": one date, the one the calendar gives.
        if (
            weekday is not None
            and resolved is not None
            and resolved[3] == "day"
            and _WEEKDAY_THEN_DATE.fullmatch(text, weekday.start("wd_day"), resolved[0])
        ):
            if found and found[-1].start == weekday.start("wd"):
                found.pop()
            resolved = (weekday.start("wd"), *resolved[1:])
        weekday = match if match.lastgroup == "wd" else None
        if resolved is not None:
            found.append(FoundDate(*resolved))
    return found
