"""summary/ is ``ledger.selectors.figures`` over HTTP: grouped by one or more of donor,
category, recipient, stage, year, month, day and commitment, in the currency asked for, on both
time axes, narrowed by the commitments' filters, paginated, and as CSV whose amounts stay
numbers (negative ones included)."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.csv import flatten
from ledger.models import Commitment
from ledger.selectors import MEASURES, figures
from tests.api.base import ALL, csv_rows, results, streamed
from tests.api.world import World

URL = "/api/v1/summary/"
COUNTS = {"entry_count", "unconverted_entries"}


def plain(value: Any) -> Any:
    """A selector's group value (or the rates it used) as the API writes it."""
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def assert_rows_match(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(found) == len(expected) > 0
    for api_row, row in zip(found, expected, strict=True):
        for column in set(row) - set(MEASURES):
            assert api_row[column] == plain(row[column]), column
        for measure in MEASURES:
            if measure in COUNTS:
                assert api_row[measure] == row[measure], measure
            else:
                assert isinstance(api_row[measure], str)
                assert Decimal(api_row[measure]) == row[measure], measure


def summary(client: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = client.get(URL, {**params, **ALL})
    return results(response)


# What each grouping adds to a row (the API's contract, so spelt out here).
COLUMNS = {
    "commitment": {"commitment", "commitment_title"},
    "donor": {"donor", "donor_name"},
    "recipient": {"recipient", "recipient_name"},
    "category": {"category"},
    "stage": {"stage"},
    "year": {"year"},
    "month": {"month"},
    "day": {"day"},
}
GROUPS = [*COLUMNS, "donor,category", "category,donor", "year,stage", "recipient,month"]


@pytest.mark.parametrize("group_by", GROUPS)
def test_rows_are_the_selectors_figures(api: APIClient, world: World, group_by: str) -> None:
    groups = group_by.split(",")
    found = summary(api, group_by=group_by)
    assert_rows_match(found, list(figures(group_by=groups)))
    for row in found:
        grouped = {column for g in groups for column in COLUMNS[g]}
        assert set(row) == set(MEASURES) | grouped | {"currency", "rates"}
        assert row["currency"] == "EUR"


def test_the_default_grouping_is_by_donor(api: APIClient, world: World) -> None:
    found = summary(api)
    assert {row["donor_name"] for row in found} == {"United States", "United Kingdom"}
    assert_rows_match(found, list(figures(group_by=["donor"])))


@pytest.mark.parametrize("currency", ["USD", "GBP", "JPY"])
def test_in_the_currency_asked_for(api: APIClient, world: World, currency: str) -> None:
    found = summary(api, group_by="donor,stage", currency=currency)
    assert {row["currency"] for row in found} == {currency}
    assert_rows_match(found, list(figures(group_by=["donor", "stage"], currency=currency)))


def test_as_of_a_date(api: APIClient, world: World) -> None:
    found = summary(api, group_by="donor", currency="USD", as_of="2025-02-15")
    expected = list(figures(group_by=["donor"], currency="USD", as_of=date(2025, 2, 15)))
    assert_rows_match(found, expected)
    # The U.K.'s only entry has a later value date.
    assert {row["donor_name"] for row in found} == {"United States"}


def test_known_at_a_moment(api: APIClient, world: World) -> None:
    moment = world.relief_entry.recorded_at
    found = summary(api, group_by="commitment", known_at=moment.isoformat())
    assert_rows_match(found, list(figures(group_by=["commitment"], known_at=moment)))
    # The reversal and the training entry were recorded after that moment.
    assert sum(row["entry_count"] for row in found) == 3


@pytest.mark.parametrize(
    ("params", "narrowed"),
    [
        ({"donor": "uk"}, lambda w: Commitment.objects.filter(donor=w.united_kingdom)),
        ({"category": "military"}, lambda w: Commitment.objects.filter(category="military")),
        ({"stage": "disbursement"}, lambda w: Commitment.objects.filter(pk=w.training.pk)),
        ({"q": "training"}, lambda w: Commitment.objects.filter(pk=w.training.pk)),
        (
            {"announced_on__gte": "2025-01-01"},
            lambda w: Commitment.objects.exclude(pk=w.training.pk),
        ),
    ],
)
def test_commitment_filters_narrow_it(
    api: APIClient, world: World, params: dict[str, str], narrowed: Any
) -> None:
    if params.get("donor") == "uk":
        params = {"donor": str(world.united_kingdom.pk)}
    found = summary(api, group_by="commitment", **params)
    expected = list(figures(group_by=["commitment"], commitments=narrowed(world)))
    assert_rows_match(found, expected)
    assert len(found) < len(list(figures(group_by=["commitment"])))


def test_it_is_paginated(api: APIClient, world: World) -> None:
    query: dict[str, Any] = {"group_by": "commitment", "page_size": 1}
    body = api.get(URL, query).json()
    assert body["count"] == 3
    assert len(body["results"]) == 1
    assert "page=2" in body["next"]
    second = api.get(body["next"]).json()["results"]
    assert second[0]["commitment"] != body["results"][0]["commitment"]


def test_amounts_are_decimal_strings(api: APIClient, world: World) -> None:
    def no_floats(text: str) -> Any:
        raise AssertionError(f"a float in the JSON: {text}")

    json.loads(api.get(URL, {"group_by": "donor,month"}).content, parse_float=no_floats)


def test_csv_streams_every_row_with_numbers_unquoted(api: APIClient, world: World) -> None:
    response = api.get(URL, {"group_by": "donor", "currency": "USD", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="summary.csv"' in response["Content-Disposition"]
    text = streamed(response)
    header, *lines = text.splitlines()
    assert header.split(",")[:3] == ["pledged", "committed", "allocated"]
    expected = list(figures(group_by=["donor"], currency="USD"))
    assert len(lines) == len(expected)
    united_states = next(line for line in lines if "United States" in line)
    # 100 USD delivered under no commitment: outstanding is negative, and stays a number.
    assert ",-100.00," in united_states
    assert "'" not in united_states
    assert '"' not in united_states
    assert united_states.startswith("500.00,")


def test_csv_has_the_same_rows_as_json(api: APIClient, world: World) -> None:
    params = {"group_by": "donor,category,stage", "currency": "GBP"}
    header, *rows = csv_rows(api.get(URL, {**params, "format": "csv"}))
    found = summary(api, **params)
    assert [dict(zip(header, row, strict=True)) for row in rows] == [
        {key: "" if value is None else str(value) for key, value in flatten(row).items()}
        for row in found
    ]
