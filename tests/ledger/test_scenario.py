"""The seed scenario: recorded through the services, idempotent, and readable through the
selectors as the articles report it."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from ledger import scenario, services
from ledger.models import Commitment, FxRate, Organization, Pause, Responsibility
from ledger.selectors import figures, mandate_holder, pauses_in_force, totals


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
    assert first["Commitment"] == 4
    assert first["LedgerEntry"] == 2
    assert first["Pause"] == 1
    assert first["Mandate"] == 2


def test_the_output_lists_what_was_recorded(loaded):
    assert "Pause: United States paused weapons shipments to Ukraine" in loaded
    assert "Pledge 12000000000.0000 USD (2025-07-10)" in loaded
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
    assert Commitment.objects.filter(donor=existing).count() == 2


def test_the_us_pause_is_in_force_until_the_resumption(loaded):
    (pause,) = pauses_in_force(date(2025, 7, 5))
    assert pause.donor.name == "United States"
    assert pause.category == "military"
    assert pause.source != pause.resumption_source
    assert not pauses_in_force(date(2025, 7, 8)).exists()
    assert Pause.objects.get().resumed_on == date(2025, 7, 7)


def test_the_rome_conference_pledged_twelve_billion_dollars(loaded):
    rows = {row["donor_name"]: row for row in figures(group_by=["donor"], currency="USD")}
    rome = rows["Ukraine Recovery Conference 2025"]
    assert rome["pledged"] == Decimal("12000000000.00")
    assert rome["committed"] == 0
    assert rome["unconverted_entries"] == 0
    assert rows["United States"]["disbursed"] == Decimal("40000000000.00")


def test_commitments_without_amounts_have_no_entries(loaded):
    biden = Commitment.objects.get(identifiers__value="scenario:biden-every-dollar-2024")
    assert not biden.entries.exists()
    assert biden.period_end == date(2025, 1, 20)
    partnership = Commitment.objects.get(donor__name="United Kingdom")
    assert not partnership.entries.exists()
    assert partnership.recipient.country_code == "UA"


def test_nato_takes_over_military_aid_coordination_from_the_us_led_structure(loaded):
    responsibility = Responsibility.objects.get(code="military-aid-coordination")
    before = mandate_holder(responsibility, date(2025, 1, 15))
    after = mandate_holder(responsibility, date(2025, 1, 16))
    assert before is not None
    assert after is not None
    assert before.body.name == scenario.US_LED_COORDINATION
    assert before.body.memberships.get().organization.name == "United States"
    assert after.body.name == scenario.NATO_COORDINATION
    assert after.body.memberships.get().organization.name == "NATO"
    assert after.predecessor == before
    assert before.ends_on == after.starts_on
    assert before.end_source == after.source
    assert mandate_holder(responsibility, date(2025, 7, 1)) == after


def test_figures_convert_to_euro_with_the_ecb_rates(loaded):
    call_command("load_fx_rates", since=date(2023, 12, 1), currencies="USD,GBP", stdout=StringIO())
    result = totals(currency="EUR")
    assert result["unconverted_entries"] == 0
    rate = FxRate.objects.get(currency="USD", date=date(2025, 7, 10)).rate
    assert result["pledged"] == pytest.approx(Decimal("12000000000") / rate, abs=Decimal("0.01"))


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
        assert article.publisher.lower() in text.lower()
        assert not article.url
