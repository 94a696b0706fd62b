"""A commitment's figures through the API are ``ledger.selectors.figures`` for it, in the
currency asked for (EUR unless said), on both time axes: ``?as_of=`` a date (valid time)
and ``?known_at=`` a moment (transaction time). Money travels as decimal strings."""

import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger import services
from ledger.models import Commitment
from ledger.selectors import MEASURES, figures
from tests.api.world import World, later

MONEY = re.compile(r"^-?\d+\.\d{2}$")
COUNTS = {"entry_count", "unconverted_entries"}


def no_floats(text: str) -> Any:
    raise AssertionError(f"a float in the JSON: {text}")


def api_figures(client: APIClient, commitment: Commitment, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/v1/commitments/{commitment.pk}/", params)
    assert response.status_code == 200, response.content
    return json.loads(response.content, parse_float=no_floats)["figures"]


def selector_figures(commitment: Commitment, **params: Any) -> dict[str, Any]:
    rows = list(
        figures(
            group_by=["commitment"],
            commitments=Commitment.objects.filter(pk=commitment.pk),
            **params,
        )
    )
    return rows[0] if rows else dict.fromkeys(MEASURES, 0)


def assert_same(found: dict[str, Any], expected: dict[str, Any]) -> None:
    for measure in MEASURES:
        if measure in COUNTS:
            assert found[measure] == expected[measure], measure
        else:
            assert isinstance(found[measure], str), found
            assert MONEY.match(found[measure]), found
            assert Decimal(found[measure]) == expected[measure], measure


@pytest.mark.parametrize("name", ["drawdown", "relief", "training"])
def test_figures_are_in_euros_by_default(api: APIClient, world: World, name: str) -> None:
    commitment = getattr(world, name)
    found = api_figures(api, commitment)
    assert (found["currency"], found["as_of"], found["known_at"]) == ("EUR", None, None)
    assert_same(found, selector_figures(commitment))


@pytest.mark.parametrize("currency", ["USD", "GBP", "EUR", "JPY"])
def test_figures_in_the_currency_asked_for(api: APIClient, world: World, currency: str) -> None:
    found = api_figures(api, world.drawdown, currency=currency)
    assert found["currency"] == currency
    assert_same(found, selector_figures(world.drawdown, currency=currency))


def test_the_drawdowns_figures_by_hand(api: APIClient, world: World) -> None:
    """500 USD pledged; 300 EUR committed then reversed: nothing committed."""
    found = api_figures(api, world.drawdown, currency="USD")
    assert found["pledged"] == "500.00"
    assert found["committed"] == "0.00"
    assert found["entry_count"] == 3
    # In euros at the rate of the pledge's value date (1.25 USD per euro).
    assert api_figures(api, world.drawdown)["pledged"] == "400.00"


@pytest.mark.parametrize("as_of", [date(2025, 1, 1), date(2025, 1, 2), date(2025, 2, 15)])
def test_as_of_keeps_the_entries_whose_value_date_has_come(
    api: APIClient, world: World, as_of: date
) -> None:
    found = api_figures(api, world.drawdown, currency="USD", as_of=as_of.isoformat())
    assert found["as_of"] == as_of.isoformat()
    assert_same(found, selector_figures(world.drawdown, currency="USD", as_of=as_of))


def test_known_at_shows_what_the_ledger_knew_then(api: APIClient, world: World) -> None:
    first = services.record_entry(
        commitment=world.relief,
        stage="disbursement",
        amount=Decimal("50"),
        currency="GBP",
        value_date=date(2025, 3, 20),
        source=world.news,
    )
    later()
    second = services.record_entry(
        commitment=world.relief,
        stage="disbursement",
        amount=Decimal("25"),
        currency="GBP",
        value_date=date(2025, 3, 20),
        source=world.news,
    )
    between = first.recorded_at + (second.recorded_at - first.recorded_at) / 2
    assert first.recorded_at < between < second.recorded_at
    then = api_figures(api, world.relief, currency="GBP", known_at=between.isoformat())
    assert then["disbursed"] == "50.00"
    assert datetime.fromisoformat(then["known_at"]) == between
    assert_same(then, selector_figures(world.relief, currency="GBP", known_at=between))
    now = api_figures(api, world.relief, currency="GBP")
    assert now["disbursed"] == "75.00"


def test_known_at_without_an_offset_is_read_as_utc(api: APIClient, world: World) -> None:
    found = api_figures(api, world.drawdown, known_at="2020-01-01T00:00:00")
    assert found["known_at"] == "2020-01-01T00:00:00Z"
    assert found["entry_count"] == 0  # nothing was recorded then


def test_both_axes_at_once(api: APIClient, world: World) -> None:
    moment = world.committed.recorded_at
    found = api_figures(
        api, world.drawdown, currency="USD", as_of="2025-03-01", known_at=moment.isoformat()
    )
    assert_same(
        found,
        selector_figures(world.drawdown, currency="USD", as_of=date(2025, 3, 1), known_at=moment),
    )


def test_the_list_carries_each_commitments_own_figures(api: APIClient, world: World) -> None:
    response = api.get("/api/v1/commitments/", {"currency": "USD", "as_of": "2025-12-31"})
    rows = json.loads(response.content, parse_float=no_floats)["results"]
    assert len(rows) == 3
    for row in rows:
        commitment = Commitment.objects.get(pk=row["id"])
        expected = selector_figures(commitment, currency="USD", as_of=date(2025, 12, 31))
        assert_same(row["figures"], expected)


def test_amounts_are_decimal_strings_everywhere(api: APIClient, world: World) -> None:
    for url in ("/api/v1/entries/", "/api/v1/reported-totals/", "/api/v1/fx-rates/"):
        rows = json.loads(api.get(url).content, parse_float=no_floats)["results"]
        for row in rows:
            for key in ("amount", "signed_amount", "rate"):
                if key in row:
                    assert isinstance(row[key], str)
                    Decimal(row[key])


def test_a_commitment_without_entries_shows_zeros(
    api: APIClient, world: World, editor: APIClient
) -> None:
    commitment = services.create_commitment(
        donor=world.united_kingdom,
        title="Announced, not yet funded",
        category="military",
        announced_on=date(2025, 9, 1),
        source=world.news,
    )
    found = api_figures(api, commitment, currency="USD")
    assert found["pledged"] == found["outstanding"] == "0.00"
    assert found["entry_count"] == 0
