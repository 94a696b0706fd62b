"""The OpenAPI description is served, browsable and valid: drf-spectacular's own validation
passes without a single warning, and it documents what the code does (the API-key scheme,
the error shape on every operation, the figure parameters, the idempotency header)."""

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from tests.api.world import World


def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_openapi_3(client: Client, db: None) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "aidledger API"


def test_the_docs_page_is_html(client: Client, db: None) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"swagger" in response.content.lower()


def test_the_schema_validates_without_warnings(tmp_path: Path, db: None) -> None:
    target = tmp_path / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=StringIO()
    )
    assert yaml.safe_load(target.read_text())["paths"]


def test_every_resource_and_report_is_described(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for resource in (
        "organizations",
        "commitments",
        "entries",
        "pauses",
        "coordination-bodies",
        "mandates",
        "sources",
        "fx-rates",
        "events",
        "reported-totals",
    ):
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths
    assert {"/api/v1/summary/", "/api/v1/timeline/"} <= set(paths)
    assert "/api/v1/entries/{id}/reverse/" in paths
    assert "/api/v1/pauses/{id}/resume/" in paths


def test_every_operation_documents_the_error_shape(client: Client, db: None) -> None:
    document = schema(client)
    assert document["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "429"):
                assert status in operation["responses"], f"{method.upper()} {path} {status}"


def test_the_api_key_scheme_is_described(client: Client, db: None) -> None:
    schemes = schema(client)["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'An editor or viewer key, sent as "Api-Key <key>".',
    }


def test_commitments_take_the_figure_parameters(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for path in ("/api/v1/commitments/", "/api/v1/commitments/{id}/"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"currency", "as_of", "known_at"} <= names, path


KEYED_WRITES = [
    "/api/v1/entries/",
    "/api/v1/entries/{id}/reverse/",
    "/api/v1/pauses/",
    "/api/v1/pauses/{id}/resume/",
    "/api/v1/mandates/",
    "/api/v1/events/",
]


def header_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}


def test_writes_of_dated_facts_require_an_idempotency_key(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for path in KEYED_WRITES:
        operation = paths[path]["post"]
        key = header_parameters(operation)["Idempotency-Key"]
        assert key["required"] is True, path
        assert key["schema"] == {"type": "string", "minLength": 1, "maxLength": 200}, path
        assert "428" in operation["responses"], path


def test_writes_of_rows_with_an_identity_take_no_key(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for path in ("organizations", "sources", "commitments"):
        operation = paths[f"/api/v1/{path}/"]["post"]
        assert header_parameters(operation) == {}, path
        assert "428" not in operation["responses"], path


def test_a_mandate_write_documents_the_handover(client: Client, db: None) -> None:
    document = schema(client)
    operation = document["paths"]["/api/v1/mandates/"]["post"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    answer = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    schemas = document["components"]["schemas"]
    assert schemas[request.rsplit("/", 1)[1]]["properties"]["hands_over"]["type"] == "boolean"
    ended = schemas[answer.rsplit("/", 1)[1]]["properties"]["ended"]
    assert ended["nullable"] is True
    (target,) = ended["allOf"]
    assert set(schemas[target["$ref"].rsplit("/", 1)[1]]["properties"]) == {
        "id",
        "url",
        "body",
        "starts_on",
        "ends_on",
    }


def test_entries_offer_no_put_patch_or_delete(client: Client, db: None) -> None:
    assert set(schema(client)["paths"]["/api/v1/entries/{id}/"]) == {"get"}


# --- what the schemathesis run found the schema saying wrongly ----------------------------


def test_reads_are_documented_as_open_to_anonymous_callers(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    assert {} in paths["/api/v1/organizations/"]["get"]["security"]
    assert {} not in paths["/api/v1/organizations/"]["post"]["security"]


def test_reads_closed_by_the_setting_are_documented_so(
    client: Client, db: None, settings: Any
) -> None:
    settings.API_READ_REQUIRES_AUTHENTICATION = True
    document = yaml.safe_load(client.get("/api/schema/", HTTP_AUTHORIZATION="").content)
    assert {} not in document["paths"]["/api/v1/organizations/"]["get"]["security"]


def test_the_reports_do_not_offer_an_ordering_they_refuse(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for path in ("/api/v1/summary/", "/api/v1/timeline/"):
        assert "ordering" not in {p["name"] for p in paths[path]["get"]["parameters"]}


def test_a_creation_documents_the_200_of_a_replay(client: Client, db: None) -> None:
    paths = schema(client)["paths"]
    for path in ("entries", "sources", "commitments", "entries/{id}/reverse"):
        responses = paths[f"/api/v1/{path}/"]["post"]["responses"]
        assert responses["200"]["content"] == responses["201"]["content"], path


def test_relations_that_may_be_empty_are_nullable(client: Client, db: None) -> None:
    schemas = schema(client)["components"]["schemas"]
    for component, field in [
        ("Organization", "parent"),
        ("Commitment", "channel"),
        ("Pause", "commitment"),
        ("Pause", "ordered_by"),
        ("Pause", "resumption_source"),
        ("Mandate", "end_source"),
        ("Event", "body"),
    ]:
        assert schemas[component]["properties"][field].get("nullable"), (component, field)
    assert not schemas["Commitment"]["properties"]["donor"].get("nullable")


def test_a_sources_document_url_may_be_empty(client: Client, db: None) -> None:
    document_url = schema(client)["components"]["schemas"]["Source"]["properties"]["document_url"]
    assert "format" not in document_url
    assert {"maxLength": 0} in document_url["anyOf"]


def test_a_summary_row_requires_only_its_figures(client: Client, db: None) -> None:
    row = schema(client)["components"]["schemas"]["SummaryRow"]
    assert "donor" not in row["required"]
    assert {"pledged", "entry_count", "currency"} <= set(row["required"])


# --- money: decimal strings with the bounds the API keeps --------------------------------

AMOUNTS = [  # (component, property) of every amount the ledger holds: greater than zero
    ("EntryInputRequest", "amount"),
    ("LedgerEntry", "amount"),
    ("ReportedTotal", "amount"),
]
FIGURES = [
    (component, measure)
    for component in ("Figures", "CommitmentFigures", "SummaryRow")
    for measure in ("pledged", "committed", "allocated", "disbursed", "outstanding", "on_hold")
]


def money_property(client: Client, component: str, name: str) -> dict[str, Any]:
    return schema(client)["components"]["schemas"][component]["properties"][name]


@pytest.mark.parametrize(("component", "name"), AMOUNTS)
def test_an_amount_is_a_positive_decimal_string(
    client: Client, db: None, component: str, name: str
) -> None:
    amount = money_property(client, component, name)
    assert (amount["type"], amount["format"]) == ("string", "decimal")
    assert (amount["minimum"], amount["exclusiveMinimum"]) == (0, True)
    assert (amount["maximum"], amount["exclusiveMaximum"]) == (10**16, True)
    pattern = re.compile(amount["pattern"])
    for refused in ("0", "0.0000", "-1", "-0.5000", "10000000000000000.0000", "1.00001", "1e3"):
        assert not pattern.match(refused), refused


def test_what_an_amount_may_be_sent_as_matches_its_pattern(client: Client, db: None) -> None:
    pattern = re.compile(money_property(client, "EntryInputRequest", "amount")["pattern"])
    for sent in ("1", "0.0001", "1500000.5", "9999999999999999.9999"):
        assert pattern.match(sent), sent


@pytest.mark.parametrize(("component", "name"), FIGURES)
def test_a_figure_is_a_decimal_string_to_the_cent(
    client: Client, db: None, component: str, name: str
) -> None:
    figure = money_property(client, component, name)
    assert (figure["type"], figure["format"]) == ("string", "decimal")
    pattern = re.compile(figure["pattern"])
    assert pattern.match("-12.50")
    assert pattern.match("0.00")
    assert not pattern.match("12.5")


def test_no_number_is_documented_as_a_float(client: Client, db: None) -> None:
    assert '"double"' not in json.dumps(schema(client))


def test_amounts_the_api_writes_match_the_schema(client: Client, world: World) -> None:
    """What the API answers for amounts, signed amounts and figures fits the patterns."""
    schemas = schema(client)["components"]["schemas"]

    def fits(component: str, name: str, value: str) -> None:
        assert re.match(schemas[component]["properties"][name]["pattern"], value), value

    for entry in client.get("/api/v1/entries/").json()["results"]:
        fits("LedgerEntry", "amount", entry["amount"])
        fits("LedgerEntry", "signed_amount", entry["signed_amount"])
    for total in client.get("/api/v1/reported-totals/").json()["results"]:
        fits("ReportedTotal", "amount", total["amount"])
    for row in client.get("/api/v1/summary/").json()["results"]:
        for measure in ("pledged", "committed", "outstanding"):
            fits("SummaryRow", measure, row[measure])
