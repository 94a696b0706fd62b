"""What the API reads from a JSON body, strictly: ids are whole numbers, amounts are kept
digit for digit or refused, and values no field or renderer can hold (1e400, lone
surrogates, NUL in a key, deep nesting) are 400s naming their field, never 500s.

Bodies are written as raw JSON text: Python's json module would not write 1e400, a lone
surrogate's escape or a 30-digit fraction as these clients sent them."""

import json
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger.models import Commitment, LedgerEntry
from tests.api.base import assert_error, new_key, post_json
from tests.api.world import World, entry_body

ENTRIES = "/api/v1/entries/"


def bodies(world: World) -> dict[str, dict[str, Any]]:
    return {
        ENTRIES: entry_body(world),
        "/api/v1/pauses/": {
            "donor": world.united_kingdom.pk,
            "ordered_by": world.pentagon.pk,
            "paused_on": "2025-08-04",
            "source": world.news.pk,
        },
        "/api/v1/organizations/": {"name": "Caritas", "kind": "ngo", "parent": world.ukraine.pk},
        "/api/v1/events/": {
            "kind": "statement",
            "title": "Joint statement",
            "occurred_on": "2025-02-24",
            "body": world.nato_body.pk,
            "participants": [world.united_kingdom.pk],
            "source": world.news.pk,
        },
        "/api/v1/commitments/": {
            "donor": world.united_kingdom.pk,
            "title": "Winter aid",
            "category": "humanitarian",
            "announced_on": "2025-10-01",
            "channel": world.contact_group.pk,
            "source": world.news.pk,
        },
    }


def post_raw(client: APIClient, url: str, body: dict[str, Any], field: str, raw: str) -> Any:
    """POST ``body`` with ``field`` set to the raw JSON text ``raw``."""
    text = json.dumps({**body, field: "@@raw@@"}).replace('"@@raw@@"', raw)
    return client.post(url, text, content_type="application/json", **new_key())


def refused_naming(response: Any, field: str) -> dict[str, Any]:
    body = assert_error(response, 400)
    assert field in body["fields"], body
    return body


# --- point 6 and 9: ids are whole numbers --------------------------------------------------

ID_FIELDS = [
    (ENTRIES, "commitment"),
    (ENTRIES, "source"),
    ("/api/v1/pauses/", "donor"),
    ("/api/v1/pauses/", "ordered_by"),
    ("/api/v1/organizations/", "parent"),
    ("/api/v1/events/", "body"),
    ("/api/v1/events/", "participants"),
    ("/api/v1/commitments/", "channel"),
]


@pytest.mark.parametrize(("url", "field"), ID_FIELDS)
@pytest.mark.parametrize("raw", ["1e400", "-1e400", "1.5", "2.0", "true", '"1.5"', "1" * 60])
def test_an_id_that_is_not_a_whole_number_is_400_naming_the_field(
    editor: APIClient, world: World, url: str, field: str, raw: str
) -> None:
    if field == "participants":
        raw = f"[{raw}]"
    refused_naming(post_raw(editor, url, bodies(world)[url], field, raw), field)


@pytest.mark.parametrize("raw", [str(2**63), str(2**64), "0", "-1"])
def test_an_id_beyond_the_key_s_range_is_400_naming_the_field(
    editor: APIClient, world: World, raw: str
) -> None:
    response = post_raw(editor, ENTRIES, entry_body(world), "commitment", raw)
    body = refused_naming(response, "commitment")
    assert body["fields"]["commitment"] == [
        "An id is a whole number from 1 to 9223372036854775807."
    ]


def test_an_id_that_names_no_row_is_400_naming_the_field(editor: APIClient, world: World) -> None:
    response = post_raw(editor, ENTRIES, entry_body(world), "commitment", str(2**63 - 1))
    assert "does not exist" in refused_naming(response, "commitment")["message"]


def test_an_id_as_digits_is_still_read(editor: APIClient, world: World) -> None:
    """Forms send ids as text; a JSON client that does the same is not refused."""
    body = {**entry_body(world), "commitment": str(world.drawdown.pk)}
    response = post_json(editor, ENTRIES, body)
    assert response.status_code == 201, response.content
    assert response.json()["commitment"]["id"] == world.drawdown.pk


# --- point 7: lone surrogates in choices ---------------------------------------------------

CHOICES = [
    (ENTRIES, "stage"),
    (ENTRIES, "value_date_precision"),
    ("/api/v1/organizations/", "kind"),
    ("/api/v1/events/", "kind"),
    ("/api/v1/commitments/", "category"),
    ("/api/v1/commitments/", "instrument"),
    ("/api/v1/pauses/", "category"),
    ("/api/v1/pauses/", "paused_on_precision"),
]


@pytest.mark.parametrize(("url", "field"), CHOICES)
def test_a_lone_surrogate_in_a_choice_is_400_with_it_escaped(
    editor: APIClient, world: World, url: str, field: str
) -> None:
    response = post_raw(editor, url, bodies(world)[url], field, '"x\\ud800"')
    body = refused_naming(response, field)
    assert "x\\ud800" in body["fields"][field][0]


# --- point 8: deep nesting and NUL in keys -------------------------------------------------


@pytest.mark.parametrize("field", ["note", "amount", "source", "unknown_field"])
def test_ten_thousand_levels_of_nesting_are_400_naming_the_field(
    editor: APIClient, world: World, field: str
) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    body = refused_naming(post_raw(editor, ENTRIES, entry_body(world), field, deep), field)
    assert "nest at most" in body["message"]


def test_brackets_inside_strings_are_not_nesting(editor: APIClient, world: World) -> None:
    note = "[" * 100 + '{"' * 100
    body = {**entry_body(world), "note": note}
    response = post_json(editor, ENTRIES, body)
    assert response.status_code == 201, response.content
    assert response.json()["note"] == note


def test_a_body_nested_deeply_at_the_top_is_a_parse_error(editor: APIClient) -> None:
    response = editor.post(ENTRIES, "[" * 10_000, content_type="application/json")
    assert_error(response, 400, "parse_error")


@pytest.mark.parametrize("key", ['"\\u0000"', '"iati\\u0000"', '"\\ud800"', '"isbn"'])
def test_an_identifier_of_no_known_scheme_is_400_naming_identifiers(
    editor: APIClient, world: World, key: str
) -> None:
    url = "/api/v1/commitments/"
    count = Commitment.objects.count()
    response = post_raw(editor, url, bodies(world)[url], "identifiers", f'{{{key}: "X-1"}}')
    assert "not an identifier scheme" in refused_naming(response, "identifiers")["message"]
    assert Commitment.objects.count() == count


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "{not json", '{"amount": 1,}'])
def test_a_body_that_is_not_json_is_a_parse_error(editor: APIClient, raw: str) -> None:
    assert_error(editor.post(ENTRIES, raw, content_type="application/json"), 400, "parse_error")


# --- point 10: amounts exactly as sent, or refused -----------------------------------------


# SQLite keeps decimals as binary floating point (about 15 significant digits, see the
# README): amounts longer than that are exact on PostgreSQL only.
ON_POSTGRESQL = pytest.mark.postgresql


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        pytest.param("1234567890123.4567", "1234567890123.4567", marks=ON_POSTGRESQL),
        pytest.param('"1234567890123.4567"', "1234567890123.4567", marks=ON_POSTGRESQL),
        pytest.param("9999999999999999.9999", "9999999999999999.9999", marks=ON_POSTGRESQL),
        ("123456789.25", "123456789.25"),
        ("0.0001", "0.0001"),
        ("1.50000", "1.5"),
        ("1e3", "1000"),
        ("250000000", "250000000"),
    ],
)
def test_an_amount_is_stored_exactly_as_sent(
    editor: APIClient, world: World, raw: str, stored: str
) -> None:
    response = post_raw(editor, ENTRIES, entry_body(world), "amount", raw)
    assert response.status_code == 201, response.content
    assert LedgerEntry.objects.get(pk=response.json()["id"]).amount == Decimal(stored)
    assert Decimal(str(response.json()["amount"])) == Decimal(stored)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("1.00000000000000000001", "decimal places"),
        ('"1.00000000000000000001"', "decimal places"),
        ("0.00001", "decimal places"),
        ("1e-400", "decimal places"),
        ("12345678901234567", "digits before the decimal point"),
        ("1e400", "digits before the decimal point"),
        ("9" * 60, "digits before the decimal point"),
    ],
)
def test_an_amount_the_ledger_cannot_store_exactly_is_refused_not_rounded(
    editor: APIClient, world: World, raw: str, says: str
) -> None:
    count = LedgerEntry.objects.count()
    response = post_raw(editor, ENTRIES, entry_body(world), "amount", raw)
    assert says in refused_naming(response, "amount")["fields"]["amount"][0]
    assert LedgerEntry.objects.count() == count
