"""find_money: each pattern in a short sentence of our own, the things that are not money,
and the seed articles, whose amounts must be exactly those the scenario records."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import scenario
from news.extraction.money import Money, find_money

B = Decimal(10**9)
M = Decimal(10**6)


def only(text: str) -> Money:
    found = find_money(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "written", "amount", "currency"),
    [
        ("The donors pledged $12 billion on Friday.", "$12 billion", 12 * B, "USD"),
        ("Berlin will send €1.5bn more.", "€1.5bn", Decimal("1500000000"), "EUR"),
        ("London set aside £2.26bn for it.", "£2.26bn", Decimal("2260000000"), "GBP"),
        ("Oslo added NOK 35 billion to the fund.", "NOK 35 billion", 35 * B, "NOK"),
        ("Oslo added 35 billion NOK to the fund.", "35 billion NOK", 35 * B, "NOK"),
        ("It costs 450 million dollars a year.", "450 million dollars", 450 * M, "USD"),
        ("The total reached $40bn.", "$40bn", 40 * B, "USD"),
        ("A grant of US$5m was signed.", "US$5m", 5 * M, "USD"),
        ("A grant of USD 5 mln was signed.", "USD 5 mln", 5 * M, "USD"),
        ("Ottawa gave C$3.5 million.", "C$3.5 million", Decimal("3500000"), "CAD"),
        ("Ottawa gave CA$20m.", "CA$20m", 20 * M, "CAD"),
        ("Canberra gave A$7 bn.", "A$7 bn", 7 * B, "AUD"),
        ("It came to 60 million Canadian dollars.", "60 million Canadian dollars", 60 * M, "CAD"),
        ("It came to 8 million Australian dollars.", "8 million Australian dollars", 8 * M, "AUD"),
        ("Tokyo lent ¥300 billion.", "¥300 billion", 300 * B, "JPY"),
        ("Tokyo lent 300 billion yen.", "300 billion yen", 300 * B, "JPY"),
        ("Kyiv raised ₴40bn in bonds.", "₴40bn", 40 * B, "UAH"),
        ("Kyiv raised 40 billion hryvnias.", "40 billion hryvnias", 40 * B, "UAH"),
        ("Kyiv raised UAH 1,200 million.", "UAH 1,200 million", 1200 * M, "UAH"),
        ("It was 12 billion Norwegian kroner.", "12 billion Norwegian kroner", 12 * B, "NOK"),
        ("Stockholm gave SEK 1.2bn.", "SEK 1.2bn", Decimal("1200000000"), "SEK"),
        ("Copenhagen gave DKK 9 billion.", "DKK 9 billion", 9 * B, "DKK"),
        ("Warsaw spent 4 billion zlotys.", "4 billion zlotys", 4 * B, "PLN"),
        ("Warsaw spent PLN 4bn.", "PLN 4bn", 4 * B, "PLN"),
        ("Bern gave 5 million Swiss francs.", "5 million Swiss francs", 5 * M, "CHF"),
        ("Bern gave CHF 5m.", "CHF 5m", 5 * M, "CHF"),
        ("A fund of 90 million euros opened.", "90 million euros", 90 * M, "EUR"),
        ("A fund of EUR 90 million opened.", "EUR 90 million", 90 * M, "EUR"),
        ("They sent 3 million pounds sterling.", "3 million pounds sterling", 3 * M, "GBP"),
        ("They sent 3 million pounds.", "3 million pounds", 3 * M, "GBP"),
        ("It was $12,000,000 in all.", "$12,000,000", 12 * M, "USD"),
        ("It was $1,200 in all.", "$1,200", Decimal(1200), "USD"),
        ("It paid $2.26 for each.", "$2.26", Decimal("2.26"), "USD"),
        ("A loan of $500k followed.", "$500k", Decimal(500000), "USD"),
        ("A loan of $3 thousand followed.", "$3 thousand", Decimal(3000), "USD"),
        ("The bill was $1.2 trillion.", "$1.2 trillion", Decimal("1200000000000"), "USD"),
        ("The bill was $1.2tn.", "$1.2tn", Decimal("1200000000000"), "USD"),
        ("The bill was $2mn.", "$2mn", 2 * M, "USD"),
        ("The bill was $2M.", "$2M", 2 * M, "USD"),
        ("The bill was $4b.", "$4b", 4 * B, "USD"),
        ("They offered twelve billion dollars.", "twelve billion dollars", 12 * B, "USD"),
        ("They offered one hundred million euros.", "one hundred million euros", 100 * M, "EUR"),
        ("They offered a billion dollars.", "a billion dollars", B, "USD"),
        ("They offered Forty-five million dollars.", "Forty-five million dollars", 45 * M, "USD"),
        ("They offered $ 3 billion.", "$ 3 billion", 3 * B, "USD"),
        ("They offered half a billion dollars.", "half a billion dollars", 500 * M, "USD"),
        ("They offered a hundred million euros.", "a hundred million euros", 100 * M, "EUR"),
        (
            "They offered one hundred and fifty million dollars.",
            "one hundred and fifty million dollars",
            150 * M,
            "USD",
        ),
        ("It was a $12-billion pledge.", "$12-billion", 12 * B, "USD"),
        ("It was a $5 bln loan.", "$5 bln", 5 * B, "USD"),
        ("Beijing lent 50 billion yuan.", "50 billion yuan", 50 * B, "CNY"),
        ("Moscow froze RUB 300bn.", "RUB 300bn", 300 * B, "RUB"),
        ("Wellington gave NZ$5m.", "NZ$5m", 5 * M, "NZD"),
        ("It came to EUR1.5bn.", "EUR1.5bn", Decimal("1500000000"), "EUR"),
    ],
)
def test_amount_and_currency(text: str, written: str, amount: Decimal, currency: str):
    money = only(text)
    assert text[money.start : money.end] == written
    assert (money.amount, money.currency, money.qualifier, money.upper) == (
        amount,
        currency,
        "exact",
        None,
    )
    # Amounts are exact integers where the text gives no cents: no 2260000000.00.
    assert str(money.amount) == str(amount)


@pytest.mark.parametrize(
    ("text", "written", "qualifier"),
    [
        ("They have sent over $40bn since then.", "over $40bn", "at_least"),
        ("They have sent more than $40bn.", "more than $40bn", "at_least"),
        ("They have sent at least $40bn.", "at least $40bn", "at_least"),
        ("They have sent in excess of $40bn.", "in excess of $40bn", "at_least"),
        ("They may send up to $40bn.", "up to $40bn", "at_most"),
        ("They may send as much as $40bn.", "as much as $40bn", "at_most"),
        ("They sent less than $40bn.", "less than $40bn", "at_most"),
        ("They sent under $40bn.", "under $40bn", "at_most"),
        ("They sent nearly $40bn.", "nearly $40bn", "at_most"),
        ("They sent almost $40bn.", "almost $40bn", "at_most"),
        ("They sent about $40bn.", "about $40bn", "about"),
        ("They sent around $40bn.", "around $40bn", "about"),
        ("They sent some $40bn.", "some $40bn", "about"),
        ("They sent roughly $40bn.", "roughly $40bn", "about"),
        ("They sent approximately $40bn.", "approximately $40bn", "about"),
        ("They sent an estimated $40bn.", "an estimated $40bn", "about"),
        ("They sent close to $40bn.", "close to $40bn", "about"),
        ("They sent upwards of $40bn.", "upwards of $40bn", "at_least"),
        ("They sent just over $40bn.", "just over $40bn", "at_least"),
        ("They sent just under $40bn.", "just under $40bn", "at_most"),
        ("Over $40bn has gone.", "Over $40bn", "at_least"),
        ("They sent $40bn.", "$40bn", "exact"),
    ],
)
def test_qualifier_is_kept_with_the_span(text: str, written: str, qualifier: str):
    money = only(text)
    assert (text[money.start : money.end], money.qualifier, money.amount) == (
        written,
        qualifier,
        40 * B,
    )


@pytest.mark.parametrize(
    ("text", "written", "low", "high", "qualifier"),
    [
        ("It will cost $1-2 billion.", "$1-2 billion", B, 2 * B, "exact"),
        ("It will cost $1bn\u2013$2bn.", "$1bn\u2013$2bn", B, 2 * B, "exact"),
        ("It will cost $1bn - $2bn.", "$1bn - $2bn", B, 2 * B, "exact"),
        (
            "It will cost between $1 billion and $2 billion.",
            "between $1 billion and $2 billion",
            B,
            2 * B,
            "exact",
        ),
        (
            "It will cost €1.5 to €2 billion.",
            "€1.5 to €2 billion",
            Decimal("1500000000"),
            2 * B,
            "exact",
        ),
        ("It will cost 1 to 2 billion dollars.", "1 to 2 billion dollars", B, 2 * B, "exact"),
        ("It will cost $500 million-1 billion.", "$500 million-1 billion", 500 * M, B, "exact"),
        ("It will cost $5 to 10 dollars.", "$5 to 10 dollars", Decimal(5), Decimal(10), "exact"),
        ("It will cost about $1-2 billion.", "about $1-2 billion", B, 2 * B, "about"),
    ],
)
def test_range_keeps_both_ends(
    text: str, written: str, low: Decimal, high: Decimal, qualifier: str
):
    money = only(text)
    assert (text[money.start : money.end], money.amount, money.upper, money.qualifier) == (
        written,
        low,
        high,
        qualifier,
    )


def test_from_one_amount_to_another_is_two_amounts_not_a_range():
    text = "The fund grew from $1bn to $2bn."
    assert [(m.amount, m.upper, text[m.start : m.end]) for m in find_money(text)] == [
        (B, None, "$1bn"),
        (2 * B, None, "$2bn"),
    ]


def test_a_bare_number_after_a_dash_is_no_range():
    text = "Oslo sent $1bn - two of its allies sent more."
    assert [(m.amount, m.upper, text[m.start : m.end]) for m in find_money(text)] == [
        (B, None, "$1bn")
    ]


def test_two_amounts_in_one_sentence_are_both_found_in_order():
    text = "Paris gave €2bn and Rome gave €1bn, while London added £500m."
    assert [(m.amount, m.currency) for m in find_money(text)] == [
        (2 * B, "EUR"),
        (B, "EUR"),
        (500 * M, "GBP"),
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("They approved 35 billion in aid.", "35 billion"),
        ("They approved 35 billion in military aid.", "35 billion"),
        ("They approved 35 billion in funding.", "35 billion"),
        ("They approved 35 billion in assistance.", "35 billion"),
        ("They sent 2 billion worth of shells.", "2 billion"),
        ("They approved a package of 6 billion.", "6 billion"),
    ],
)
def test_scaled_number_in_a_money_context_has_no_currency(text: str, written: str):
    money = only(text)
    assert (text[money.start : money.end], money.currency) == (written, "")


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2022.",
        "They expect more in 2025 than in 2024.",
        "They signed a 50-year lease.",
        "About 400 drones flew overnight.",
        "More than 10,000 troops took part.",
        "It was day 1,055 of the war.",
        "Daily digest. Days 1,010-1,014",
        "Prices rose 12% and then 3.5 percent.",
        "It was published at 7:05 PM.",
        "Allies promised billions of dollars for air defence.",
        "Each dollar left will be spent.",
        "About 35 billion people live there.",
        "They carried 500 pounds of flour.",
        "Page 3 of 2,417.",
        "Between 2022 and 2024 the front moved little.",
        "The 28th brigade held the line.",
        "They flew F-16 jets.",
        "They pledged tens of billions of euros.",
        "Hundreds of millions of dollars were lost.",
        "He paid in NZ dollars.",
    ],
)
def test_not_money(text: str):
    assert find_money(text) == []


def test_the_seed_articles_give_exactly_the_scenario_amounts(shared_dir: Path):
    expected: dict[str, set[tuple[Decimal, str, str]]] = {}
    for commitment in scenario.COMMITMENTS:
        for entry in commitment.entries:
            key = commitment.citation.article.fixture
            expected.setdefault(key, set()).add((entry.amount, entry.currency, "exact"))
    for total in scenario.REPORTED_TOTALS:
        key = total.citation.article.fixture
        expected.setdefault(key, set()).add((total.amount, total.currency, total.qualifier))
    news = shared_dir / "fixtures" / "news"
    paths = sorted(news.glob("*.txt"))
    assert len(paths) == 5
    found = {
        path.name: {
            (m.amount, m.currency, m.qualifier) for m in find_money(path.read_text("utf-8"))
        }
        for path in paths
    }
    assert found == {path.name: expected.get(path.name, set()) for path in paths}
    assert sum(len(amounts) for amounts in found.values()) == 2


# --- Properties ----------------------------------------------------------------------------

_WRITTEN_SCALES = {"bn": B, " billion": B, "m": M, " million": M, "": Decimal(1)}


@settings(max_examples=150, deadline=None)
@given(
    units=st.integers(min_value=1, max_value=999_999),
    cents=st.integers(min_value=0, max_value=99),
    scale=st.sampled_from(sorted(_WRITTEN_SCALES)),
    sign=st.sampled_from(["$", "€", "£", "US$", "NOK ", "CHF "]),
)
def test_any_written_amount_reads_back_exactly(units: int, cents: int, scale: str, sign: str):
    number = f"{units:,}.{cents:02d}"
    text = f"The donors gave {sign}{number}{scale} on Friday."
    money = only(text)
    assert money.amount == Decimal(f"{units}.{cents:02d}") * _WRITTEN_SCALES[scale]
    assert text[money.start : money.end] == f"{sign}{number}{scale}"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("$€£0123456789.,-\u2013 kmbnKMBN toandbetweenover")),
        max_size=60,
    )
)
def test_any_text_gives_amounts_inside_it_or_nothing(text: str):
    for money in find_money(text):
        assert 0 <= money.start < money.end <= len(text)
        assert money.amount >= 0
        assert money.upper is None or money.upper >= money.amount
