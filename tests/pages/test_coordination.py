"""``/coordination/`` on the seed scenario: the U.S.-led mandate and NATO's after it, with
their precision and sources, on both time axes; bad parameters are a 400."""

from datetime import date

from django.test import Client
from django.urls import reverse

from ledger.scenario import BAUER_CONFERENCE, NATO_COORDINATION, ROUNDUP, US_LED_COORDINATION
from pages.views.coordination import coordination_context
from tests.pages.timeline_text import page_text

URL = reverse("pages:coordination")


def test_who_held_the_coordination_of_military_aid_when(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2025-07-08")
    assert f"{US_LED_COORDINATION}: from 2022 (known to the year), until 1 Jan 2025." in text
    assert (
        f"{NATO_COORDINATION}: from Jan 2025 (known to the month), still held on 8 Jul 2025; "
        f"took over from {US_LED_COORDINATION}." in text
    )
    # The chart's bars say the same to a screen reader.
    assert (
        f"{NATO_COORDINATION} held Coordinating military aid for Ukraine from Jan 2025 "
        "(start known to the month), still held on 8 Jul 2025." in text
    )


def test_each_mandate_cites_its_source(client: Client, scenario: None) -> None:
    text = page_text(client, URL)
    assert f"Start: {ROUNDUP.title}" in text
    assert BAUER_CONFERENCE in text
    # The U.S.-led mandate's end is the handover, cited from the same report.
    assert "End: Weekly roundup." in text


def test_as_of_before_the_handover_shows_the_us_holding_it(client: Client, scenario: None) -> None:
    text = page_text(client, URL, as_of="2024-06-01")
    assert (
        f"{US_LED_COORDINATION}: from 2022 (known to the year), still held on 1 Jun 2024." in text
    )
    assert f"{NATO_COORDINATION}:" not in text


def test_known_at_before_the_mandates_were_recorded(client: Client, scenario: None) -> None:
    text = page_text(client, URL, known_at="2001-01-01")
    assert "No mandate had begun by" in text
    assert "that the ledger knew of then" in text
    assert f"{US_LED_COORDINATION}:" not in text


def test_the_api_link_lists_the_same_mandates(client: Client, scenario: None) -> None:
    body = client.get(URL, {"as_of": "2024-06-01"}).content.decode()
    assert "/api/v1/mandates/?starts_on__lte=2024-06-01" in body
    found = client.get("/api/v1/mandates/", {"starts_on__lte": "2024-06-01"}).json()
    assert [m["starts_on"] for m in found["results"]] == ["2022-01-01"]


def test_bad_parameters_are_a_400_naming_the_field(client: Client, scenario: None) -> None:
    text = page_text(client, URL, status=400, as_of="2025-02-30")
    assert "As of:" in text
    assert "Some parameters need correcting" in text


def test_the_chart_is_a_valid_spec_of_both_mandates(scenario: None) -> None:
    chart = coordination_context(on=date(2025, 7, 8), known_at=None)["chart"]
    spec = chart.to_dict()  # validated against the Vega-Lite schema
    # Layers sharing one data set have it once, at the top (inline or by name).
    data = spec["data"]
    bars = data["values"] if "values" in data else spec["datasets"][data["name"]]
    assert [(b["body"], b["start"], b["end"], b["vague_until"]) for b in bars] == [
        (US_LED_COORDINATION, "2022-01-01", "2025-01-01", "2023-01-01"),
        (NATO_COORDINATION, "2025-01-01", "2025-07-08", "2025-02-01"),
    ]
