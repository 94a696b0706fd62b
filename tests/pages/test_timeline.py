"""``/timeline/`` on the seed scenario: the July 2025 U.S. pause band from its week to
7 July 2025, the handover to NATO, what 5 and 8 July 2025 each show, the numbers against
the selectors and the API, known_at, and bad parameters."""

import html
import re
from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from ledger.formatting import format_amount
from ledger.models import Organization
from ledger.selectors.series import cumulative_figures
from pages.forms import PageQuery
from pages.views.timeline import timeline_context
from tests.pages.timeline_text import page_text

URL = reverse("pages:timeline")
HANDOVER = (
    "U.S.-led coordination of military aid for Ukraine → "
    "NATO coordination of military aid for Ukraine"
)


def query(**given: object) -> PageQuery:
    fields: dict[str, object] = {
        "as_of": None,
        "known_at": None,
        "currency": "EUR",
        "donor": None,
        "category": "",
    }
    return PageQuery(**(fields | given))  # type: ignore[arg-type]


def test_the_pause_band_runs_from_its_week_to_7_july(scenario: None) -> None:
    chart = timeline_context(query(as_of=date(2025, 7, 31)))["chart"].to_dict()
    (band,) = [
        row
        for layer in chart["layer"]
        for row in layer["data"].get("values", [])
        if row.get("mark") == "Pause (shaded)" and "start" in row and "end" in row
    ][:1]
    assert (band["start"], band["end"]) == ("2025-06-30", "2025-07-07")
    assert "ordered by United States Department of Defense" in band["label"]
    assert "weapons shipments to Ukraine" in band["label"]
    assert band["short"] == "Pause: weapons shipments to Ukraine\nResumed 7 Jul 2025"


def test_on_5_july_2025_the_pause_is_in_force(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-07-05")
    assert "In force on 5 Jul 2025: United States paused weapons shipments to Ukraine" in text
    assert "ordered by United States Department of Defense, from week of 30 Jun 2025." in text
    assert "Pause: weapons shipments to Ukraine (In force on 5 Jul 2025)." in text  # caption
    # The band itself, described to screen readers.
    assert (
        "Pause of United States's military aid: weapons shipments to Ukraine, ordered by "
        "United States Department of Defense, from week of 30 Jun 2025. In force on 5 Jul 2025."
    ) in text
    assert "Resumed" not in text


def test_on_8_july_2025_it_has_resumed(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-07-08")
    assert "Resumed 7 Jul 2025: United States paused weapons shipments to Ukraine" in text
    assert "from week of 30 Jun 2025 to 7 Jul 2025." in text
    assert "Pause: weapons shipments to Ukraine (Resumed 7 Jul 2025)" in text
    assert "In force" not in text
    # The resumption cites its own passage of the article.
    assert "President Trump declared that the U.S. would resume sending hardware" in text


def test_before_the_pause_there_is_no_band(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-06-29")
    assert "No pause had begun by 29 June 2025" in text
    assert "Pause:" not in text


def test_the_handover_to_nato_is_marked(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-07-08")
    assert f"{HANDOVER}, Jan 2025: Coordinating military aid for Ukraine." in text
    assert f"Handover of Coordinating military aid for Ukraine: {HANDOVER}, Jan 2025." in text
    assert "No coordination changed hands" in page_text(client, URL, as_of="2024-12-31")


def test_the_numbers_are_the_selectors_and_the_apis(client: Client, scenario: None) -> None:
    text = page_text(client, URL, currency="USD")
    (step,) = cumulative_figures(currency="USD")
    assert step.pledged == Decimal("12000000000.00")
    assert f"10 Jul 2025 {format_amount(step.pledged, 'USD')} 0 USD 0 USD" in text
    rows = client.get(
        "/api/v1/summary/", {"group_by": "day", "currency": "USD", "page_size": "100"}
    ).json()["results"]
    assert [(r["day"], Decimal(r["pledged"])) for r in rows] == [("2025-07-10", step.pledged)]
    # In euros, at the ECB's rate of the day, as the API says.
    (euros,) = cumulative_figures(currency="EUR")
    assert format_amount(euros.pledged, "EUR") in page_text(client, URL)


def test_the_api_links_carry_the_same_parameters(client: Client, scenario: None) -> None:
    body = client.get(URL, {"as_of": "2025-07-05", "currency": "USD"}).content.decode()
    assert "/api/v1/summary/?as_of=2025-07-05&amp;currency=USD&amp;group_by=day" in body
    assert "/api/v1/timeline/?until=2025-07-05" in body


def test_known_at_before_the_ledger_knew_hides_everything(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-07-08", known_at="2001-01-01")
    assert "No pause had begun by 8 July 2025 that the ledger knew of then" in text
    assert "No coordination changed hands" in text
    assert "No event by" in text
    assert "pledged 0 EUR, committed 0 EUR, disbursed 0 EUR" in text


def test_a_donor_without_pauses_shows_none(client: Client, scenario: None) -> None:
    text = page_text(client, URL, category="humanitarian", as_of="2025-07-08")
    assert "No pause had begun" in text


def test_bad_parameters_are_a_400_naming_the_field(client: Client, scenario: None) -> None:
    for params, field in (
        ({"as_of": "2025-13-40"}, "As of"),
        ({"currency": "XYZ"}, "Currency"),
        ({"known_at": "yesterday"}, "Known at"),
        ({"donor": "999999"}, "Donor"),
    ):
        text = page_text(client, URL, status=400, **params)
        assert f"{field}:" in text, params


def test_the_api_link_answers_the_tables_figures(client: Client, scenario: None) -> None:
    """The page's own JSON link, followed: its days summed are the table's last row."""
    donor = Organization.objects.get(name="Ukraine Recovery Conference 2025")
    params = {"currency": "USD", "donor": str(donor.pk), "as_of": "2025-07-31"}
    body = client.get(URL, params).content.decode()
    (link,) = re.findall(r'href="(/api/v1/summary/\?[^"]*)"', body)[:1]
    assert "format=csv" not in link
    rows = client.get(html.unescape(link)).json()["results"]
    assert [r["day"] for r in rows] == ["2025-07-10"]
    pledged = sum((Decimal(r["pledged"]) for r in rows), Decimal(0))
    text = page_text(client, URL, currency="USD", donor=str(donor.pk), as_of="2025-07-31")
    assert f"10 Jul 2025 {format_amount(pledged, 'USD')}" in text
