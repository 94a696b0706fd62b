"""find_dates: each pattern in a short sentence of our own, resolved against a publication
date; the dates the seed scenario reads from its articles; what is not a date."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import scenario
from news.extraction.dates import find_dates
from news.extraction.tense import tense_of

THURSDAY = date(2025, 7, 10)  # a Thursday
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TENSES = ["past", "future"]
# Words the date expressions are made of, for texts that put them together at random.
_WORDS = [
    *WEEKDAYS,
    *("January ", "Jan. ", "Sept. ", "May ", "in ", "since ", "the end of ", "last ", "next "),
    *("this ", "week ", "month ", "year ", "ago ", "a ", "two ", "early ", "today ", "2024 "),
]
FRIDAY = date(2025, 1, 17)


def found(text: str, published_on: date | None, tense: str | None = None):
    return [
        (text[d.start : d.end], d.date, d.precision)
        for d in find_dates(text, published_on=published_on, tense=tense)
    ]


# --- The resolutions the seed scenario's labels rely on ----------------------------------


@pytest.mark.parametrize(
    ("text", "published_on", "tense", "expected"),
    [
        ("They met on Thursday.", FRIDAY, None, ("Thursday", date(2025, 1, 16), "day")),
        ("They met on Thursday.", THURSDAY, None, ("Thursday", THURSDAY, "day")),
        ("A pause came last week.", THURSDAY, None, ("last week", date(2025, 6, 30), "week")),
        ("On Monday, he spoke.", THURSDAY, None, ("Monday", date(2025, 7, 7), "day")),
        ("She said so on Jan. 3.", date(2024, 1, 3), None, ("Jan. 3", date(2024, 1, 3), "day")),
        (
            "On Dec. 29, they struck.",
            date(2024, 1, 3),
            None,
            ("Dec. 29", date(2023, 12, 29), "day"),
        ),
        ("It was set up in July.", date(2024, 1, 3), "past", ("July", date(2023, 7, 1), "month")),
        (
            "She leaves her post on January 20",
            date(2024, 11, 13),
            "future",
            ("January 20", date(2025, 1, 20), "day"),
        ),
        (
            "They came in February 2022.",
            date(2024, 11, 13),
            None,
            ("February 2022", date(2022, 2, 1), "month"),
        ),
    ],
)
def test_contract(text: str, published_on: date, tense: str | None, expected: tuple):
    assert found(text, published_on, tense) == [expected]


def _facts() -> list:
    """Each scenario date that its own citation states, with the date to resolve it from."""
    # The roundup covers days 1,055-1,059, Monday to Friday: seen from its Friday.
    rome, roundup_friday = scenario.ROME_THURSDAY, scenario.ROUNDUP_THURSDAY + timedelta(days=1)
    pause, dollar = scenario.US_WEAPONS_PAUSE, scenario.BIDEN_EVERY_DOLLAR
    total, meeting = scenario.US_AID_SINCE_INVASION, scenario.NUC_EMERGENCY_MEETING
    partnership, pledge = scenario.UK_PARTNERSHIP, scenario.ROME_PLEDGE
    return [
        pytest.param(
            pledge.citation, rome, pledge.announced_on, pledge.announced_on_precision, id="pledge"
        ),
        pytest.param(pause.citation, rome, pause.paused_on, pause.paused_on_precision, id="pause"),
        pytest.param(pause.resumption_citation, rome, pause.resumed_on, "day", id="resumption"),
        pytest.param(
            partnership.citation,
            roundup_friday,
            partnership.occurred_on,
            partnership.occurred_on_precision,
            id="partnership",
        ),
        pytest.param(
            meeting.citation,
            scenario.KULEBA.published_on,
            meeting.occurred_on,
            meeting.occurred_on_precision,
            id="meeting",
        ),
        pytest.param(
            total.citation, None, total.period_start, total.period_start_precision, id="total"
        ),
        pytest.param(
            dollar.citation,
            scenario.BLINKEN_IN_BRUSSELS,
            dollar.announced_on,
            dollar.announced_on_precision,
            id="every-dollar-announced",
        ),
        pytest.param(
            dollar.citation, scenario.BLINKEN_IN_BRUSSELS, dollar.period_end, "day", id="by-jan-20"
        ),
    ]


@pytest.mark.parametrize(("citation", "published_on", "day", "precision"), _facts())
def test_scenario_dates_from_their_citations(
    citation: scenario.Citation, published_on: date | None, day: date, precision: str
):
    dates = set()
    # Each quoted passage is one stretch of the article; " … " joins two of them.
    for passage in citation.excerpt.split(" … "):
        dates |= {(d.date, d.precision) for d in find_dates(passage, published_on=published_on)}
    assert (day, precision) in dates


def test_the_roundups_monday_to_come_is_the_inauguration():
    # "that doesn't change on Monday": said on the roundup's Thursday of the inauguration
    # (see ledger.scenario.ROUNDUP), a present tense that speaks of the Monday ahead.
    passage = scenario.MANDATES[1].citation.excerpt.split(" … ")[1]
    thursday = scenario.ROUNDUP_THURSDAY
    mondays = [d.date for d in find_dates(passage, published_on=thursday) if d.precision == "day"]
    assert mondays == [date(2025, 1, 20)]


# --- Weekdays ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "day"),
    [
        ("They struck on Monday.", "Monday", date(2025, 7, 7)),
        ("They struck Wednesday night.", "Wednesday", date(2025, 7, 9)),
        ("They struck on Thursday.", "Thursday", THURSDAY),
        ("They struck on Friday.", "Friday", date(2025, 7, 4)),
        ("They struck last Friday.", "last Friday", date(2025, 7, 4)),
        ("They struck last Thursday.", "last Thursday", date(2025, 7, 3)),
        ("They struck this Monday.", "this Monday", date(2025, 7, 7)),
        ("They will meet on Monday.", "Monday", date(2025, 7, 14)),
        ("They will meet on Thursday.", "Thursday", THURSDAY),
        ("They will meet next Tuesday.", "next Tuesday", date(2025, 7, 15)),
        ("They will meet next Thursday.", "next Thursday", date(2025, 7, 17)),
        ("They met next Tuesday.", "next Tuesday", date(2025, 7, 15)),
    ],
)
def test_weekdays(text: str, written: str, day: date):
    assert found(text, THURSDAY) == [(written, day, "day")]


# --- Days, weeks, months and years near the publication date -------------------------------


@pytest.mark.parametrize(
    ("text", "written", "day", "precision"),
    [
        ("It happened today.", "today", THURSDAY, "day"),
        ("It happened yesterday.", "yesterday", date(2025, 7, 9), "day"),
        ("It happens tomorrow.", "tomorrow", date(2025, 7, 11), "day"),
        ("It happens tonight.", "tonight", THURSDAY, "day"),
        ("It happened last night.", "last night", date(2025, 7, 9), "day"),
        ("It happened this morning.", "this morning", THURSDAY, "day"),
        ("It happened this week.", "this week", date(2025, 7, 7), "week"),
        ("It happened earlier this week.", "earlier this week", date(2025, 7, 7), "week"),
        ("It happened last week.", "last week", date(2025, 6, 30), "week"),
        ("It happens next week.", "next week", date(2025, 7, 14), "week"),
        ("It happened last month.", "last month", date(2025, 6, 1), "month"),
        ("It happens next month.", "next month", date(2025, 8, 1), "month"),
        ("It happened earlier this month.", "earlier this month", date(2025, 7, 1), "month"),
        ("It happened this year.", "this year", date(2025, 1, 1), "year"),
        ("It happened last year.", "last year", date(2024, 1, 1), "year"),
        ("It happens next year.", "next year", date(2026, 1, 1), "year"),
        ("It happens early next year.", "early next year", date(2026, 1, 1), "year"),
        ("It happens later this year.", "later this year", date(2025, 1, 1), "year"),
        ("It happened three days ago.", "three days ago", date(2025, 7, 7), "day"),
        ("It happened 2 weeks ago.", "2 weeks ago", date(2025, 6, 23), "week"),
        ("It happened a month ago.", "a month ago", date(2025, 6, 1), "month"),
        ("It happened a year ago.", "a year ago", date(2024, 1, 1), "year"),
    ],
)
def test_relative_periods_start_on_their_first_day(
    text: str, written: str, day: date, precision: str
):
    assert found(text, THURSDAY) == [(written, day, precision)]


@pytest.mark.parametrize(
    ("text", "published_on", "written", "day", "precision"),
    [
        ("They met on November 13.", date(2024, 11, 20), "November 13", date(2024, 11, 13), "day"),
        ("They met on Nov. 13.", date(2024, 11, 20), "Nov. 13", date(2024, 11, 13), "day"),
        ("They met on 3 January.", date(2024, 2, 1), "3 January", date(2024, 1, 3), "day"),
        ("They met on Dec. 29.", date(2024, 1, 3), "Dec. 29", date(2023, 12, 29), "day"),
        ("They will meet on Jan. 3.", date(2024, 1, 3), "Jan. 3", date(2024, 1, 3), "day"),
        ("They will meet on Jan. 2.", date(2024, 1, 3), "Jan. 2", date(2025, 1, 2), "day"),
        ("They will meet on Feb. 29.", date(2024, 2, 29), "Feb. 29", date(2024, 2, 29), "day"),
        ("They will meet on Feb. 29.", date(2025, 3, 1), "Feb. 29", date(2028, 2, 29), "day"),
        ("They met on Feb. 29.", date(2025, 3, 1), "Feb. 29", date(2024, 2, 29), "day"),
        ("They will meet on March 1st.", date(2024, 1, 3), "March 1st", date(2024, 3, 1), "day"),
        ("They met on January 3, 2024.", None, "January 3, 2024", date(2024, 1, 3), "day"),
        ("They met on 3 January 2024.", None, "3 January 2024", date(2024, 1, 3), "day"),
        ("They met on Jan. 2, 2024, in Kyiv.", None, "Jan. 2, 2024", date(2024, 1, 2), "day"),
        ("It began in July 2025.", None, "July 2025", date(2025, 7, 1), "month"),
        ("It began in Sept. 2023.", None, "Sept. 2023", date(2023, 9, 1), "month"),
        ("It began in February 2022.", None, "February 2022", date(2022, 2, 1), "month"),
        ("It began in July.", date(2024, 1, 3), "July", date(2023, 7, 1), "month"),
        ("It will begin in July.", date(2024, 1, 3), "July", date(2024, 7, 1), "month"),
        ("It will begin in July.", THURSDAY, "July", date(2025, 7, 1), "month"),
        ("It began in early August.", THURSDAY, "early August", date(2024, 8, 1), "month"),
        ("It began in 2022.", None, "2022", date(2022, 1, 1), "year"),
        ("It will end in 2025.", None, "2025", date(2025, 1, 1), "year"),
        ("It will end by early 2026.", None, "early 2026", date(2026, 1, 1), "year"),
        ("Since 2014 it has grown.", None, "2014", date(2014, 1, 1), "year"),
        ("It ends by the end of 2025.", None, "the end of 2025", date(2025, 1, 1), "year"),
        (
            "It comes in the first half of 2026.",
            None,
            "the first half of 2026",
            date(2026, 1, 1),
            "year",
        ),
        ("It came by mid-2023.", None, "mid-2023", date(2023, 1, 1), "year"),
        ("It came in late June.", THURSDAY, "late June", date(2025, 6, 1), "month"),
        ("It expires at the end of 2026.", None, "the end of 2026", date(2026, 1, 1), "year"),
        ("A vote is scheduled for October.", THURSDAY, "October", date(2025, 10, 1), "month"),
        ("It was scheduled for October.", THURSDAY, "October", date(2024, 10, 1), "month"),
        ("Filed 2024-01-03 in Kyiv.", None, "2024-01-03", date(2024, 1, 3), "day"),
        ("On Monday, Jan. 8, they met.", THURSDAY, "Monday, Jan. 8", date(2025, 1, 8), "day"),
        (
            "On Friday 3 January 2025 they met.",
            None,
            "Friday 3 January 2025",
            date(2025, 1, 3),
            "day",
        ),
    ],
)
def test_calendar_dates(
    text: str, published_on: date | None, written: str, day: date, precision: str
):
    assert found(text, published_on) == [(written, day, precision)]


def test_several_dates_in_order():
    text = "It was agreed on Dec. 29 and signed on Monday, a week after talks in 2023."
    assert found(text, date(2024, 1, 3)) == [
        ("Dec. 29", date(2023, 12, 29), "day"),
        ("Monday", date(2024, 1, 1), "day"),
        ("2023", date(2023, 1, 1), "year"),
    ]


# --- What is not a date, or not one the text gives ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It will come in the coming weeks.",
        "They signed a 50-year lease.",
        "It was one of 2,022 cases.",
        "Daily digest. Days 1,010-1,014",
        "It was published at 7:05 PM.",
        "Prices rose 12% in a week.",
        "They may go to the March on Washington.",
        "He may come to the talks.",
        "It happened on February 30, 2024.",
        "In recent weeks the attacks grew.",
        "They met on Mondays.",
        "They sent it for 2000 troops.",
        "Shops opened on Good Friday.",
        "The Sunday Times ran the story.",
    ],
)
def test_not_dates(text: str):
    assert found(text, THURSDAY) == []


@pytest.mark.parametrize(
    "text",
    [
        "They met on Thursday.",
        "It came last week.",
        "It happens early next year.",
        "She spoke on Jan. 3.",
        "It was set up in July.",
        "It happened today.",
    ],
)
def test_without_publication_date_relative_dates_are_not_guessed(text: str):
    assert found(text, None) == []


# --- Tense ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date_words", "tense"),
    [
        ("They met on Monday.", "Monday", "past"),
        ("They will meet on Monday.", "Monday", "future"),
        ("We'll meet on Monday.", "Monday", "future"),
        ("They are going to meet on Monday.", "Monday", "future"),
        ("He plans to visit on Monday.", "Monday", "future"),
        ("The vote is set to take place on Monday.", "Monday", "future"),
        ("The front is still there on Monday.", "Monday", "future"),
        ("The plan doesn\u2019t end on Monday, she said.", "Monday", "future"),
        ("On Monday, the minister announced that talks would restart.", "Monday", "past"),
        ("The chief, who leaves on May 2, would stay on.", "May 2", "future"),
        ("All funds will be handed over between now and May 2.", "May 2", "future"),
        ("It was agreed on Monday.", "Monday", "past"),
        ("The vote is planned for Monday.", "Monday", "future"),
        ("Starting Monday, new rules apply.", "Monday", "future"),
        ("Monday.", "Monday", "past"),
    ],
)
def test_tense_is_read_from_the_nearest_verb(text: str, date_words: str, tense: str):
    start = text.index(date_words)
    assert tense_of(text, start, start + len(date_words)) == tense


# --- Properties ----------------------------------------------------------------------------

_DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@settings(max_examples=150, deadline=None)
@given(published_on=_DAYS, weekday=st.sampled_from(WEEKDAYS), tense=st.sampled_from(TENSES))
def test_a_weekday_is_the_nearest_one_in_the_tense(published_on: date, weekday: str, tense: str):
    (day,) = find_dates(f"They meet on {weekday}.", published_on=published_on, tense=tense)
    assert day.date.strftime("%A") == weekday
    days = (day.date - published_on).days
    assert (0 <= days <= 6) if tense == "future" else (-6 <= days <= 0)


@settings(max_examples=50, deadline=None)
@given(published_on=_DAYS, phrase=st.sampled_from(["last week", "this week", "next week"]))
def test_a_week_starts_on_its_monday(published_on: date, phrase: str):
    (day,) = find_dates(f"It happened {phrase}.", published_on=published_on)
    assert day.date.weekday() == 0
    offset = {"last week": -1, "this week": 0, "next week": 1}[phrase]
    monday = published_on - timedelta(days=published_on.weekday())
    assert day.date == monday + timedelta(weeks=offset)


@settings(max_examples=150, deadline=None)
@given(
    text=st.lists(st.sampled_from([*"0123456789.,-: ", *_WORDS]), max_size=25).map("".join),
    published_on=st.none() | _DAYS,
)
def test_any_text_gives_dates_inside_it_or_nothing(text: str, published_on: date | None):
    for found_date in find_dates(text, published_on=published_on):
        assert 0 <= found_date.start < found_date.end <= len(text)
        assert found_date.precision in {"day", "week", "month", "year"}


@settings(max_examples=60, deadline=None)
@given(published_on=_DAYS, named=_DAYS, tense=st.sampled_from(TENSES))
def test_a_day_without_year_is_the_nearest_one_in_the_tense(
    published_on: date, named: date, tense: str
):
    text = f"They meet on {named:%B} {named.day}."
    (day,) = find_dates(text, published_on=published_on, tense=tense)
    assert (day.date.month, day.date.day) == (named.month, named.day)
    # The nearest such day: within a year (four for 29 February) on the tense's side.
    years = 4 if (named.month, named.day) == (2, 29) else 1
    days = (day.date - published_on).days
    assert (0 <= days <= 366 * years) if tense == "future" else (-366 * years <= days <= 0)
