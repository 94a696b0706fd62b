"""A small fuzzer of the write operations: every ``POST`` the OpenAPI schema describes gets,
field by field, a fixed list of hostile values for the field's type (numbers too large for
a float, lone surrogates, NUL characters, 10,000 levels of nesting, huge integers, very
long strings, wrong types) in an otherwise valid body, with an editor key and an
Idempotency-Key. No answer may be a 5xx or anything but JSON in the error shape, and a
400 must name the field that was spoiled.

Unlike tests/api/test_schemathesis.py, which generates schema-shaped input and checks the
answers against the schema, this sends what no generator produces from a schema (JSON
that Python's float cannot hold, escapes that no UTF-8 can encode), and checks that the
error names the field. Deterministic and bounded: the same 1,500-odd requests, no
randomness, each operation a test of its own.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.views import APIView

from tests.api.base import assert_error
from tests.api.world import World

# What a value becomes in the body: raw JSON text, so that what Python's json module would
# not write (1e400, a 5,000-digit integer, a lone surrogate's escape) reaches the server.
SPOILED = "@@spoiled@@"

DEEP = "[" * 10_000 + "]" * 10_000
HUGE_INTEGER = "9" * 5_000

# For every field, whatever its type.
ANY_TYPE = [
    "1e400",
    "-1e400",
    "1.5",
    "true",
    "false",
    "null",
    '"\\ud800"',
    '"\\udfff\\ud800"',
    '"\\u0000"',
    '"a\\u0000b"',
    "[]",
    "{}",
    '{"\\u0000": "x"}',
    '{"\\ud800": "x"}',
    DEEP,
    HUGE_INTEGER,
    str(2**64),
]
BY_TYPE = {
    "integer": [
        "-1",
        "0",
        "2.0",
        "1e3",
        str(2**63),
        str(2**63 - 1),
        "-" + str(2**63 + 1),
        '"1.5"',
        '"1e400"',
        '"\\u0661"',
        '" 1"',
        '"' + "9" * 30 + '"',
    ],
    "string": ['"' + "x" * 100_000 + '"', "12", '"\\ud83d\\ude00"', '"' + "\\u0000" * 300 + '"'],
    "number": [
        "1.00000000000000000001",
        "1234567890123.45678",
        "12345678901234567.1",
        "1e-400",
        "1e20",
        "-0",
        "0",
        '"NaN"',
        '"Infinity"',
        '"1e400"',
        '"\\ud800"',
    ],
    "date": ['"2025-02-30"', '"99999-01-01"', '"2025-01-01\\u0000"', "20250101"],
    "date-time": ['"2025-01-01T25:00:00Z"', '"99999-01-01T00:00:00Z"', "1e400"],
    "array": ["[1e400]", '["\\ud800"]', '["\\u0000"]', "[[[]]]", "[true]", "[1.5]", '"abc"'],
    "object": [
        '{"iati": "\\u0000"}',
        '{"iati": "\\ud800"}',
        '{"iati": 1e400}',
        '{"iati": ["x"]}',
        '{"' + "k" * 500 + '": "v"}',
        '"abc"',
    ],
}


def load_schema() -> dict[str, Any]:
    """The schema as the app serves it (the schema view reads no database, so this runs
    when the module is collected and each operation is a test of its own)."""
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


SCHEMA = load_schema()


def write_operations() -> list[tuple[str, dict[str, Any]]]:
    """(path, request body schema) of every POST."""
    operations = []
    for path, methods in SCHEMA["paths"].items():
        if "post" in methods:
            body = methods["post"]["requestBody"]["content"]["application/json"]["schema"]
            operations.append((path, resolve(body)))
    return operations


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its ``$ref`` (or the first of ``allOf``/``oneOf``) followed."""
    for combination in ("allOf", "oneOf"):
        if combination in schema:
            return resolve(schema[combination][0])
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return resolve(SCHEMA["components"]["schemas"][name])
    return schema


def field_type(schema: dict[str, Any]) -> str:
    resolved = resolve(schema)
    kind = resolved.get("type", "string")
    if kind == "string" and resolved.get("format") in {"date", "date-time"}:
        return str(resolved["format"])
    return str(kind)


def hostile_values(schema: dict[str, Any]) -> list[str]:
    return ANY_TYPE + BY_TYPE.get(field_type(schema), [])


# A valid body for each write operation, from the world; each field in turn is spoiled.
Body = Callable[[World], dict[str, Any]]
VALID: dict[str, Body] = {
    "/api/v1/organizations/": lambda w: {"name": "Caritas", "kind": "ngo", "aliases": ["CI"]},
    "/api/v1/sources/": lambda w: {
        "url": "https://example.org/press/9",
        "title": "Press note",
        "published_on": "2025-01-02",
        "retrieved_at": "2025-01-03T10:00:00Z",
    },
    "/api/v1/commitments/": lambda w: {
        "donor": w.united_kingdom.pk,
        "recipient": w.ukraine.pk,
        "title": "Winter aid",
        "category": "humanitarian",
        "instrument": "grant",
        "announced_on": "2025-10-01",
        "period_start": "2025-10-01",
        "period_end": "2025-12-31",
        "channel": w.contact_group.pk,
        "source": w.news.pk,
        "identifiers": {"other": "winter-2025"},
    },
    "/api/v1/entries/": lambda w: {
        "commitment": w.drawdown.pk,
        "stage": "disbursement",
        "amount": "100.00",
        "currency": "USD",
        "value_date": "2025-07-01",
        "source": w.news.pk,
        "note": "Second tranche.",
    },
    "/api/v1/entries/{id}/reverse/": lambda w: {"source": w.news.pk, "reason": "Twice."},
    "/api/v1/pauses/": lambda w: {
        "donor": w.united_kingdom.pk,
        "category": "military",
        "description": "air defence",
        "paused_on": "2025-08-04",
        "ordered_by": w.pentagon.pk,
        "source": w.news.pk,
    },
    "/api/v1/pauses/{id}/resume/": lambda w: {"resumed_on": "2025-04-01", "source": w.news.pk},
    "/api/v1/mandates/": lambda w: {
        "body": w.contact_group.pk,
        "responsibility": w.demining.pk,
        "starts_on": "2023-01-01",
        "ends_on": "2024-01-01",
        "source": w.news.pk,
    },
    "/api/v1/events/": lambda w: {
        "kind": "statement",
        "title": "Joint statement",
        "occurred_on": "2025-02-24",
        "body": w.nato_body.pk,
        "participants": [w.united_kingdom.pk],
        "source": w.news.pk,
    },
    "/api/v1/news/candidates/{id}/accept/": lambda w: {
        "changes": {"currency": "usd", "category": "financial"},
        "details": {"title": "Reconstruction pledge"},
    },
    "/api/v1/news/candidates/{id}/reject/": lambda w: {"reason": "Not a pledge."},
}
PATH_IDS: dict[str, Callable[[World], int]] = {
    "/api/v1/entries/{id}/reverse/": lambda w: w.relief_entry.pk,
    "/api/v1/pauses/{id}/resume/": lambda w: w.relief_pause.pk,
    "/api/v1/news/candidates/{id}/accept/": lambda w: w.candidate.pk,
    "/api/v1/news/candidates/{id}/reject/": lambda w: w.candidate.pk,
}
OPERATIONS = write_operations()


def schema_allows(value: str, schema: dict[str, Any]) -> bool:
    """Whether the schema allows the value, which is then refused (if at all) for what it
    means with the rest of the body (an open-ended mandate overlapping another), so the
    error may name another field."""
    resolved = resolve(schema)
    return (
        (value == "null" and bool(schema.get("nullable") or resolved.get("nullable")))
        or (value == "[]" and resolved.get("type") == "array")
        or (value == "{}" and resolved.get("type") == "object")
    )


def spoiled_bodies(
    path: str, schema: dict[str, Any], world: World
) -> Iterator[tuple[str, str, str, bool]]:
    """(field, hostile value, JSON body, whether the schema allows the value) for every
    field of the operation and every hostile value for its type, the rest of the body
    valid."""
    valid = VALID[path](world)
    for field, field_schema in schema["properties"].items():
        template = json.dumps({**valid, field: SPOILED})
        for value in hostile_values(field_schema):
            body = template.replace(json.dumps(SPOILED), value)
            yield field, value, body, schema_allows(value, field_schema)


def problem(response: Any, field: str, *, allowed: bool) -> str | None:
    """What is wrong with the answer to a body whose ``field`` was spoiled, if anything."""
    if response.status_code >= 500:
        return f"answered {response.status_code}"
    if response.status_code < 400:
        return None
    if not response["Content-Type"].startswith("application/json"):
        return f"answered {response.status_code} in {response['Content-Type']}"
    try:
        body = assert_error(response, response.status_code)
    except (AssertionError, ValueError) as error:
        return f"answered {response.status_code} out of the error shape: {error}"
    if response.status_code == 400 and not allowed and field not in body.get("fields", {}):
        return f"answered 400 without naming {field}: {body}"
    return None


def test_every_write_operation_has_a_valid_body() -> None:
    """A new write operation needs its valid body here before it is fuzzed."""
    assert {path for path, _ in OPERATIONS} == set(VALID)


@pytest.fixture
def editor_seeing_500s(editor_by_key: APIClient, monkeypatch: pytest.MonkeyPatch) -> APIClient:
    """The editor's client, answering a server error as the server would (500) rather than
    raising it, so that one test counts all of them; unthrottled, since hundreds of writes
    with one key would otherwise be 429s that test nothing."""
    monkeypatch.setattr(APIView, "get_throttles", lambda view: [])
    editor_by_key.raise_request_exception = False
    return editor_by_key


@pytest.mark.parametrize(("path", "schema"), OPERATIONS, ids=[path for path, _ in OPERATIONS])
def test_hostile_values_in_every_field_are_refused_by_name(
    editor_seeing_500s: APIClient, world: World, path: str, schema: dict[str, Any]
) -> None:
    url = path.format(id=PATH_IDS[path](world)) if "{id}" in path else path
    problems = []
    for number, (field, value, body, allowed) in enumerate(spoiled_bodies(path, schema, world)):
        # Each body alone: what one wrote (a name "12" that was accepted) must not
        # decide how the next is answered.
        with transaction.atomic():
            response = editor_seeing_500s.post(
                url,
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"hostile-{number}",
            )
            transaction.set_rollback(True)
        found = problem(response, field, allowed=allowed)
        if found:
            problems.append(f"{field} = {value[:40]}: {found}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", [p for p in VALID if "{id}" in p])
@pytest.mark.parametrize("pk", ["1e400", "1.5", "-1", str(2**64), HUGE_INTEGER, "%00"])
def test_hostile_ids_in_the_path_are_404(
    editor_seeing_500s: APIClient, world: World, path: str, pk: str
) -> None:
    response = editor_seeing_500s.post(
        path.format(id=pk), VALID[path](world), format="json", HTTP_IDEMPOTENCY_KEY="hostile"
    )
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    "path", [p for p in VALID if p.endswith(("entries/", "pauses/", "events/", "mandates/"))]
)
def test_an_idempotency_key_header_longer_than_the_column_is_400_naming_it(
    editor_seeing_500s: APIClient, world: World, path: str
) -> None:
    response = editor_seeing_500s.post(
        path, VALID[path](world), format="json", HTTP_IDEMPOTENCY_KEY="k" * 5000
    )
    assert "idempotency_key" in assert_error(response, 400)["fields"]
