"""The rules extractor, rule by rule, on short sentences of our own: stage words, what is
no fact (denials, conditions, demands, questions), names (the ledger's, states on an empty
ledger, near misses, unknown ones), dates and their sources, merging, other languages."""

import datetime as dt
from decimal import Decimal

import pytest

from ledger import scenario
from ledger.models import Organization
from ledger.services.organizations import create_organization
from news.extraction import default_extractor, not_english_reason
from news.extraction.base import Found

THURSDAY = dt.date(2025, 3, 6)
pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_organizations() -> None:
    """The seed scenario's organizations (the US, its Department of Defense with the
    alias "Pentagon", the UK, NATO, the Rome conference, Ukraine), nothing else."""
    for spec in scenario.ORGANIZATIONS:
        create_organization(
            name=spec.name,
            kind=spec.kind,
            country_code=spec.country_code,
            parent=Organization.objects.get(name=spec.parent) if spec.parent else None,
            aliases=spec.aliases,
        )


def extract(text: str, published_on: dt.date | None = THURSDAY) -> list[Found]:
    return default_extractor().extract(text, published_on=published_on)


def only(text: str) -> Found:
    found = extract(text)
    assert len(found) == 1, found
    assert text[found[0].evidence_start : found[0].evidence_end] == found[0].evidence
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Germany pledged €500 million to Ukraine on Monday.", "pledge"),
        ("Sweden pledges SEK 2 billion for Ukraine's air defence.", "pledge"),
        ("Japan is pledging $1 billion more to Kyiv.", "pledge"),
        ("Canada promised C$500 million to Ukraine.", "pledge"),
        ("Canada announced $200 million in new aid for Ukraine.", "pledge"),
        ("Denmark approved a DKK 3 billion package for Ukraine.", "commitment"),
        ("Norway signed a NOK 5 billion loan agreement with Ukraine.", "commitment"),
        ("The US authorized a drawdown of $125 million for Ukraine.", "commitment"),
        ("Italy allocated €300 million to Ukraine's budget.", "allocation"),
        ("Spain earmarked €1 billion for drones for Ukraine.", "allocation"),
        ("The EU disbursed €4.2 billion to Ukraine on Tuesday.", "disbursement"),
        ("Poland delivered $300 million of ammunition to Ukraine.", "disbursement"),
        ("Germany will deliver €1.5bn in air defence to Ukraine.", "pledge"),
        ("France paused deliveries of artillery shells to Ukraine on Monday.", "pause"),
        ("Washington has suspended military aid to Ukraine.", "pause"),
        ("Slovakia has frozen its military aid to Ukraine.", "pause"),
        ("Germany resumed deliveries of air defence systems to Ukraine on Tuesday.", "resumption"),
        ("The U.S. would resume sending weapons to Ukraine, officials said.", "resumption"),
        ("NATO takes over coordination of military aid for Ukraine.", "mandate"),
        ("Britain will coordinate the training of Ukraine's pilots.", "mandate"),
        ("Latvia co-chairs the drone coalition for Ukraine.", "mandate"),
        ("Britain and Ukraine signed a security agreement in London on Tuesday.", "event"),
        ("NATO approved a request to hold an emergency meeting with Ukraine.", "event"),
        ("Germany has provided €10 billion to Ukraine so far.", "reported_total"),
        ("Oslo has given NOK 60 billion to Ukraine since 2022.", "reported_total"),
        ("Finland unveiled a €200 million package for Ukraine.", "pledge"),
        ("Belgium offered €1 billion in F-16 support to Ukraine.", "pledge"),
        ("Austria set aside €50 million for demining in Ukraine.", "allocation"),
        ("Stockholm gave SEK 1 billion to Ukraine's grid.", "disbursement"),
        ("Lithuania handed over €10 million of generators to Ukraine.", "disbursement"),
        ("Japan lent $3 billion to Ukraine.", "commitment"),
        ("France has handed over six Caesar howitzers to Ukraine.", "disbursement"),
    ],
)
def test_stage_words_say_the_kind(sentence: str, kind: str) -> None:
    assert only(sentence).kind == kind


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Germany did not pledge new money for Ukraine.", "negation"),
        ("Washington has not said whether it will resume shipments to Ukraine.", "negation"),
        ("No decision was made to approve the €2 billion package for Ukraine.", "negation"),
        ("France would try to send €1 billion to Ukraine.", "hypothetical"),
        ("Spain could allocate €500 million to Ukraine next year.", "hypothetical"),
        ("If Congress approves $60 billion for Ukraine, deliveries start in May.", "condition"),
        ("Ukraine urged Germany to deliver €2 billion in air defence.", "demand"),
        ("The $50 billion pledged by the G7 must be used much faster.", "demand"),
        ("The minister called on Norway to allocate NOK 10 billion to Ukraine.", "demand"),
        ("Kyiv asked Japan to provide $2 billion in loans.", "demand"),
        ("“We need Germany to send €1 billion more,” the minister said.", "demand"),
        ("Will Germany pledge €1 billion to Ukraine?", "question"),
        ("Republicans voiced doubts about approving more funds for Ukraine.", "no act"),
        ("Russia launched 100 drones at Kyiv on Monday.", "no stage word"),
        ("Ukraine sent troops to the border with Belarus.", "no money, no aid"),
        ("European leaders committed $2 billion to Ukraine.", "no donor named"),
        ("North Korea sent artillery shells to Russia.", "goods, not to the recipient"),
        ("Russia sent 90 drones to Kyiv overnight.", "drones are no goods"),
        ("Italy presented its tenth plan since 2022 for Ukraine.", "no amount"),
        ("The EU approved a new package of sanctions against Russia.", "no aid"),
    ],
)
def test_what_is_no_fact_gives_no_candidate(sentence: str, reason: str) -> None:
    assert extract(sentence) == [], reason


def test_words_that_only_look_like_a_demand_do_not_cancel_the_fact() -> None:
    found = only("Germany pledged €1 billion to Ukraine at a press conference in Berlin.")
    assert found.kind == "pledge"


def test_a_demand_in_another_clause_does_not_cancel_the_fact() -> None:
    found = only(
        "Norway has pledged NOK 1 billion to Ukraine, the minister said, adding that "
        "allies must do more."
    )
    assert (found.kind, found.amount, found.currency) == ("pledge", Decimal(10**9), "NOK")


def test_the_category_comes_from_the_fact_s_part_of_the_sentence() -> None:
    found = only(
        "Norway has pledged NOK 1 billion in budget support to Ukraine, the minister said, "
        "adding that allies must send more weapons."
    )
    assert found.category == "financial"


def test_the_pentagon_and_washington_are_the_us_government(seed_organizations: None) -> None:
    united_states = Organization.objects.get(name="United States")
    pause = only("The Pentagon paused shipments of weapons to Ukraine last week.")
    assert pause.donor is not None
    assert pause.donor.organization_id == united_states.pk
    assert pause.donor.text == "The Pentagon"
    # The pause's donor is the state; the body that ordered it is its counterpart.
    assert pause.counterpart is not None
    assert pause.counterpart.canonical == scenario.US_DEPARTMENT_OF_DEFENSE
    assert (pause.category, pause.date, pause.date_precision) == (
        "military",
        dt.date(2025, 2, 24),
        "week",
    )
    resumption = only("Washington resumed military aid to Kyiv on Monday.")
    assert resumption.donor is not None
    assert resumption.donor.canonical == "United States"
    assert resumption.recipient is not None
    assert resumption.recipient.canonical == "Ukraine"
    assert (resumption.date, resumption.date_precision) == (dt.date(2025, 3, 3), "day")


def test_states_are_known_by_name_on_an_empty_ledger() -> None:
    assert not Organization.objects.exists()
    found = only("Norway pledged NOK 1 billion to Ukraine.")
    assert found.donor is not None
    assert found.recipient is not None
    assert (found.donor.canonical, found.donor.organization_id) == ("Norway", None)
    assert found.recipient.canonical == "Ukraine"
    assert "donor unmatched" not in found.flags


def test_a_near_miss_matches_with_a_lower_score(seed_organizations: None) -> None:
    found = only("The Ukraine Recovery Conference pledged $1 billion to Ukraine.")
    assert found.donor is not None
    assert found.donor.canonical == scenario.ROME_CONFERENCE
    assert 0.85 <= found.donor.score < 1
    assert "near-miss name" in found.flags


def test_a_name_that_matches_nothing_is_kept_as_found_and_flagged() -> None:
    known = only("Norway pledged $20 million to Ukraine.")
    unknown = only("The Zorbanian Relief Fund pledged $20 million to Ukraine.")
    assert unknown.donor is not None
    assert (unknown.donor.text, unknown.donor.canonical) == ("Zorbanian Relief Fund", "")
    assert "donor unmatched" in unknown.flags
    assert unknown.confidence < known.confidence


def test_an_organization_added_to_the_ledger_is_known_at_once() -> None:
    sentence = "The Zorbanian Relief Fund pledged $20 million to Ukraine."
    assert only(sentence).donor.canonical == ""  # type: ignore[union-attr]
    create_organization(name="Zorbanian Relief Fund", kind="ngo")
    assert only(sentence).donor.canonical == "Zorbanian Relief Fund"  # type: ignore[union-attr]


def test_an_amount_without_currency_is_flagged() -> None:
    found = only("Sweden approved a package of 2 billion for Ukraine.")
    assert (found.amount, found.currency) == (Decimal(2 * 10**9), "")
    assert "no currency" in found.flags


def test_a_running_total_has_its_stage_period_and_publication_date() -> None:
    found = only("The US has sent over $60bn in military aid to Ukraine since February 2022.")
    assert (found.kind, found.stage, found.qualifier) == (
        "reported_total",
        "disbursement",
        "at_least",
    )
    assert (found.period_start, found.period_start_precision) == (dt.date(2022, 2, 1), "month")
    assert (found.date, found.date_precision) == (THURSDAY, "day")
    assert found.category == "military"


def test_a_date_comes_from_the_paragraph_never_from_another() -> None:
    same = only("Ministers met in Warsaw on Tuesday. Poland pledged $100 million to Ukraine.")
    assert (same.date, "date from context") == (dt.date(2025, 3, 4), same.flags[0])
    other = only("Ministers met in Warsaw on Tuesday.\n\nPoland pledged $100 million to Ukraine.")
    assert (other.date, other.date_precision) == (None, "")
    assert "no date" in other.flags
    # A deadline is not the date of the fact.
    deadline = only("Poland pledged $100 million to Ukraine by December 2025.")
    assert deadline.date is None


def test_the_same_fact_said_twice_is_one_candidate() -> None:
    found = only(
        "Germany pledged €1 billion to Ukraine on Monday. The €1 billion pledged by Germany "
        "will pay for artillery shells."
    )
    assert (found.date, found.evidence_start) == (dt.date(2025, 3, 3), 0)


def test_text_in_another_language_gives_no_candidates_and_a_reason() -> None:
    french = (
        "L'Allemagne a promis un milliard d'euros à l'Ukraine lundi, a déclaré le ministre "
        "dans un communiqué. Les livraisons de munitions et de systèmes de défense aérienne "
        "reprendront la semaine prochaine, selon le gouvernement."
    )
    assert "not English" in not_english_reason(french)
    assert extract(french) == []
    assert not_english_reason("Germany pledged €1 billion to Ukraine. " * 5) == ""


def test_one_amount_in_a_sentence_is_one_fact_read_by_the_stronger_word() -> None:
    found = only(
        "Spain has earmarked €80 million for Ukraine's hospitals, Health Minister Ana "
        "Ruiz announced on Monday."
    )
    assert (found.kind, found.donor.canonical) == ("allocation", "Spain")  # type: ignore[union-attr]


def test_a_headline_without_its_amount_folds_into_the_article_s_fact() -> None:
    found = only(
        "Spain earmarks money for Ukraine's hospitals\n\n"
        "Spain has earmarked €80 million for hospitals in Ukraine on Monday."
    )
    assert (found.amount, found.date) == (Decimal(80 * 10**6), dt.date(2025, 3, 3))


def test_since_makes_a_running_total_only_after_a_perfect() -> None:
    found = only("Finland presented a €200 million package for Ukraine, its 25th since 2022.")
    assert found.kind == "pledge"


def test_a_stage_word_inside_a_compound_is_none() -> None:
    found = only(
        "Poland will coordinate the repair of Western-supplied tanks for Ukraine on Monday."
    )
    # The date goes to the nearest stage word: "supplied" would have taken it.
    assert found.kind == "mandate"
    assert found.date is not None


def test_a_dateline_is_not_part_of_the_next_line_s_name() -> None:
    found = only("Brussels\n\nThe Acme Relief Fund paid out €3 million to Ukraine.")
    assert found.donor is not None
    assert found.donor.text == "Acme Relief Fund"


def test_frozen_assets_are_no_frozen_aid() -> None:
    assert extract("Belgium has frozen Russian assets worth €190 billion, a source of aid.") == []


def test_two_words_of_one_kind_share_the_sentence_s_date() -> None:
    found = only(
        "France has handed over six howitzers to Ukraine, the ministry said on Thursday, "
        "bringing the total delivered since 2022 to 55."
    )
    assert (found.kind, found.date) == ("disbursement", THURSDAY)


def test_a_reason_does_not_cut_the_date_off() -> None:
    found = only(
        "Germany has frozen military aid to Ukraine because of the budget, it said on Monday."
    )
    assert (found.kind, found.date) == ("pause", dt.date(2025, 3, 3))
