"""The overview on the seed scenario: the figures shown are the selectors' (read back
from the HTML), narrowed and dated by the parameters, each linked to its rows."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from lxml import html

from ledger.formatting import format_amount
from ledger.models import Commitment, LedgerEntry
from ledger.selectors import figures, totals
from pages.overview_figures import MEASURE_LABELS
from tests.pages.conftest import page, text

pytestmark = pytest.mark.usefixtures("scenario")


def headline(doc: html.HtmlElement) -> dict[str, str]:
    """The headline figures as shown, by measure."""
    return {
        link.get("data-measure"): text(link) for link in doc.xpath("//dl[@class='headline']//a")
    }


def table_rows(doc: html.HtmlElement, heading: str) -> list[list[str]]:
    """The rows of the table in the section titled ``heading``."""
    section = doc.xpath(f"//section[h2[normalize-space()='{heading}']]")[0]
    return [[text(cell) for cell in row.xpath("th|td")] for row in section.xpath(".//tbody/tr")]


def shown(row: dict[str, Any], currency: str) -> list[str]:
    return [format_amount(row[name], currency) for name in MEASURE_LABELS]


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("", {"currency": "EUR"}),
        ("?currency=USD", {"currency": "USD"}),
        ("?currency=GBP&as_of=2025-07-31", {"currency": "GBP", "as_of": date(2025, 7, 31)}),
    ],
)
def test_the_overview_shows_the_selectors_figures(client, query: str, params: dict) -> None:
    doc = page(client, f"/{query}")
    currency = params["currency"]
    expected = totals(**params)
    assert expected["pledged"] > 0  # the scenario's pledge converts in every currency here
    assert headline(doc) == {m: format_amount(expected[m], currency) for m in MEASURE_LABELS}
    donors = sorted(figures(group_by=["donor"], **params), key=lambda r: -r["pledged"])
    assert table_rows(doc, "Donors") == [[r["donor_name"], *shown(r, currency)] for r in donors]
    categories = figures(group_by=["category"], **params)
    assert [row[1:] for row in table_rows(doc, "By category")] == [
        shown(r, currency) for r in categories
    ]
    years = figures(group_by=["year"], **params)
    assert table_rows(doc, "By year") == [[str(r["year"]), *shown(r, currency)] for r in years]


def test_before_the_pledge_was_made_or_known_the_figures_are_zero(client) -> None:
    pledge = LedgerEntry.objects.get(stage="pledge")
    day_before = pledge.value_date.replace(day=pledge.value_date.day - 1)
    doc = page(client, f"/?as_of={day_before.isoformat()}")
    assert headline(doc)["pledged"] == "0 EUR"
    known_before = pledge.recorded_at.date().replace(year=pledge.recorded_at.year - 1)
    doc = page(client, f"/?known_at={known_before.isoformat()}")
    assert headline(doc)["pledged"] == "0 EUR"
    assert headline(page(client, "/"))["pledged"] != "0 EUR"


def test_donor_and_category_narrow_the_figures(client) -> None:
    pledge = LedgerEntry.objects.select_related("commitment").get(stage="pledge")
    donor, category = pledge.commitment.donor_id, pledge.commitment.category
    narrowed = totals(commitments=Commitment.objects.filter(donor_id=donor))
    doc = page(client, f"/?donor={donor}")
    assert headline(doc)["pledged"] == format_amount(narrowed["pledged"], "EUR")
    other = next(c for c in ("military", "financial", "humanitarian") if c != category)
    assert headline(page(client, f"/?category={other}"))["pledged"] == "0 EUR"


def test_each_figure_links_to_the_rows_behind_it(client) -> None:
    doc = page(client, "/?as_of=2025-12-31")
    links = {a.get("data-measure"): a.get("href") for a in doc.xpath("//dl//a")}
    entries = client.get(links["pledged"], HTTP_ACCEPT="application/json").json()
    assert [e["stage"] for e in entries["results"]] == ["pledge"]
    assert "value_date__lte=2025-12-31" in links["pledged"]
    assert client.get(links["on_hold"], HTTP_ACCEPT="application/json").status_code == 200
    # Each donor's name leads to its page, with the same parameters.
    donor_links = doc.xpath("//section[h2='Donors']//tbody//th/a/@href")
    assert donor_links
    assert all(h.startswith("/donors/") and "as_of=2025-12-31" in h for h in donor_links)


@pytest.mark.parametrize(
    "query", ["currency=USD", "currency=USD&known_at=2030-01-01&as_of=2025-12-31"]
)
def test_the_api_link_gives_the_same_figures(client, query: str) -> None:
    doc = page(client, f"/?{query}")
    json_link = doc.xpath("//p[@class='api-links']/a[text()='JSON']/@href")[0]
    csv_link = doc.xpath("//p[@class='api-links']/a[text()='CSV']/@href")[0]
    rows = client.get(json_link, HTTP_ACCEPT="application/json").json()["results"]
    pledged = {row["donor_name"]: Decimal(row["pledged"]) for row in rows}
    for name, *cells in table_rows(doc, "Donors"):
        assert cells[0] == format_amount(pledged[name], "USD")
    csv = client.get(csv_link)
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")


def test_the_ranking_splits_by_category_on_request(client) -> None:
    doc = page(client, "/?by=category")
    assert doc.xpath("//section[h2='Donors']//thead//th/text()")[1:4] == [
        "Military",
        "Financial",
        "Humanitarian",
    ]
    # The form keeps the choice when sent again.
    assert doc.xpath("//form//input[@type='hidden'][@name='by']/@value") == ["category"]
    assert page(client, "/").xpath("//section[h2='Donors']//thead//th/text()")[1] == "Pledged"


def test_every_chart_is_an_svg_image_with_a_summary_and_a_table(client) -> None:
    doc = page(client, "/")
    charts = doc.xpath("//figure[@class='chart']")
    assert len(charts) == 3
    for chart in charts:
        image = chart.xpath("./div[@role='img']")[0]
        assert image.get("aria-label")
        assert image.xpath("./*[local-name()='svg']")
        assert chart.xpath(".//figcaption")
        assert chart.xpath(".//table//tbody/tr")
