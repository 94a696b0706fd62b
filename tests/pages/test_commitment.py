"""The commitment page, on the seed scenario plus a commitment with a reversal and a
disbursement (``tests/pages/detail_world.py``): its figures are the API's, its entries
cite their sources with passages, a reversal reads as one, and its time axes hide what
was not yet valid or known."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.test import Client
from lxml import html

from ledger.formatting import format_amount
from ledger.selectors import figures_by_commitment
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
    return f"/commitments/{world.air_defence.pk}/" + (f"?{query}" if query else "")


def headline(tree: html.HtmlElement) -> dict[str, str]:
    dds = tree.xpath('.//dl[contains(@class, "headline")]/div/dd')
    return {dd.get("data-measure"): text(dd) for dd in dds}


def entry_rows(tree: html.HtmlElement) -> dict[str, html.HtmlElement]:
    return {row.get("id"): row for row in tree.xpath('.//table[@class="entries"]/tbody/tr')}


def test_the_figures_are_the_apis_for_the_commitment(client: Client, world: DetailWorld) -> None:
    for query in ("", "as_of=2025-07-05&currency=USD", "currency=GBP"):
        params = {k: v[0] for k, v in parse_qs(query).items()}
        currency = params.get("currency", "EUR")
        shown = headline(page(client, url(world, query)))
        api = client.get(
            f"/api/v1/commitments/{world.air_defence.pk}/", params, HTTP_ACCEPT="application/json"
        ).json()["figures"]
        assert shown == {m: format_amount(Decimal(api[m]), currency) for m in MEASURES}
    assert shown["committed"] != "0 GBP"


def test_entries_show_reversals_as_such_and_cite_their_sources(
    client: Client, world: DetailWorld
) -> None:
    tree = page(client, url(world, "currency=USD"))
    rows = entry_rows(tree)
    assert list(rows) == [
        f"entry-{e.pk}"
        for e in (world.committed, world.mistaken, world.reversal, world.disbursement)
    ]
    reversal = rows[f"entry-{world.reversal.pk}"]
    assert reversal.get("class") == "reversal"
    assert f"Reverses entry {world.mistaken.pk}" in text(reversal)
    assert "-400,000,000 USD" in text(reversal)
    assert f"Reversed by entry {world.reversal.pk}" in text(rows[f"entry-{world.mistaken.pk}"])
    assert "2 June 2025" in text(rows[f"entry-{world.committed.pk}"])
    # The commitment entry cites its own source and the further one.
    cites = rows[f"entry-{world.committed.pk}"].xpath('.//a[@class="cite"]/@href')
    passages = {
        li.get("id"): text(li.xpath(".//blockquote")[0])
        for li in tree.xpath('.//ol[@class="sources"]/li')
    }
    assert {passages[c.lstrip("#")] for c in cites} == {SHIPMENT_EXCERPT, FURTHER_EXCERPT}
    # The allocation and its reversal add up to nothing: nothing allocated.
    assert headline(tree)["allocated"] == "0 USD"


def test_known_at_and_as_of_hide_later_entries(client: Client, world: DetailWorld) -> None:
    moment = world.before_disbursement.isoformat().replace("+00:00", "Z")
    before = page(client, url(world, f"known_at={moment}&currency=USD"))
    assert f"entry-{world.disbursement.pk}" not in entry_rows(before)
    assert f"entry-{world.reversal.pk}" in entry_rows(before)
    assert headline(before)["disbursed"] == "0 USD"
    announced = page(client, url(world, "as_of=2025-01-01"))
    assert "It was announced after 1 January 2025." in text(announced)
    assert entry_rows(announced) == {}
    early = page(client, url(world, "as_of=2025-06-19"))
    assert list(entry_rows(early)) == [f"entry-{world.committed.pk}"]
    figures = figures_by_commitment([world.air_defence], as_of=world.committed.value_date)
    assert headline(early)["committed"] == format_amount(
        figures[world.air_defence.pk]["committed"], "EUR"
    )


def test_the_pause_covering_it_and_none_for_others(client: Client, world: DetailWorld) -> None:
    tree = page(client, url(world, "as_of=2025-07-05"))
    (section,) = tree.xpath('.//section[@aria-labelledby="pauses-title"]')
    (row,) = section.xpath(".//tbody/tr")
    assert "weapons shipments to Ukraine" in text(row)
    assert "In force" in text(row)
    # The "every dollar" commitment states no category: the military pause does not cover it.
    other = page(client, f"/commitments/{world.every_dollar.pk}/?as_of=2025-07-05")
    (section,) = other.xpath('.//section[@aria-labelledby="pauses-title"]')
    assert section.xpath(".//tbody/tr") == []
    assert "records no amounts" in text(other)


def test_the_chart_and_its_table(client: Client, world: DetailWorld) -> None:
    tree = page(client, f"/commitments/{world.rome.pk}/?currency=USD")
    (figure,) = tree.xpath(".//figure")
    assert figure.xpath('.//div[@role="img"]/*[local-name()="svg"]')
    months = [text(th) for th in figure.xpath(".//tbody/tr/th")]
    assert months == ["July 2025"]
    assert "12,000,000,000 USD" in text(figure.xpath(".//tbody")[0])


def test_the_api_links_carry_the_same_parameters(client: Client, world: DetailWorld) -> None:
    tree = page(client, url(world, "as_of=2025-07-05&currency=USD"))
    links = [a.get("href") for a in tree.xpath('.//p[@class="api-links"]/a')]
    entries = [link for link in links if link.startswith("/api/v1/entries/")]
    params = parse_qs(urlsplit(entries[0]).query)
    assert params == {"commitment": [str(world.air_defence.pk)], "value_date__lte": ["2025-07-05"]}
    listed = client.get(entries[0], HTTP_ACCEPT="application/json").json()["results"]
    assert len(listed) == len(entry_rows(tree))
    detail = next(link for link in links if link.startswith("/api/v1/commitments/"))
    assert parse_qs(urlsplit(detail).query) == {"as_of": ["2025-07-05"], "currency": ["USD"]}


def test_unknown_commitment_is_a_404_page_and_bad_parameters_a_400(
    client: Client, world: DetailWorld
) -> None:
    assert "Not found" in text(page(client, "/commitments/999999/", status=404))
    for query, field in (("known_at=yesterday", "Known at"), ("currency=ZZZ", "Currency")):
        tree = page(client, url(world, query), status=400)
        assert field in text(tree.xpath('.//div[@class="errors"]')[0])


def test_the_lede_names_the_kind_of_aid_or_says_it_is_not_stated(
    client: Client, world: DetailWorld
) -> None:
    def lede(commitment_id: int) -> str:
        tree = page(client, f"/commitments/{commitment_id}/")
        return text(tree.xpath('.//p[@class="lede"]')[0])

    assert "Military aid" in lede(world.air_defence.pk)
    rome = lede(world.rome.pk)  # the scenario does not say which kind of aid Rome's is
    assert "The kind of aid is not stated" in rome
    assert "Not stated aid" not in rome
