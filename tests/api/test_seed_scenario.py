"""The seed scenario read through the API as a client would: which pause and which mandate
were in force on a day, and the Rome conference's $12bn pledge in dollars and, with the
ECB's real reference rates loaded, in euros at the rate of its day."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from ledger.models import Commitment, FxRate
from tests.api.base import ALL, results


def rome_pledge() -> Commitment:
    return Commitment.objects.get(identifiers__value="scenario:rome-urc-2025")


def names(rows: list[dict[str, Any]], key: str) -> list[str]:
    return [row[key]["name"] for row in rows]


def test_the_us_pause_is_in_force_while_shipments_are_held(api: APIClient, scenario: None) -> None:
    held = results(api.get("/api/v1/pauses/", {"active_on": "2025-07-05"}))
    assert [row["description"] for row in held] == ["weapons shipments to Ukraine"]
    assert held[0]["donor"]["name"] == "United States"
    assert held[0]["ordered_by"]["name"] == "United States Department of Defense"
    assert held[0]["paused_on_precision"] == "week"


def test_the_us_pause_is_over_once_shipments_resume(api: APIClient, scenario: None) -> None:
    assert results(api.get("/api/v1/pauses/", {"active_on": "2025-07-07"})) == []
    assert results(api.get("/api/v1/pauses/", {"active_on": "2025-07-08"})) == []
    assert results(api.get("/api/v1/pauses/", {"active_on": "2025-06-29"})) == []


@pytest.mark.parametrize(
    ("day", "holder"),
    [
        ("2022-06-01", "U.S.-led coordination of military aid for Ukraine"),
        ("2024-12-31", "U.S.-led coordination of military aid for Ukraine"),
        ("2025-01-01", "NATO coordination of military aid for Ukraine"),
        ("2025-07-08", "NATO coordination of military aid for Ukraine"),
    ],
)
def test_one_body_holds_the_military_aid_coordination_on_any_day(
    api: APIClient, scenario: None, day: str, holder: str
) -> None:
    rows = results(
        api.get(
            "/api/v1/mandates/",
            {"active_on": day, "responsibility_code": "military-aid-coordination"},
        )
    )
    assert names(rows, "body") == [holder]


def test_no_one_held_it_before_2022(api: APIClient, scenario: None) -> None:
    assert results(api.get("/api/v1/mandates/", {"active_on": "2021-12-31"})) == []


def test_the_handover_links_the_two_mandates(api: APIClient, scenario: None) -> None:
    nato, us_led = results(api.get("/api/v1/mandates/", {"ordering": "-starts_on"}))
    assert nato["predecessor"] == us_led["id"]
    assert us_led["ends_on"] == nato["starts_on"] == "2025-01-01"
    assert us_led["end_source"] is not None


def test_the_rome_pledge_in_dollars(api: APIClient, scenario: None, ecb_rates: None) -> None:
    response = api.get(f"/api/v1/commitments/{rome_pledge().pk}/", {"currency": "USD"})
    figures = response.json()["figures"]
    assert figures["pledged"] == "12000000000.00"
    assert figures["currency"] == "USD"
    assert figures["unconverted_entries"] == 0


def test_without_rates_the_pledge_is_counted_but_not_converted(
    api: APIClient, scenario: None
) -> None:
    """No rate for USD: the entry is left out of the euro sums, and said to be; and the
    figures cannot be asked for in dollars at all until the ledger has dollar rates (as
    `make run` loads before the scenario)."""
    url = f"/api/v1/commitments/{rome_pledge().pk}/"
    figures = api.get(url).json()["figures"]
    assert figures["pledged"] == "0.00"
    assert figures["unconverted_entries"] == 1
    refused = api.get(url, {"currency": "USD"})
    assert refused.status_code == 400
    assert "no exchange rates for USD" in refused.json()["fields"]["currency"][0]


def test_the_rome_pledge_in_euros_at_the_ecb_rate_of_its_day(
    api: APIClient, scenario: None, ecb_rates: None
) -> None:
    rate = FxRate.objects.get(currency="USD", date=date(2025, 7, 10)).rate
    expected = (Decimal("12000000000") / rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
    figures = api.get(f"/api/v1/commitments/{rome_pledge().pk}/").json()["figures"]
    assert figures["currency"] == "EUR"
    assert figures["unconverted_entries"] == 0
    assert Decimal(figures["pledged"]) == pytest.approx(expected, abs=Decimal("0.01"))
    # The list and the summary say the same.
    listed = results(api.get("/api/v1/commitments/", {"q": "Recovery Conference", **ALL}))
    assert [row["figures"]["pledged"] for row in listed] == [figures["pledged"]]
    (row,) = results(api.get("/api/v1/summary/", {"group_by": "donor"}))
    assert row["pledged"] == figures["pledged"]
    assert row["donor_name"] == "Ukraine Recovery Conference 2025"


def test_the_pledge_as_of_the_day_before_is_nothing_yet(
    api: APIClient, scenario: None, ecb_rates: None
) -> None:
    url = f"/api/v1/commitments/{rome_pledge().pk}/"
    before = api.get(url, {"currency": "USD", "as_of": "2025-07-09"}).json()["figures"]
    on_the_day = api.get(url, {"currency": "USD", "as_of": "2025-07-10"}).json()["figures"]
    assert (before["pledged"], on_the_day["pledged"]) == ("0.00", "12000000000.00")


def test_the_us_running_total_is_beside_the_ledger(
    api: APIClient, scenario: None, ecb_rates: None
) -> None:
    (total,) = results(api.get("/api/v1/reported-totals/"))
    assert (total["amount"], total["currency"], total["qualifier"]) == (
        "40000000000.0000",
        "USD",
        "at_least",
    )
    assert total["donor"]["name"] == "United States"
    us_rows = results(
        api.get("/api/v1/summary/", {"donor": total["donor"]["id"], "currency": "USD"})
    )
    assert us_rows == []  # no figure sums a reported total
