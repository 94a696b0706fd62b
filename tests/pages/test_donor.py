"""The donor page, on the seed scenario plus a commitment with a reversal and a disbursement
(``tests/pages/detail_world.py``): its numbers are the API's, its sources are shown with
their passages, and its time axes hide what was not yet valid or known."""

from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from lxml import html

from ledger.formatting import format_amount
from ledger.models import Commitment
from ledger.selectors import figures_by_commitment, totals
from tests.pages.conftest import page, text
from tests.pages.detail_world import (
    FURTHER_EXCERPT,
    SHIPMENT_EXCERPT,
    DetailWorld,
    module_detail_world,
    world,
)

__all__ = ["module_detail_world", "world"]  # the fixtures this module uses
MEASURES = ("pledged", "committed", "allocated", "disbursed", "outstanding", "on_hold")


def url(world: DetailWorld, query: str = "") -> str:
    return f"/donors/{world.united_states.pk}/" + (f"?{query}" if query else "")


def headline(tree: html.HtmlElement) -> dict[str, str]:
    return {
        dd.get("data-measure"): text(dd)
        for dd in tree.xpath('.//dl[contains(@class, "headline")]/div/dd')
    }


def section(tree: html.HtmlElement, heading_id: str) -> html.HtmlElement:
    (found,) = tree.xpath(f'//section[@aria-labelledby="{heading_id}"]')
    return found


def test_the_figures_are_the_api_summary_for_the_donor(client: Client, world: DetailWorld) -> None:
    for query in ("", "as_of=2025-07-05&currency=USD", "currency=GBP"):
        params = {k: v[0] for k, v in parse_qs(query).items()}
        currency = params.get("currency", "EUR")
        shown = headline(page(client, url(world, query)))
        api = client.get(
            "/api/v1/summary/",
            {**params, "donor": str(world.united_states.pk), "group_by": "donor"},
            HTTP_ACCEPT="application/json",
        ).json()["results"]
        (row,) = api
        assert shown == {m: format_amount(Decimal(row[m]), currency) for m in MEASURES}
    # Not an empty agreement: the commitment entry counts, in dollars as recorded.
    assert shown["committed"] != format_amount(Decimal(0), "GBP")


def test_each_commitment_row_shows_its_figures(client: Client, world: DetailWorld) -> None:
    tree = page(client, url(world, "as_of=2025-07-05"))
    expected = figures_by_commitment(
        [world.every_dollar, world.air_defence], as_of=date(2025, 7, 5)
    )
    rows = section(tree, "commitments-title").xpath('.//table[@class="commitments"]/tbody/tr')
    assert [text(r.xpath("th")[0]) for r in rows] == [
        world.air_defence.title,
        world.every_dollar.title,
    ]
    for row, commitment in zip(rows, [world.air_defence, world.every_dollar], strict=True):
        cells = {td.get("data-measure"): text(td) for td in row.xpath("td[@data-measure]")}
        assert cells == {m: format_amount(expected[commitment.pk][m], "EUR") for m in MEASURES}
        link = row.xpath("th/a")[0].get("href")
        assert link == f"/commitments/{commitment.pk}/?as_of=2025-07-05"
    # On 5 July the pause of military aid was in force: the package's outstanding is on hold.
    assert expected[world.air_defence.pk]["on_hold"] > 0


def test_pauses_show_in_force_then_resumed_with_who_ordered(
    client: Client, world: DetailWorld
) -> None:
    during = section(page(client, url(world, "as_of=2025-07-05")), "pauses-title")
    (row,) = during.xpath(".//tbody/tr")
    assert "in-force" in row.get("class")
    assert "In force" in text(row)
    assert "United States Department of Defense" in text(row)
    assert "week of 30 June 2025" in text(row)
    after = section(page(client, url(world, "as_of=2025-07-08")), "pauses-title")
    (row,) = after.xpath(".//tbody/tr")
    assert "7 July 2025" in text(row)
    assert "In force" not in text(row)
    before = section(page(client, url(world, "as_of=2025-06-01")), "pauses-title")
    assert before.xpath(".//tbody/tr") == []


def test_sources_are_listed_with_their_passages(client: Client, world: DetailWorld) -> None:
    tree = page(client, url(world))
    sources = section(tree, "sources-title")
    passages = [text(q) for q in sources.xpath(".//blockquote")]
    assert SHIPMENT_EXCERPT in passages
    assert FURTHER_EXCERPT in passages  # a further source of an entry
    assert world.pause.source.excerpt in passages
    resumption = world.pause.resumption_source
    assert resumption is not None
    assert resumption.excerpt in passages
    links = {a.get("href") for a in sources.xpath(".//a")}
    assert {world.committed.source.url, world.further.url} <= links
    # Every number cited in a table points at a listed source.
    listed = {li.get("id") for li in sources.xpath(".//li")}
    cited = {a.get("href").lstrip("#") for a in tree.xpath('.//a[@class="cite"]')}
    assert cited == listed


def test_reversals_name_what_they_reverse(client: Client, world: DetailWorld) -> None:
    reversals = section(page(client, url(world)), "reversals-title")
    (row,) = reversals.xpath(".//tbody/tr")
    assert f"entry {world.mistaken.pk}" in text(row)
    assert "-400,000,000 USD" in text(row)
    assert "Recorded against the wrong package." in text(row)


def test_known_at_hides_the_disbursement_recorded_later(client: Client, world: DetailWorld) -> None:
    moment = world.before_disbursement.isoformat().replace("+00:00", "Z")
    shown = headline(page(client, url(world, f"known_at={moment}&currency=USD")))
    assert shown["disbursed"] == "0 USD"
    known = totals(
        commitments=Commitment.objects.filter(donor=world.united_states),
        known_at=world.before_disbursement,
        currency="USD",
    )
    assert shown["committed"] == format_amount(known["committed"], "USD")
    assert headline(page(client, url(world, "currency=USD")))["disbursed"] == "250,000,000.50 USD"


def test_the_api_links_carry_the_same_parameters(client: Client, world: DetailWorld) -> None:
    tree = page(client, url(world, "as_of=2025-07-05&currency=USD"))
    links = [a.get("href") for a in tree.xpath('.//p[@class="api-links"]/a')]
    summary = [link for link in links if link.startswith("/api/v1/summary/")]
    assert len(summary) == 2  # JSON and CSV
    params = parse_qs(urlsplit(summary[0]).query)
    assert params["donor"] == [str(world.united_states.pk)]
    assert params["as_of"] == ["2025-07-05"]
    assert params["currency"] == ["USD"]
    assert client.get(summary[1]).status_code == 200


def test_a_donor_of_nothing_says_so(client: Client, world: DetailWorld) -> None:
    tree = page(client, f"/donors/{world.united_kingdom.pk}/")
    figures = section(tree, "figures-title")
    assert figures.xpath('.//dl[contains(@class, "headline")]') == []
    assert "records no commitments from United Kingdom" in text(figures)
    assert tree.xpath(".//figure") == []


def test_unknown_donor_is_a_404_page_and_bad_parameters_a_400(
    client: Client, world: DetailWorld
) -> None:
    missing = page(client, "/donors/999999/", status=404)
    assert "Not found" in text(missing)
    for query, field in (("as_of=2025-02-30", "As of"), ("currency=XYZ", "Currency")):
        tree = page(client, url(world, query), status=400)
        assert field in text(tree.xpath('.//div[@class="errors"]')[0])


def test_a_long_table_shows_the_latest_and_says_so(
    client: Client, world: DetailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pages.views.donors.TABLE_ROWS", 1)
    tree = page(client, url(world))
    rows = section(tree, "commitments-title").xpath('.//table[@class="commitments"]/tbody/tr')
    assert [text(r.xpath("th")[0]) for r in rows] == [world.air_defence.title]
    assert "The 1 latest announced of 2 commitments" in text(tree)
    # The totals above still count every commitment.
    assert headline(tree)["committed"] == format_amount(
        totals(commitments=Commitment.objects.filter(donor=world.united_states))["committed"], "EUR"
    )
