"""Figures in hryvnia, from the NBU's official rates through the euro, and every figure
saying which rates (providers, earliest and latest date) converted it."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger import services
from ledger.models import Commitment, Source
from tests.api.base import ALL, results
from tests.ledger.nbu_samples import CSV_SAMPLE, JSON_SAMPLE, load_nbu, write

SUMMARY = "/api/v1/summary/"
COMMITMENTS = "/api/v1/commitments/"
NO_RATES: dict[str, Any] = {"providers": [], "earliest": None, "latest": None}


@pytest.fixture(params=["json", "csv"])
def nbu_rates(request: pytest.FixtureRequest, tmp_path: Path, usd_rates: None) -> None:
    """The ECB's USD rates (1.25 per euro from 2 January 2025, 1.0 from 3 February) and
    the NBU's hryvnias per euro (43.6512 from 6 January, 44.1 from 3 February)."""
    text = JSON_SAMPLE if request.param == "json" else CSV_SAMPLE
    load_nbu(write(tmp_path, f"nbu.{request.param}", text), stdout=StringIO(), stderr=StringIO())


def record(
    commitment: Commitment, source: Source, stage: str, amount: str, currency: str, day: date
) -> None:
    services.record_entry(
        commitment=commitment,
        stage=stage,
        amount=Decimal(amount),
        currency=currency,
        value_date=day,
        source=source,
    )


@pytest.fixture
def entries(commitment: Commitment, source: Source) -> Commitment:
    """A USD pledge, a EUR commitment and a UAH allocation."""
    record(commitment, source, "pledge", "1000", "USD", date(2025, 1, 10))
    record(commitment, source, "commitment", "500", "EUR", date(2025, 2, 5))
    record(commitment, source, "allocation", "10000", "UAH", date(2025, 2, 5))
    return commitment


def rows(api: APIClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = api.get(url, {**params, **ALL})
    assert response.status_code == 200, response.content
    return results(response)


@pytest.mark.usefixtures("nbu_rates")
def test_summary_in_hryvnia(api: APIClient, entries: Commitment) -> None:
    (row,) = rows(api, SUMMARY, group_by="commitment", currency="UAH")
    # 1000 USD on 10 January: 1000 / 1.25 (ECB, 2 January) * 43.6512 (NBU, 6 January).
    assert row["pledged"] == "34920.96"
    # 500 EUR on 5 February: 500 * 44.1 (NBU, 3 February).
    assert row["committed"] == "22050.00"
    assert row["allocated"] == "10000.00"  # already hryvnias
    assert row["currency"] == "UAH"
    assert row["rates"] == {
        "providers": ["ecb", "nbu"],
        "earliest": "2025-01-02",
        "latest": "2025-02-03",
    }


@pytest.mark.usefixtures("nbu_rates")
def test_each_row_names_the_rates_it_used(api: APIClient, entries: Commitment) -> None:
    by_stage = {row["stage"]: row for row in rows(api, SUMMARY, group_by="stage", currency="UAH")}
    assert by_stage["pledge"]["rates"] == {
        "providers": ["ecb", "nbu"],
        "earliest": "2025-01-02",
        "latest": "2025-01-06",
    }
    assert by_stage["commitment"]["rates"] == {
        "providers": ["nbu"],
        "earliest": "2025-02-03",
        "latest": "2025-02-03",
    }
    assert by_stage["allocation"]["rates"] == NO_RATES


@pytest.mark.usefixtures("nbu_rates")
def test_commitments_in_hryvnia(api: APIClient, entries: Commitment) -> None:
    (found,) = rows(api, COMMITMENTS, currency="UAH")
    figures = found["figures"]
    assert (figures["pledged"], figures["committed"], figures["allocated"]) == (
        "34920.96",
        "22050.00",
        "10000.00",
    )
    assert figures["currency"] == "UAH"
    assert figures["rates"] == {
        "providers": ["ecb", "nbu"],
        "earliest": "2025-01-02",
        "latest": "2025-02-03",
    }


@pytest.mark.usefixtures("nbu_rates")
def test_hryvnia_entries_convert_to_euros_at_the_nbu_rate(
    api: APIClient, entries: Commitment
) -> None:
    (row,) = rows(api, SUMMARY, group_by="commitment")
    assert row["allocated"] == "226.76"  # 10000 / 44.1
    assert row["pledged"] == "800.00"  # 1000 / 1.25, as before
    assert row["rates"]["providers"] == ["ecb", "nbu"]


def test_figures_from_ecb_rates_alone_say_so(
    api: APIClient, commitment: Commitment, source: Source, usd_rates: None
) -> None:
    record(commitment, source, "pledge", "1000", "USD", date(2025, 1, 10))
    record(commitment, source, "commitment", "500", "EUR", date(2025, 2, 5))
    by_stage = {row["stage"]: row for row in rows(api, SUMMARY, group_by="stage")}
    assert by_stage["pledge"]["pledged"] == "800.00"
    assert by_stage["pledge"]["rates"] == {
        "providers": ["ecb"],
        "earliest": "2025-01-02",
        "latest": "2025-01-02",
    }
    assert by_stage["commitment"]["rates"] == NO_RATES  # euros in euros
    (found,) = rows(api, COMMITMENTS, currency="USD")
    assert found["figures"]["committed"] == "500.00"
    assert found["figures"]["rates"] == {
        "providers": ["ecb"],
        "earliest": "2025-02-03",
        "latest": "2025-02-03",
    }


def test_hryvnia_without_nbu_rates_is_a_400_naming_currency(
    api: APIClient, entries: Commitment, usd_rates: None
) -> None:
    response = api.get(SUMMARY, {"currency": "UAH"})
    assert response.status_code == 400
    assert "currency" in response.json()["fields"]
