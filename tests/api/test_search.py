"""``?q=`` searches what a reader would look for: a list's own text, and every organization
it names by that organization's name or any alias, in any case of any script, on
PostgreSQL and SQLite alike. The rows are the seed scenario's."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger import scenario as seed
from tests.api.base import ALL, results


def search(api: APIClient, resource: str, text: str) -> list[dict[str, Any]]:
    return results(api.get(f"/api/v1/{resource}/", {"q": text, **ALL}))


@pytest.mark.parametrize(
    "text", ["Pentagon", "pentagon", "Пентагон", "ПЕНТАГОН", "Department of Def"]
)
def test_a_pause_is_found_by_who_ordered_it(api: APIClient, scenario: None, text: str) -> None:
    (pause,) = search(api, "pauses", text)
    assert pause["ordered_by"]["name"] == seed.US_DEPARTMENT_OF_DEFENSE
    assert pause["description"] == "weapons shipments to Ukraine"


@pytest.mark.parametrize("text", ["United States", "США", "Соединенные Штаты", "weapons"])
def test_a_pause_is_found_by_its_donor_and_its_description(
    api: APIClient, scenario: None, text: str
) -> None:
    (pause,) = search(api, "pauses", text)
    assert pause["donor"]["name"] == seed.UNITED_STATES


@pytest.mark.parametrize("text", ["Україна", "україна", "УКРАЇНА", "Украина", "украина", "УКРАИНА"])
def test_ukraine_is_found_by_its_ukrainian_and_russian_names_in_any_case(
    api: APIClient, scenario: None, text: str
) -> None:
    assert [row["name"] for row in search(api, "organizations", text)] == [seed.UKRAINE]


@pytest.mark.parametrize(
    ("name", "alias"),
    [(spec.name, alias) for spec in seed.ORGANIZATIONS for alias in spec.aliases],
)
def test_every_seed_organization_is_found_by_each_alias_in_any_case(
    api: APIClient, scenario: None, name: str, alias: str
) -> None:
    for text in (alias, alias.upper(), alias.lower()):
        assert name in [row["name"] for row in search(api, "organizations", text)], text


@pytest.mark.parametrize(
    ("resource", "text", "key", "expected"),
    [
        # Donors and recipients by alias, in another script and case.
        ("commitments", "сша", "title", seed.BIDEN_EVERY_DOLLAR.title),
        ("commitments", "КОНФЕРЕНЦІЯ", "title", "Ukraine Recovery Conference"),
        ("entries", "Конференция по восстановлению", "stage", "pledge"),
        ("reported-totals", "Соединённые Штаты", "qualifier", "at_least"),
        # Coordination: bodies by their members, mandates by their body's members.
        ("coordination-bodies", "Сполучені Штати", "name", seed.US_LED_COORDINATION),
        ("mandates", "Washington", "note", "no start date"),
        # Events by their participants.
        ("events", "НАТО", "title", "emergency meeting of the NATO-Ukraine Council"),  # noqa: RUF001
    ],
)
def test_every_list_finds_rows_by_the_organizations_they_name(
    api: APIClient, scenario: None, resource: str, text: str, key: str, expected: str
) -> None:
    rows = search(api, resource, text)
    assert len(rows) == 1, rows
    assert expected in rows[0][key]


def test_a_search_matching_several_aliases_lists_each_row_once(
    api: APIClient, scenario: None
) -> None:
    # "Соедин" begins two aliases of the United States and two of the United Kingdom.
    assert [row["name"] for row in search(api, "organizations", "Соедин")] == [
        seed.UNITED_KINGDOM,
        seed.UNITED_STATES,
    ]
    (pause,) = search(api, "pauses", "Соедин")
    assert pause["donor"]["name"] == seed.UNITED_STATES
