"""The commitments list and page, where editors spend their day.

The list shows each commitment's figures in euros as the selectors compute them, in a
number of queries that does not grow with the list; its filters narrow it. The page
adds ledger entries through an inline that writes through ``record_entry``, shows the
entries already recorded read-only, and writes nothing when an entry is refused.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ledger import services
from ledger.formatting import format_amount
from ledger.models import Commitment, LedgerEntry
from ledger.selectors import figures
from tests.admin.helpers import admin_url, change_form, object_action_button


def record(commitment, source, stage, amount, currency="USD", value_date=date(2025, 1, 10)):
    return services.record_entry(
        commitment=commitment,
        stage=stage,
        amount=Decimal(amount),
        currency=currency,
        value_date=value_date,
        source=source,
    )


def listed(response) -> set[Commitment]:
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


# --- the figures columns ----------------------------------------------------------------


@pytest.fixture
def figured(commitment, source, usd_rates):
    """$1m pledged and $500k committed in January (1.25 USD per euro), $250k disbursed
    in February (1.0 USD per euro), and $100k of the commitment reversed."""
    record(commitment, source, "pledge", "1000000")
    committed = record(commitment, source, "commitment", "600000")
    record(commitment, source, "disbursement", "250000", value_date=date(2025, 2, 10))
    services.reverse_entry(entry=committed, source=source, reason="Wrong figure")
    record(commitment, source, "commitment", "500000")
    return commitment


def test_the_list_shows_the_figures_in_euros(editor_client, figured):
    content = editor_client.get(admin_url(Commitment, "changelist")).content.decode()
    assert "Figures (EUR)" in content
    assert '<dd data-figure="pledged">800,000</dd>' in content
    assert '<dd data-figure="committed">400,000</dd>' in content
    assert '<dd data-figure="disbursed">250,000</dd>' in content


def test_the_listed_figures_are_the_selectors(editor_client, figured):
    content = editor_client.get(admin_url(Commitment, "changelist")).content.decode()
    (row,) = figures(group_by=["commitment"])
    for measure in ("pledged", "committed", "disbursed"):
        shown = format_amount(row[measure])
        assert f'<dt>{measure}</dt><dd data-figure="{measure}">{shown}</dd>' in content


def test_a_commitment_without_entries_shows_zeros(editor_client, commitment):
    content = editor_client.get(admin_url(Commitment, "changelist")).content.decode()
    assert '<dd data-figure="pledged">0</dd>' in content


def test_the_list_can_be_ordered_by_a_figure(editor_client, make_commitment, figured, source):
    small = make_commitment(figured.donor, title="Small package")
    record(small, source, "pledge", "10", currency="EUR")
    response = editor_client.get(admin_url(Commitment, "changelist"), {"o": "5"})  # pledged
    assert list(response.context["cl"].result_list) == [small, figured]


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(Commitment, "changelist")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_one_or_ten_commitments(
    editor_client, make_commitment, united_states, united_kingdom, source, usd_rates
):
    def add_commitment(number: int) -> None:
        donor = united_states if number % 2 else united_kingdom
        commitment = make_commitment(donor, title=f"Package {number}")
        record(commitment, source, "pledge", "100")
        record(commitment, source, "disbursement", "50", currency="GBP")

    add_commitment(0)
    _changelist_queries(editor_client)  # warm the caches (content types, sessions)
    with_one = _changelist_queries(editor_client)
    for number in range(1, 10):
        add_commitment(number)
    assert Commitment.objects.count() == 10
    assert _changelist_queries(editor_client) == with_one


# --- the filters ----------------------------------------------------------------------


@pytest.fixture
def several(make_commitment, united_states, united_kingdom, source):
    """Three commitments of two donors, categories, stages and years."""
    us_military = make_commitment(united_states, title="US military", category="military")
    us_financial = make_commitment(
        united_states,
        title="US budget support",
        category="financial",
        announced_on=date(2024, 6, 13),
    )
    uk_military = make_commitment(
        united_kingdom, title="UK military", announced_on=date(2025, 3, 2)
    )
    record(us_military, source, "commitment", "100", currency="EUR")
    record(us_military, source, "disbursement", "40", currency="EUR")
    record(us_financial, source, "commitment", "100", currency="EUR")
    return {"us_military": us_military, "us_financial": us_financial, "uk_military": uk_military}


def test_filter_by_donor(editor_client, several, united_kingdom):
    response = editor_client.get(
        admin_url(Commitment, "changelist"), {"donor__id__exact": united_kingdom.pk}
    )
    assert listed(response) == {several["uk_military"]}


def test_the_donor_filter_offers_only_donors(editor_client, several, ukraine):
    response = editor_client.get(admin_url(Commitment, "changelist"))
    (donor_filter,) = [f for f in response.context["cl"].filter_specs if f.title == "donor"]
    assert {label for _, label in donor_filter.lookup_choices} == {
        "United States",
        "United Kingdom",
    }


def test_filter_by_category(editor_client, several):
    response = editor_client.get(
        admin_url(Commitment, "changelist"), {"category__exact": "financial"}
    )
    assert listed(response) == {several["us_financial"]}


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("disbursement", {"us_military"}),
        ("commitment", {"us_military", "us_financial"}),
        ("pledge", set()),
    ],
)
def test_filter_by_stage_reached(editor_client, several, stage, expected):
    response = editor_client.get(admin_url(Commitment, "changelist"), {"stage": stage})
    assert listed(response) == {several[name] for name in expected}


def test_filter_by_paused_now(editor_client, several, united_kingdom, source):
    services.pause(donor=united_kingdom, paused_on=date(2025, 7, 1), source=source)
    services.pause(commitment=several["us_financial"], paused_on=date(2025, 7, 1), source=source)
    paused = editor_client.get(admin_url(Commitment, "changelist"), {"paused_now": "yes"})
    assert listed(paused) == {several["uk_military"], several["us_financial"]}
    running = editor_client.get(admin_url(Commitment, "changelist"), {"paused_now": "no"})
    assert listed(running) == {several["us_military"]}


def test_a_resumed_pause_does_not_count_as_paused_now(editor_client, several, source):
    pause = services.pause(
        commitment=several["us_military"], paused_on=date(2025, 7, 1), source=source
    )
    services.resume(pause=pause, resumed_on=date(2025, 7, 7), source=source)
    response = editor_client.get(admin_url(Commitment, "changelist"), {"paused_now": "yes"})
    assert listed(response) == set()


def test_date_hierarchy_by_year_and_month(editor_client, several):
    url = admin_url(Commitment, "changelist")
    in_2025 = editor_client.get(url, {"announced_on__year": "2025"})
    assert listed(in_2025) == {several["us_military"], several["uk_military"]}
    in_march = editor_client.get(url, {"announced_on__year": "2025", "announced_on__month": "3"})
    assert listed(in_march) == {several["uk_military"]}
    in_2024 = editor_client.get(url, {"announced_on__year": "2024"})
    assert listed(in_2024) == {several["us_financial"]}


def test_filters_combine(editor_client, several, united_states):
    response = editor_client.get(
        admin_url(Commitment, "changelist"),
        {
            "donor__id__exact": united_states.pk,
            "stage": "commitment",
            "category__exact": "military",
        },
    )
    assert listed(response) == {several["us_military"]}


# --- entries on the commitment's page --------------------------------------------------


def entry_form_data(response, **values):
    """The page's form as a browser would post it, with the blank entry row filled."""
    data = change_form(response).data()
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "entries"
    )
    row = formset.initial_form_count()  # the first blank row follows the recorded ones
    for name, value in values.items():
        data[f"entries-{row}-{name}"] = [str(value)]
    return data


def new_entry(source, **overrides):
    return {
        "stage": "commitment",
        "amount": "1250000",
        "currency": "USD",
        "value_date": "2025-03-04",
        "value_date_precision": "month",
        "source": source.pk,
        **overrides,
    }


def test_an_entry_added_on_the_page_is_recorded_by_the_editor(editor_client, commitment, source):
    url = admin_url(commitment, "change")
    response = editor_client.post(url, entry_form_data(editor_client.get(url), **new_entry(source)))
    assert response.status_code == 302
    (entry,) = LedgerEntry.objects.all()
    assert entry.commitment == commitment
    assert (entry.stage, entry.amount, entry.currency) == ("commitment", Decimal(1250000), "USD")
    assert (entry.value_date, entry.value_date_precision) == (date(2025, 3, 4), "month")
    assert entry.recorded_by == "erin.editor"
    assert entry.idempotency_key.startswith("auto:")


def test_a_second_entry_is_added_after_the_recorded_ones(editor_client, commitment, source):
    record(commitment, source, "pledge", "10")
    url = admin_url(commitment, "change")
    data = entry_form_data(editor_client.get(url), **new_entry(source, stage="disbursement"))
    assert editor_client.post(url, data).status_code == 302
    assert sorted(LedgerEntry.objects.values_list("stage", flat=True)) == [
        "disbursement",
        "pledge",
    ]


def test_recorded_entries_show_read_only(editor_client, commitment, source):
    entry = record(commitment, source, "pledge", "4321")
    response = editor_client.get(admin_url(commitment, "change"))
    form = change_form(response)
    assert form.value("entries-0-id") == str(entry.pk)
    assert form.value("entries-0-amount") is None
    assert form.value("entries-0-currency") is None
    assert form.value("entries-1-amount") == ""  # the blank row for a new entry
    assert "4,321" in response.content.decode()


def test_posting_values_for_a_recorded_entry_changes_nothing(editor_client, commitment, source):
    entry = record(commitment, source, "pledge", "4321")
    url = admin_url(commitment, "change")
    data = change_form(editor_client.get(url)).data()
    data.update({"entries-0-amount": ["1"], "entries-0-currency": ["EUR"]})
    assert editor_client.post(url, data).status_code == 302
    (unchanged,) = LedgerEntry.objects.all()
    assert (unchanged.pk, unchanged.amount, unchanged.currency) == (entry.pk, 4321, "USD")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "XYZ", "XYZ is not an ISO 4217 currency code."),
        ("amount", "0", "The amount must be greater than zero."),
        ("amount", "-5", "The amount must be greater than zero."),
    ],
)
def test_a_refused_entry_shows_why_and_nothing_is_written(
    editor_client, commitment, source, field, value, message
):
    record(commitment, source, "pledge", "10")
    history_rows = commitment.history.count()
    url = admin_url(commitment, "change")
    data = entry_form_data(editor_client.get(url), **new_entry(source, **{field: value}))
    data["title"] = ["A title that must not be saved"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    (formset,) = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "entries"
    ]
    assert field in formset.formset.forms[1].errors
    assert LedgerEntry.objects.count() == 1
    commitment.refresh_from_db()
    assert commitment.title == "Presidential drawdown package"
    assert commitment.history.count() == history_rows


def test_an_entry_needs_a_source(editor_client, commitment, source):
    url = admin_url(commitment, "change")
    values = new_entry(source)
    del values["source"]
    response = editor_client.post(url, entry_form_data(editor_client.get(url), **values))
    assert response.status_code == 200
    assert LedgerEntry.objects.count() == 0


def test_the_commitment_page_lists_the_sources_it_cites(editor_client, commitment, source):
    other = services.record_source(title="Ministry statement", publisher="MoD")
    services.record_entry(
        commitment=commitment,
        stage="pledge",
        amount=Decimal(1),
        currency="EUR",
        value_date=date(2025, 1, 3),
        source=other,
    )
    content = editor_client.get(admin_url(commitment, "change")).content.decode()
    assert admin_url(source, "change") in content
    assert admin_url(other, "change") in content


def test_the_add_page_offers_no_entries_until_the_commitment_exists(editor_client, db):
    response = editor_client.get(admin_url(Commitment, "add"))
    assert response.context["inline_admin_formsets"] == []


def test_a_commitment_added_through_the_form(editor_client, united_states, ukraine, source):
    data = change_form(editor_client.get(admin_url(Commitment, "add"))).data()
    data.update(
        {
            "donor": [str(united_states.pk)],
            "recipient": [str(ukraine.pk)],
            "title": ["  Patriot batteries  "],
            "category": ["military"],
            "announced_on": ["2025-07-14"],
            "source": [str(source.pk)],
        }
    )
    response = editor_client.post(admin_url(Commitment, "add"), data)
    assert response.status_code == 302
    (commitment,) = Commitment.objects.all()
    assert commitment.title == "Patriot batteries"  # the service's cleaning applies
    assert commitment.history.get().history_user.username == "erin.editor"


# --- the page's action button -----------------------------------------------------------


def test_the_commitment_page_offers_to_pause_it(editor_client, commitment):
    response = editor_client.get(admin_url(commitment, "change"))
    button = object_action_button(response, "pause_deliveries_of_the_selected_commitments")
    assert button.attrs["action"] == admin_url(Commitment, "changelist")
    assert button.value("_selected_action") == str(commitment.pk)
    # Following it asks for the date and the source.
    follow = editor_client.post(button.attrs["action"], button.data())
    assert follow.status_code == 200
    assert set(follow.context["form"].fields) >= {"paused_on", "source"}
    assert follow.context["objects"] == [commitment]
