"""The seed scenario: recorded through the services, idempotent, and readable through the
selectors as the articles report it."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from ledger import scenario, services
from ledger.models import (
    Commitment,
    Event,
    FxRate,
    LedgerEntry,
    Organization,
    Pause,
    ReportedTotal,
    Responsibility,
    Source,
)
from ledger.selectors import figures, find_organization, mandate_holder, pauses_in_force, totals


def load() -> str:
    out = StringIO()
    call_command("load_scenario", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in apps.get_app_config("ledger").get_models()
    }


@pytest.fixture
def loaded(db: None) -> str:
    return load()


def test_running_twice_leaves_the_same_rows(loaded):
    first = row_counts()
    second_output = load()
    assert row_counts() == first
    assert second_output.strip().endswith("New rows: nothing.")
    assert first["Source"] == 9
    assert first["Commitment"] == 2
    assert first["LedgerEntry"] == 1
    assert first["Pause"] == 1
    assert first["Mandate"] == 2
    assert first["ReportedTotal"] == 1
    assert first["Event"] == 2


def test_the_output_lists_what_was_recorded(loaded):
    assert "Pause: United States paused weapons shipments to Ukraine" in loaded
    assert "Pledge 12,000,000,000 USD (2025-07-10)" in loaded
    assert "Reported total: United States: at least (over) 40,000,000,000 USD" in loaded
    assert "Event: 2025-01-16: UK–Ukraine 100-year partnership agreement signed" in loaded
    assert "New rows:" in loaded


def test_existing_organizations_are_reused(db):
    existing = services.create_organization(
        name="United States of America", kind="state", country_code="US"
    )
    nato = services.create_organization(name="North Atlantic Treaty Organization", kind="other")
    load()
    assert Organization.objects.filter(kind="state", country_code="US").get() == existing
    assert Organization.objects.filter(name__iexact="NATO").count() == 0
    # The scenario's aliases were added to the organizations it found.
    assert existing.aliases.filter(alias="Washington").exists()
    assert nato.aliases.filter(alias="NATO").exists()
    assert Commitment.objects.filter(donor=existing).count() == 1
    assert ReportedTotal.objects.get().donor == existing
    assert Pause.objects.get().donor == existing


def test_the_weekday_arithmetic_holds():
    # Days 1,055-1,059 of the invasion are Monday to Friday of the roundup's week.
    assert scenario.INVASION_DAY_ONE + timedelta(days=1055 - 1) == date(2025, 1, 13)
    assert scenario.INVASION_DAY_ONE + timedelta(days=1059 - 1) == date(2025, 1, 17)
    assert date(2025, 1, 16) == scenario.ROUNDUP_THURSDAY
    assert scenario.ROUNDUP_THURSDAY.strftime("%A") == "Thursday"
    assert scenario.ROME_THURSDAY.strftime("%A") == "Thursday"
    assert date(2025, 7, 7) == scenario.ROME_MONDAY
    assert scenario.ROME_MONDAY.strftime("%A") == "Monday"
    assert date(2025, 6, 30) == scenario.ROME_LAST_WEEK_MONDAY
    assert scenario.ROME_LAST_WEEK_MONDAY.strftime("%A") == "Monday"
    assert scenario.FIRST_WEEK_OF_2024.strftime("%A") == "Monday"


def test_the_us_pause_is_in_force_until_the_resumption(loaded):
    (pause,) = pauses_in_force(date(2025, 7, 5))
    assert pause.donor.name == "United States"
    assert pause.ordered_by is not None
    assert pause.ordered_by.name == "United States Department of Defense"
    assert pause.ordered_by.aliases.filter(alias="Pentagon").exists()
    assert pause.category == "military"
    # "last week", seen from Thursday 10 July 2025: the week of Monday 30 June.
    assert (pause.paused_on, pause.paused_on_precision) == (date(2025, 6, 30), "week")
    assert pause.resumed_on == date(2025, 7, 7)
    assert pause.source != pause.resumption_source
    assert not pauses_in_force(date(2025, 7, 8)).exists()
    assert Pause.objects.get() == pause


def test_the_rome_conference_pledged_twelve_billion_dollars(loaded):
    rows = {row["donor_name"]: row for row in figures(group_by=["donor"], currency="USD")}
    assert set(rows) == {"Ukraine Recovery Conference 2025"}
    rome = rows["Ukraine Recovery Conference 2025"]
    assert rome["pledged"] == Decimal("12000000000.00")
    assert rome["committed"] == 0
    assert rome["disbursed"] == 0
    assert rome["unconverted_entries"] == 0
    entry = LedgerEntry.objects.get()
    assert (entry.value_date, entry.value_date_precision) == (date(2025, 7, 10), "day")
    commitment = entry.commitment
    assert commitment.category == "unspecified"
    assert commitment.donor.kind == "conference"
    assert (commitment.announced_on, commitment.announced_on_precision) == (
        date(2025, 7, 10),
        "day",
    )


def test_the_pledge_converts_to_euro_with_the_ecb_rates(loaded):
    call_command("load_fx_rates", "--since=2025-01-01", "--currencies=USD", stdout=StringIO())
    rate = FxRate.objects.get(currency="USD", date=date(2025, 7, 10)).rate
    assert rate == Decimal("1.1709")  # the ECB's reference rate for that Thursday
    result = totals(currency="EUR")
    assert result["unconverted_entries"] == 0
    assert result["pledged"] == pytest.approx(Decimal("12000000000") / rate, abs=Decimal("0.01"))
    (row,) = figures(group_by=["donor"], currency="EUR")
    assert row["pledged"] == result["pledged"]


def test_the_us_running_total_is_reported_beside_the_ledger(loaded):
    total = ReportedTotal.objects.get()
    assert total.donor.name == "United States"
    assert total.recipient.name == "Ukraine"
    assert (total.stage, total.qualifier) == ("disbursement", "at_least")
    assert (total.amount, total.currency) == (Decimal("40000000000"), "USD")
    assert (total.period_start, total.period_start_precision) == (date(2022, 2, 1), "month")
    assert (total.as_of, total.as_of_precision) == (date(2024, 1, 1), "week")
    assert total.source.excerpt.startswith("The US, Ukraine’s biggest single-country donor")
    # It is neither a commitment nor an entry, and no figure sums it.
    assert not Commitment.objects.filter(donor__name="United States").exclude(
        identifiers__value="scenario:biden-every-dollar-2024"
    )
    result = totals(currency="USD")
    assert result["disbursed"] == 0
    assert result["entry_count"] == 1
    assert result["pledged"] == Decimal("12000000000.00")


def test_the_biden_commitment_has_no_amount_and_no_category(loaded):
    biden = Commitment.objects.get(identifiers__value="scenario:biden-every-dollar-2024")
    assert not biden.entries.exists()
    assert biden.category == "unspecified"
    assert biden.get_category_display() == "Not stated"
    assert (biden.announced_on, biden.announced_on_precision) == (date(2024, 11, 13), "day")
    assert biden.period_start == date(2024, 11, 13)
    assert biden.period_end == date(2025, 1, 20)


def test_nato_takes_over_military_aid_coordination_from_the_us_led_structure(loaded):
    responsibility = Responsibility.objects.get(code="military-aid-coordination")
    before = mandate_holder(responsibility, date(2024, 12, 31))
    after = mandate_holder(responsibility, date(2025, 1, 16))
    assert before is not None
    assert after is not None
    assert before.body.name == scenario.US_LED_COORDINATION
    assert before.body.memberships.get().organization.name == "United States"
    # The U.S. held it "earlier": no start is reported, so only the year is claimed.
    assert (before.starts_on, before.starts_on_precision) == (date(2022, 1, 1), "year")
    assert "no start date" in before.note
    assert after.body.name == scenario.NATO_COORDINATION
    assert after.body.memberships.get().organization.name == "NATO"
    # "is taking over" on 16 January 2025: known to the month.
    assert (after.starts_on, after.starts_on_precision) == (date(2025, 1, 1), "month")
    assert after.predecessor == before
    assert before.ends_on == after.starts_on
    assert before.end_source == after.source
    assert mandate_holder(responsibility, date(2025, 7, 1)) == after
    assert mandate_holder(responsibility, date(2021, 12, 31)) is None


def test_the_partnership_agreement_is_an_event(loaded):
    assert not Commitment.objects.filter(donor__name="United Kingdom").exists()
    event = Event.objects.get(kind="agreement")
    assert event.title == "UK–Ukraine 100-year partnership agreement signed"
    assert (event.occurred_on, event.occurred_on_precision) == (date(2025, 1, 16), "day")
    assert event.place == "Kyiv"
    assert event.body is None
    assert {o.name for o in event.participants.all()} == {"United Kingdom", "Ukraine"}
    assert event.source.title == scenario.ROUNDUP.title


def test_the_nato_ukraine_council_meeting_is_an_event(loaded):
    event = Event.objects.get(kind="meeting")
    assert (event.occurred_on, event.occurred_on_precision) == (date(2024, 1, 3), "day")
    assert event.body is not None
    assert event.body.name == scenario.NATO_UKRAINE_COUNCIL
    assert {o.name for o in event.participants.all()} == {"NATO", "Ukraine"}
    assert "air defence" in event.description
    assert event.place == ""  # "He didn't specify when and where"
    assert event.source.publisher == "The Kyiv Independent"
    assert event.source.published_on == date(2024, 1, 3)


def test_only_dated_copies_have_a_publication_date():
    articles = {citation.article for citation in scenario.citations()}
    assert {a.fixture for a in articles if a.published_on} == {scenario.KULEBA.fixture}


def test_every_quote_is_word_for_word_from_its_article(shared_dir: Path):
    news = shared_dir / "fixtures" / "news"
    for citation in scenario.citations():
        text = (news / citation.article.fixture).read_text("utf-8")
        for passage in citation.excerpt.split(" … "):
            assert passage in text, (citation.article.fixture, passage)


def test_every_title_and_publisher_is_from_its_article(shared_dir: Path):
    news = shared_dir / "fixtures" / "news"
    articles = {citation.article for citation in scenario.citations()}
    assert len(articles) == 5
    for article in articles:
        text = (news / article.fixture).read_text("utf-8")
        if not article.title.startswith(scenario.NO_HEADLINE):
            assert article.title in text
        if article.publisher:
            assert article.publisher in text, (article.fixture, article.publisher)
        assert not article.url  # no copy gives its URL (and there is no SOURCES.md)


def test_each_publisher_a_copy_names_is_recorded(loaded):
    """The copies that name their publisher (a byline, "Asked by RFE/RL") have it on every
    source cited from them; the others name none, and the admin says "not stated"."""
    named = {scenario.BLINKEN.fixture: "RFE/RL", scenario.KULEBA.fixture: "The Kyiv Independent"}
    for article in {citation.article for citation in scenario.citations()}:
        assert article.publisher == named.get(article.fixture, "")
        sources = Source.objects.filter(title=article.title)
        assert sources.exists()
        assert set(sources.values_list("publisher", "published_on", "url")) == {
            (article.publisher, article.published_on, "")
        }


def test_every_seed_alias_names_its_organization(loaded):
    for spec in scenario.ORGANIZATIONS:
        organization = Organization.objects.get(name=spec.name)
        assert set(spec.aliases) <= set(organization.aliases.values_list("alias", flat=True))
        for alias in spec.aliases:
            for spelling in (alias, alias.upper(), alias.lower()):
                assert find_organization(spelling) == organization, spelling


def test_the_seed_names_and_aliases_are_unique_in_any_case():
    names = [n for spec in scenario.ORGANIZATIONS for n in (spec.name, *spec.aliases)]
    assert len({name.casefold() for name in names}) == len(names)


def test_ukraine_and_the_donors_have_their_ukrainian_and_russian_names(loaded):
    expected = {
        scenario.UKRAINE: {"Україна", "Украина"},
        scenario.UNITED_STATES: {"Сполучені Штати Америки", "США", "Соединённые Штаты Америки"},
        scenario.US_DEPARTMENT_OF_DEFENSE: {"Пентагон"},
        scenario.UNITED_KINGDOM: {"Велика Британія", "Великобритания"},
        scenario.NATO: {"НАТО"},
    }
    for name, aliases in expected.items():
        stored = set(Organization.objects.get(name=name).aliases.values_list("alias", flat=True))
        assert aliases <= stored, name


def test_a_database_seeded_before_gets_the_new_aliases_once(db, monkeypatch):
    """A database seeded by an older scenario, without the Ukrainian and Russian names,
    gets them on the next run, and the run after that writes nothing."""
    older = tuple(
        replace(spec, aliases=tuple(a for a in spec.aliases if a.isascii()))
        for spec in scenario.ORGANIZATIONS
    )
    monkeypatch.setattr(scenario, "ORGANIZATIONS", older)
    load()
    assert find_organization("Україна") is None
    before = row_counts()
    monkeypatch.undo()
    load()
    after = row_counts()
    new_aliases = sum(len(s.aliases) for s in scenario.ORGANIZATIONS) - sum(
        len(s.aliases) for s in older
    )
    assert new_aliases > 0
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert added == {"OrganizationAlias": new_aliases, "HistoricalOrganizationAlias": new_aliases}
    assert find_organization("УКРАЇНА") == Organization.objects.get(name=scenario.UKRAINE)
    counts = row_counts()
    assert load().strip().endswith("New rows: nothing.")
    assert row_counts() == counts
