"""Query parameters are validated, never guessed at: an unknown one, a malformed date, an
unknown currency or grouping is a 400 that names the parameter in ``fields`` (and never a
500), on the resources and on the two reports alike."""

from typing import Any
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from tests.api.base import assert_error
from tests.api.world import World

BAD = [
    # (endpoint, parameters, the parameter named)
    ("commitments", {"announced_on__gte": "2025-13-01"}, "announced_on__gte"),
    ("commitments", {"currency": "XYZ"}, "currency"),
    ("commitments", {"currency": "CHF"}, "currency"),  # ISO 4217, but the ledger has no rates
    ("commitments", {"currency": "EURO"}, "currency"),
    ("commitments", {"as_of": "yesterday"}, "as_of"),
    ("commitments", {"known_at": "2025-02-30T10:00:00Z"}, "known_at"),
    ("commitments", {"donor": "abc"}, "donor"),
    ("commitments", {"donor": "987654321"}, "donor"),
    ("commitments", {"category": "cultural"}, "category"),
    ("commitments", {"stage": "promise"}, "stage"),
    ("commitments", {"group_by": "donor"}, "group_by"),  # a summary parameter, not a list one
    ("entries", {"amount__gte": "lots"}, "amount__gte"),
    ("entries", {"is_reversal": "perhaps"}, "is_reversal"),
    ("entries", {"value_date": "2025-02-29"}, "value_date"),
    ("entries", {"recorded_at__lte": "noon"}, "recorded_at__lte"),
    ("pauses", {"active_on": "2025-07"}, "active_on"),
    ("mandates", {"active_on": "tomorrow"}, "active_on"),
    ("mandates", {"ends_on__isnull": "maybe"}, "ends_on__isnull"),
    ("organizations", {"kind": "club"}, "kind"),
    ("organizations", {"is_verified": "sometimes"}, "is_verified"),
    ("fx-rates", {"rate__gte": "1,5"}, "rate__gte"),
    ("events", {"kind": "party"}, "kind"),
    ("reported-totals", {"as_of__gte": "2025-02-30"}, "as_of__gte"),
    ("pauses", {"resumed_on__isnull": "yes"}, "resumed_on__isnull"),
    ("sources", {"published_on": "2025-00-10"}, "published_on"),
    ("summary", {"group_by": "country"}, "group_by"),
    ("summary", {"group_by": "donor,planet"}, "group_by"),
    ("summary", {"group_by": ","}, "group_by"),
    ("summary", {"currency": "XYZ"}, "currency"),
    ("summary", {"as_of": "2025-13-01"}, "as_of"),
    ("summary", {"known_at": "then"}, "known_at"),
    ("summary", {"announced_on__gte": "2025-13-01"}, "announced_on__gte"),
    ("summary", {"donor": "abc"}, "donor"),
    ("summary", {"ordering": "donor"}, "ordering"),  # summary rows keep the groups' order
    ("summary", {"colour": "blue"}, "colour"),
    ("timeline", {"kind": "rumour"}, "kind"),
    ("timeline", {"since": "2025-13-01"}, "since"),
    ("timeline", {"until": "later"}, "until"),
    ("timeline", {"donor": "abc"}, "donor"),
    ("timeline", {"body": "987654321"}, "body"),
    ("timeline", {"ordering": "date"}, "ordering"),
    ("timeline", {"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize(
    ("endpoint", "params", "name"), BAD, ids=[f"{e}?{urlencode(p)}" for e, p, _ in BAD]
)
def test_a_bad_parameter_is_400_naming_it(
    api: APIClient, world: World, endpoint: str, params: dict[str, Any], name: str
) -> None:
    body = assert_error(api.get(f"/api/v1/{endpoint}/", params), 400, "invalid")
    assert name in body["fields"], body
    assert name in body["message"]


def test_every_unknown_parameter_is_named(api: APIClient, world: World) -> None:
    response = api.get("/api/v1/organizations/", {"colour": "blue", "size": "big", "kind": "ngo"})
    body = assert_error(response, 400)
    assert set(body["fields"]) == {"colour", "size"}
    assert "2 fields" in body["message"]


def test_figure_parameters_are_known_to_commitments_only(api: APIClient, world: World) -> None:
    assert api.get("/api/v1/commitments/", {"currency": "USD"}).status_code == 200
    body = assert_error(api.get("/api/v1/entries/", {"as_of": "2025-01-01"}), 400)
    assert set(body["fields"]) == {"as_of"}


def test_the_detail_of_a_commitment_takes_the_figure_parameters(
    api: APIClient, world: World
) -> None:
    url = f"/api/v1/commitments/{world.drawdown.pk}/"
    assert api.get(url, {"currency": "GBP"}).json()["figures"]["currency"] == "GBP"
    assert "currency" in assert_error(api.get(url, {"currency": "XYZ"}), 400)["fields"]


def test_a_currency_is_read_in_any_case(api: APIClient, world: World) -> None:
    figures = api.get(f"/api/v1/commitments/{world.drawdown.pk}/", {"currency": "usd"}).json()[
        "figures"
    ]
    assert figures["currency"] == "USD"


def test_a_garbled_cursor_is_404(api: APIClient, world: World) -> None:
    assert_error(api.get("/api/v1/entries/", {"cursor": "not-a-cursor"}), 404, "not_found")


@pytest.mark.parametrize(("value", "count"), [("true", 3), ("1", 3), ("False", 1), ("0", 1)])
def test_a_boolean_filter_reads_true_and_false(
    api: APIClient, world: World, value: str, count: int
) -> None:
    response = api.get("/api/v1/organizations/", {"is_verified": value})
    assert response.json()["count"] == count


# --- inputs that once answered 500 (found by tests/api/test_schemathesis.py) -------------


@pytest.mark.parametrize(
    ("endpoint", "params", "name"),
    [
        ("fx-rates", {"source": "99999999999999999999"}, "source"),
        ("commitments", {"donor": ["1", "-99999999999999999999"]}, "donor"),
        ("summary", {"channel": "18446744073709551616"}, "channel"),
        ("timeline", {"donor": "99999999999999999999"}, "donor"),
        ("organizations", {"created_at__gte": "0001-01-01T00:00:00+05:00"}, "created_at__gte"),
    ],
)
def test_out_of_range_values_are_400(
    api: APIClient, world: World, endpoint: str, params: dict[str, Any], name: str
) -> None:
    """An id past 64 bits (SQLite cannot bind it) or a moment before year 1 in UTC."""
    body = assert_error(api.get(f"/api/v1/{endpoint}/", params), 400, "invalid")
    assert name in body["fields"]


@pytest.mark.parametrize(
    ("endpoint", "param", "value"),
    [
        ("entries", "reverses", "99999999999999999999"),
        ("entries", "reverses", "1.5"),
        ("mandates", "predecessor", "-99999999999999999999"),
    ],
)
def test_an_id_filter_takes_only_ids(
    api: APIClient, world: World, endpoint: str, param: str, value: str
) -> None:
    body = assert_error(api.get(f"/api/v1/{endpoint}/", {param: value}), 400, "invalid")
    assert param in body["fields"]


@pytest.mark.parametrize(
    ("endpoint", "param", "value"),
    [
        ("entries", "amount__gte", "1e400"),
        ("entries", "amount__lte", "123456789012345678901234567890.123456789"),
        ("fx-rates", "rate__lte", "-1e-400"),
        ("reported-totals", "amount__gte", "0.00000000000000000000001"),
    ],
)
def test_extreme_amounts_are_answered(
    api: APIClient, world: World, endpoint: str, param: str, value: str
) -> None:
    assert api.get(f"/api/v1/{endpoint}/", {param: value}).status_code in {200, 400}


def test_a_moment_with_any_offset_python_reads_is_accepted(api: APIClient, world: World) -> None:
    """PostgreSQL refuses offsets beyond ±15:59; the filters hand it UTC."""
    response = api.get("/api/v1/organizations/", {"created_at__gte": "2000-01-01T10:00-21:53"})
    assert response.status_code == 200
    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    "path", ["entries/1.5/", "organizations/-1e5/", "no-such-resource/", "entries/1/nothing/"]
)
def test_a_path_that_names_nothing_is_a_json_404(api: APIClient, world: World, path: str) -> None:
    response = api.get(f"/api/v1/{path}")
    assert response["Content-Type"] == "application/json"
    assert_error(response, 404, "not_found")


def test_a_path_without_its_slash_is_still_redirected(api: APIClient, world: World) -> None:
    response = api.get("/api/v1/entries")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/entries/"


@pytest.mark.parametrize("endpoint", ["organizations", "summary", "timeline"])
def test_an_error_is_json_even_when_csv_was_asked_for(
    api: APIClient, world: World, endpoint: str
) -> None:
    response = api.get(f"/api/v1/{endpoint}/", {"format": "csv", "colour": "blue"})
    assert response["Content-Type"] == "application/json"
    assert "colour" in assert_error(response, 400, "invalid")["fields"]
