"""timeline/ tells the seed scenario in date order through the API: mandates beginning and
ending, events, the $40bn reported total, the Biden and Rome commitments announced, the
U.S. pause and its resumption, the Rome pledge; each related object with its name and
URL; filtered by kind, donor, coordination body and date range, paginated (at a cost in
queries that does not grow with the page) and as CSV."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from ledger import services
from ledger.models import CoordinationBody, Organization, Source
from tests.api.base import ALL, csv_rows, results

URL = "/api/v1/timeline/"
RELATED = ("donor", "recipient", "commitment", "body", "source")
FIELDS = {
    "date",
    "kind",
    "id",
    "url",
    "title",
    "detail",
    "amount",
    "currency",
    "qualifier",
    *RELATED,
}
CSV_HEADER = [
    "date",
    "kind",
    "id",
    "url",
    "title",
    "detail",
    "amount",
    "currency",
    "qualifier",
    *(f"{role}.{part}" for role in RELATED for part in ("id", "name", "url")),
    "source.publisher",
]


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
        "reported_total",  # the week of 1 January 2024: over $40bn since February 2022
        "event",  # 3 January 2024: the NATO-Ukraine Council meeting agreed
        "commitment",  # 13 November 2024: Biden's "every dollar"
        "mandate_end",  # January 2025: the handover, the U.S.-led mandate ends ...
        "mandate_start",  # ... and NATO's begins
        "event",  # 16 January 2025: the UK-Ukraine partnership
        "pause",  # the week of 30 June 2025
        "resumption",  # 7 July 2025
        "commitment",  # 10 July 2025: the Rome conference's commitment ...
        "entry",  # ... and its pledge
    ]


def test_commitment_announcements_and_reported_totals_are_dated_facts(
    api: APIClient, scenario: None
) -> None:
    rows = timeline(api)
    (biden,) = [r for r in rows if r["kind"] == "commitment" and "Every dollar" in r["title"]]
    assert biden["date"] == "2024-11-13"
    assert biden["donor"]["name"] == "United States"
    assert biden["recipient"]["name"] == "Ukraine"
    assert biden["source"]["publisher"] == "RFE/RL"
    (total,) = [r for r in rows if r["kind"] == "reported_total"]
    assert total["date"] == "2024-01-01"  # the week it was reported for
    assert (total["amount"], total["currency"], total["qualifier"]) == (
        "40000000000.0000",
        "USD",
        "at_least",
    )
    assert total["title"] == "Total reported since 2022-02-01"
    assert total["detail"] == "disbursement"
    assert total["donor"]["name"] == "United States"


def test_no_related_object_is_a_bare_id(api: APIClient, scenario: None) -> None:
    """Each related object is its id, name and URL, and the URL serves that object."""
    for row in timeline(api):
        assert set(row) == FIELDS
        assert row["source"] is not None
        for role in RELATED:
            related = row[role]
            if related is None:
                continue
            assert set(related) >= {"id", "name", "url"}, (row["kind"], role)
            assert related["name"], (row["kind"], role)
            served = api.get(related["url"]).json()
            assert served["id"] == related["id"]
            assert related["name"] == served.get("name", served.get("title"))


def test_each_row_links_to_the_record_it_comes_from(api: APIClient, scenario: None) -> None:
    for row in timeline(api):
        served = api.get(row["url"])
        assert served.status_code == 200, row
        assert served.json()["id"] == row["id"]


def test_the_pause_precedes_its_resumption(api: APIClient, scenario: None) -> None:
    rows = timeline(api)
    pause = next(i for i, row in enumerate(rows) if row["kind"] == "pause")
    resumption = next(i for i, row in enumerate(rows) if row["kind"] == "resumption")
    assert pause < resumption
    assert rows[pause]["id"] == rows[resumption]["id"]  # the same Pause row
    assert (rows[pause]["date"], rows[resumption]["date"]) == ("2025-06-30", "2025-07-07")
    assert rows[pause]["title"] == "weapons shipments to Ukraine"


def test_each_row_names_its_source(api: APIClient, scenario: None) -> None:
    titles = dict(Source.objects.values_list("pk", "title"))
    for row in timeline(api):
        assert row["source"]["name"] == titles[row["source"]["id"]]


def test_filter_by_kind(api: APIClient, scenario: None) -> None:
    assert kinds(timeline(api, kind="event")) == ["event", "event"]
    assert kinds(timeline(api, kind="commitment")) == ["commitment", "commitment"]
    assert kinds(timeline(api, kind="reported_total")) == ["reported_total"]
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
    us_facts = ["reported_total", "commitment", "pause", "resumption"]
    assert kinds(timeline(api, donor=united_states.pk)) == us_facts
    assert kinds(timeline(api, donor=conference.pk)) == ["commitment", "entry"]
    both = timeline(api, donor=[united_states.pk, conference.pk])
    assert kinds(both) == [*us_facts, "commitment", "entry"]


def test_filter_by_body(api: APIClient, scenario: None) -> None:
    council = CoordinationBody.objects.get(name="NATO-Ukraine Council")
    us_led = CoordinationBody.objects.get(name__startswith="U.S.-led")
    assert kinds(timeline(api, body=council.pk)) == ["event"]
    assert kinds(timeline(api, body=us_led.pk)) == ["mandate_start", "mandate_end"]


def test_filter_by_date_range(api: APIClient, scenario: None) -> None:
    rows = timeline(api, since="2025-01-01", until="2025-06-30")
    assert kinds(rows) == ["mandate_end", "mandate_start", "event", "pause"]
    assert kinds(timeline(api, since="2025-07-07")) == ["resumption", "commitment", "entry"]
    assert kinds(timeline(api, until="2023-12-31")) == ["mandate_start"]
    assert timeline(api, since="2025-07-11") == []


def test_filters_combine(api: APIClient, scenario: None) -> None:
    united_states = Organization.objects.get(name="United States")
    rows = timeline(api, donor=united_states.pk, kind="resumption", since="2025-07-01")
    assert kinds(rows) == ["resumption"]


def test_it_is_paginated(api: APIClient, scenario: None) -> None:
    body = api.get(URL, {"page_size": 3}).json()
    assert body["count"] == 11
    assert len(body["results"]) == 3
    rest = api.get(body["next"]).json()["results"]
    assert rest[0]["date"] >= body["results"][-1]["date"]


def test_csv(api: APIClient, scenario: None) -> None:
    response = api.get(URL, {"format": "csv", "kind": "pause"})
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header == CSV_HEADER
    ((pause,),) = [[dict(zip(header, row, strict=True)) for row in rows]]
    assert (pause["date"], pause["kind"]) == ("2025-06-30", "pause")
    assert pause["donor.name"] == "United States"
    assert pause["donor.url"].endswith(f"/api/v1/organizations/{pause['donor.id']}/")
    assert pause["recipient.id"] == ""


def test_a_page_costs_the_same_queries_for_one_row_as_for_fifty(
    api: APIClient, scenario: None
) -> None:
    """Names and URLs come with the rows: no query per row, whatever the kind."""
    ukraine = Organization.objects.get(name="Ukraine")
    united_kingdom = Organization.objects.get(name="United Kingdom")
    body = CoordinationBody.objects.first()
    source = Source.objects.first()
    assert body is not None
    assert source is not None
    for i in range(20):
        commitment = services.create_commitment(
            donor=united_kingdom,
            recipient=ukraine,
            title=f"Package {i}",
            category="military",
            announced_on=date(2025, 8, 1),
            channel=body,
            source=source,
        )
        services.record_entry(
            commitment=commitment,
            stage="commitment",
            amount=Decimal(i + 1),
            currency="GBP",
            value_date=date(2025, 8, 2),
            source=source,
        )
        services.record_reported_total(
            donor=united_kingdom,
            stage="pledge",
            amount=Decimal(i + 1),
            currency="GBP",
            period_start=date(2022, 1, 1),
            as_of=date(2025, 8, 3),
            source=source,
        )

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = results(api.get(URL, {"page_size": page_size}))
        assert len(rows) == page_size
        return len(captured)

    queries(1)  # warm any per-process caches
    assert queries(1) == queries(50)


def test_what_an_editor_records_joins_the_timeline(
    api: APIClient, editor: APIClient, scenario: None
) -> None:
    united_kingdom = Organization.objects.get(name="United Kingdom")
    source_id = timeline(api)[0]["source"]["id"]
    created = editor.post(
        "/api/v1/pauses/",
        {"donor": united_kingdom.pk, "paused_on": "2025-08-01", "source": source_id},
        format="json",
        HTTP_IDEMPOTENCY_KEY="timeline-uk-pause",
    )
    assert created.status_code == 201, created.content
    rows = timeline(api, donor=united_kingdom.pk)
    assert [(row["date"], row["kind"]) for row in rows] == [("2025-08-01", "pause")]
