"""timeline/ tells the seed scenario in date order through the API: mandates beginning and
ending, events, the U.S. pause and its resumption, the Rome pledge; filtered by kind,
donor, coordination body and date range, paginated and as CSV."""

from datetime import date
from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger.models import CoordinationBody, Organization
from tests.api.base import ALL, csv_rows, results

URL = "/api/v1/timeline/"


def timeline(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    return results(client.get(URL, {**params, **ALL}))


def kinds(rows: list[dict[str, Any]]) -> list[str]:
    return [row["kind"] for row in rows]


def test_the_scenario_reads_in_date_order(api: APIClient, scenario: None) -> None:
    rows = timeline(api)
    days = [date.fromisoformat(row["date"]) for row in rows]
    assert days == sorted(days)
    assert kinds(rows) == [
        "mandate_start",  # 2022: the U.S.-led coordination
        "event",  # 3 January 2024: the NATO-Ukraine Council meeting agreed
        "mandate_end",  # January 2025: the handover, the U.S.-led mandate ends ...
        "mandate_start",  # ... and NATO's begins
        "event",  # 16 January 2025: the UK-Ukraine partnership
        "pause",  # the week of 30 June 2025
        "resumption",  # 7 July 2025
        "entry",  # 10 July 2025: the Rome pledge
    ]


def test_the_pause_precedes_its_resumption(api: APIClient, scenario: None) -> None:
    rows = timeline(api)
    pause = next(i for i, row in enumerate(rows) if row["kind"] == "pause")
    resumption = next(i for i, row in enumerate(rows) if row["kind"] == "resumption")
    assert pause < resumption
    assert rows[pause]["id"] == rows[resumption]["id"]  # the same Pause row
    assert (rows[pause]["date"], rows[resumption]["date"]) == ("2025-06-30", "2025-07-07")
    assert rows[pause]["title"] == "weapons shipments to Ukraine"


def test_each_row_names_its_source(api: APIClient, scenario: None) -> None:
    for row in timeline(api):
        assert set(row) == {"date", "kind", "id", "title", "detail", "donor", "body", "source"}
        assert isinstance(row["source"], int)


def test_filter_by_kind(api: APIClient, scenario: None) -> None:
    assert kinds(timeline(api, kind="event")) == ["event", "event"]
    assert kinds(timeline(api, kind=["pause", "resumption"])) == ["pause", "resumption"]


@pytest.mark.parametrize(
    "kind",
    [
        ["pause", "resumption", "event"],
        ["pause", "resumption", "mandate_start"],
        ["pause", "resumption", "mandate_end", "event"],
    ],
)
def test_pauses_resumptions_and_mandates_or_events_together(
    api: APIClient, scenario: None, kind: list[str]
) -> None:
    assert sorted(set(kinds(timeline(api, kind=kind)))) == sorted(kind)


@pytest.mark.parametrize(
    "kind", [["pause", "event"], ["resumption", "mandate_start"], ["mandate_start", "event"]]
)
def test_any_other_mix_of_kinds(api: APIClient, scenario: None, kind: list[str]) -> None:
    assert sorted(set(kinds(timeline(api, kind=kind)))) == sorted(kind)


def test_filter_by_donor(api: APIClient, scenario: None) -> None:
    united_states = Organization.objects.get(name="United States")
    conference = Organization.objects.get(kind="conference")
    assert kinds(timeline(api, donor=united_states.pk)) == ["pause", "resumption"]
    assert kinds(timeline(api, donor=conference.pk)) == ["entry"]
    both = timeline(api, donor=[united_states.pk, conference.pk])
    assert kinds(both) == ["pause", "resumption", "entry"]


def test_filter_by_body(api: APIClient, scenario: None) -> None:
    council = CoordinationBody.objects.get(name="NATO-Ukraine Council")
    us_led = CoordinationBody.objects.get(name__startswith="U.S.-led")
    assert kinds(timeline(api, body=council.pk)) == ["event"]
    assert kinds(timeline(api, body=us_led.pk)) == ["mandate_start", "mandate_end"]


def test_filter_by_date_range(api: APIClient, scenario: None) -> None:
    rows = timeline(api, since="2025-01-01", until="2025-06-30")
    assert kinds(rows) == ["mandate_end", "mandate_start", "event", "pause"]
    assert kinds(timeline(api, since="2025-07-07")) == ["resumption", "entry"]
    assert kinds(timeline(api, until="2023-12-31")) == ["mandate_start"]
    assert timeline(api, since="2025-07-11") == []


def test_filters_combine(api: APIClient, scenario: None) -> None:
    united_states = Organization.objects.get(name="United States")
    rows = timeline(api, donor=united_states.pk, kind="resumption", since="2025-07-01")
    assert kinds(rows) == ["resumption"]


def test_it_is_paginated(api: APIClient, scenario: None) -> None:
    body = api.get(URL, {"page_size": 3}).json()
    assert body["count"] == 8
    assert len(body["results"]) == 3
    rest = api.get(body["next"]).json()["results"]
    assert rest[0]["date"] >= body["results"][-1]["date"]


def test_csv(api: APIClient, scenario: None) -> None:
    response = api.get(URL, {"format": "csv", "kind": "pause"})
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header == ["date", "kind", "id", "title", "detail", "donor", "body", "source"]
    assert [row[:2] for row in rows] == [["2025-06-30", "pause"]]


def test_what_an_editor_records_joins_the_timeline(
    api: APIClient, editor: APIClient, scenario: None
) -> None:
    united_kingdom = Organization.objects.get(name="United Kingdom")
    source_id = timeline(api)[0]["source"]
    created = editor.post(
        "/api/v1/pauses/",
        {"donor": united_kingdom.pk, "paused_on": "2025-08-01", "source": source_id},
        format="json",
        HTTP_IDEMPOTENCY_KEY="pause-1",
    )
    assert created.status_code == 201, created.content
    rows = timeline(api, donor=united_kingdom.pk)
    assert [(row["date"], row["kind"]) for row in rows] == [("2025-08-01", "pause")]
