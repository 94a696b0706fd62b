"""The pages' foundation: the query-string form, the ledger revision and the page cache,
the charts (drawn offline, with a text twin) and the error pages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.models import Commitment, Organization, Pause, Source
from ledger.selectors.revision import ledger_revision
from pages.charts import Figure, Table, lines_over_time, render_svg, stacked_bars
from pages.forms import PageForm
from tests.ingest.conftest import LoopbackServer, loopback_server  # noqa: F401 (a fixture)
from tests.pages.conftest import page, text

pytestmark = pytest.mark.django_db


def test_a_day_alone_as_known_at_means_the_end_of_that_day_in_utc() -> None:
    form = PageForm({"known_at": "2025-07-05"})
    assert form.is_valid(), form.errors
    assert form.query().known_at == datetime(2025, 7, 5, 23, 59, 59, 999999, tzinfo=UTC)
    form = PageForm({"known_at": "2025-07-05T12:00+02:00"})
    assert form.is_valid(), form.errors
    assert form.query().known_at == datetime(2025, 7, 5, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("as_of=2025-02-30", "as_of", "2025-02-30 is not a date: February 2025 has 28 days."),
        ("as_of=yesterday", "as_of", "Enter a valid date."),
        ("known_at=2025-13-01", "known_at", "months run from 01 to 12"),
        ("currency=XYZ", "currency", "XYZ is not an ISO 4217 currency code."),
        ("currency=JPY", "currency", "The ledger has no exchange rates for JPY."),
        ("donor=999999", "donor", "No donor has the id 999999."),
        ("donor=abc", "donor", "Enter a whole number."),
        ("category=weapons", "category", "Select a valid choice."),
    ],
)
def test_a_bad_parameter_shows_the_form_with_its_error_and_a_400(
    client, query: str, field: str, message: str
) -> None:
    for url in (f"/?{query}", f"/timeline/?{query}"):
        doc = page(client, url, status=400)
        error = doc.get_element_by_id(f"id_{field}_error")
        assert message in text(error)
        control = doc.get_element_by_id(f"id_{field}")
        assert control.get("aria-invalid") == "true"
        assert f"id_{field}_error" in control.get("aria-describedby")


def test_an_unknown_address_is_the_404_page(client) -> None:
    doc = page(client, "/no-such-page/", status=404)
    assert text(doc.xpath("//h1")[0]) == "Not found"
    assert doc.xpath("//nav[@aria-label='Main']//a[text()='Overview']")


def test_every_route_resolves(client, commitment: Commitment) -> None:
    donor = commitment.donor_id
    urls = ["/", "/timeline/", "/coordination/", f"/donors/{donor}/"]
    for url in [*urls, f"/commitments/{commitment.pk}/"]:
        assert client.get(url).status_code == 200, url


def test_the_revision_moves_with_each_kind_of_change(
    commitment: Commitment, source: Source, usd_rates: None
) -> None:
    with CaptureQueriesContext(connection) as queries:
        first = ledger_revision()
    assert len(queries) == 1
    assert ledger_revision() == first
    seen = {first.key}

    def moved() -> None:
        key = ledger_revision().key
        assert key not in seen
        seen.add(key)

    services.record_entry(
        commitment=commitment,
        stage="commitment",
        amount=Decimal("100"),
        currency="USD",
        value_date=date(2025, 1, 3),
        source=source,
    )
    moved()
    held = services.pause(donor=commitment.donor, paused_on=date(2025, 2, 1), source=source)
    moved()
    services.resume(pause=Pause.objects.get(pk=held.pk), resumed_on=date(2025, 2, 8), source=source)
    moved()
    # An edit of an editable row leaves a row in its history table.
    services.edit(Organization.objects.get(pk=commitment.donor_id), {"name": "The United States"})
    moved()
    services.record_fx_rate(
        currency="GBP", date=date(2025, 3, 3), rate=Decimal("0.9"), source=source
    )
    moved()


def figures_page_queries(client, url: str) -> tuple[bytes, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, [q["sql"] for q in queries.captured_queries]


def test_an_unchanged_ledger_answers_from_the_cache(
    client, commitment: Commitment, source: Source, usd_rates: None
) -> None:
    services.record_entry(
        commitment=commitment,
        stage="commitment",
        amount=Decimal("100"),
        currency="USD",
        value_date=date(2025, 1, 3),
        source=source,
    )
    url = "/?currency=usd&by=category&ignored=1"
    first, computed = figures_page_queries(client, url)
    assert len(computed) > 3
    # The same parameters, written otherwise: the same page, from the cache.
    again, cached = figures_page_queries(client, "/?by=category&currency=USD%20")
    assert again == first
    # The page shows the parameters as it read them, whichever request computed it.
    assert page(client, url).xpath("//select[@name='currency']/option[@selected]/@value") == ["USD"]
    assert len(cached) == 1
    assert "MAX(" in cached[0]
    services.record_entry(
        commitment=commitment,
        stage="disbursement",
        amount=Decimal("40"),
        currency="USD",
        value_date=date(2025, 1, 4),
        source=source,
    )
    after, recomputed = figures_page_queries(client, url)
    assert len(recomputed) > 3
    assert after != first
    assert "Disbursed 40 USD" in text(page(client, url).xpath("//dl")[0])


def test_a_chart_is_drawn_as_svg_with_its_summary_and_table(client) -> None:
    chart = stacked_bars(
        [
            {"group": "<b>Donor</b>", "part": "Disbursed", "v": Decimal("5"), "shown": "5 EUR"},
            {"group": "<b>Donor</b>", "part": "Held", "v": Decimal("2"), "shown": "2 EUR"},
        ],
        label="group",
        stack="part",
        value="v",
        groups=["<b>Donor</b>"],
        stack_order=["Disbursed", "Held"],
        currency="EUR",
        value_title="Amount",
    )
    chart.to_dict()  # valid Vega-Lite (render_svg skips Altair's check)
    svg = render_svg(chart)
    assert svg.startswith("<svg")
    assert 'viewBox="' in svg
    # A name is text in the drawing, never markup.
    assert "<b>" not in svg
    assert "&lt;b&gt;Donor" in svg
    figure = Figure(svg=svg, summary="One donor.", table=Table(["Donor", "EUR"], [["A", "7"]]))
    html = render_to_string("pages/_chart.html", {"figure": figure})
    assert 'role="img" aria-label="One donor."' in html
    assert "<figcaption>One donor.</figcaption>" in html
    assert '<th scope="row">A</th><td>7</td>' in html


def test_a_chart_fetches_nothing_from_the_network(loopback_server: LoopbackServer) -> None:  # noqa: F811
    (loopback_server.root / "data.json").write_text('[{"a": 1}]')
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"url": loopback_server.url("data.json")},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }

    class Spec:
        def to_dict(self, validate: bool = True) -> dict:
            return spec

    with pytest.raises(ValueError, match="External data url not allowed"):
        render_svg(Spec())  # type: ignore[arg-type]
    assert loopback_server.requests == []


def test_lines_over_time_draw_their_bands_and_rules() -> None:
    chart = lines_over_time(
        [
            {"date": "2025-01-01", "series": "Committed", "v": Decimal(5), "shown": "5 EUR"},
            {"date": "2025-09-01", "series": "Committed", "v": Decimal(9), "shown": "9 EUR"},
        ],
        series_order=["Committed"],
        currency="EUR",
        value_title="Cumulative",
        bands=[{"start": "2025-07-01", "end": "2025-07-07", "label": "Paused"}],
        rules=[{"date": "2025-07-14", "label": "Handover"}],
    )
    svg = render_svg(chart)
    layers = chart.to_dict()["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rect", "rule", "line"]
    # A band and a rule each leave their mark in the drawing.
    assert svg.count('class="mark-rect role-mark') == 1
    assert svg.count('class="mark-rule role-mark') == 1


def test_pages_are_served_when_the_cache_does_not_answer(client, settings, caplog) -> None:
    # Nothing listens on this port (the pages' tests' own range).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:22050/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    assert client.get("/").status_code == 200
    assert "The pages' cache does not answer" in caplog.text
