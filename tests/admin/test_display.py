"""What the admin prints for values no one types: amounts as people read them, and no
Python repr where a row not yet saved has no value (its ``recorded_at`` is set on save).

The seed scenario is the world a new user first sees, so every one of its pages is read.
"""

import re
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from lxml import html

from ledger.formatting import format_amount
from ledger.models import Commitment, LedgerEntry, ReportedTotal
from tests.admin.helpers import admin_url, ledger_models

REPR = re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>|DatabaseDefault")
# An amount as the database stores it: four decimal places, all zeros.
STORED_AMOUNT = re.compile(r"\d\.0000(?!\d)")


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("40000000000.0000", "USD", "40,000,000,000 USD"),
        ("1234.5000", "", "1,234.50"),
        ("-300.0000", "EUR", "-300 EUR"),
        ("0.1234", "", "0.1234"),
        ("0.0000", "", "0"),
        ("1E+3", "", "1,000"),
        ("9999999999999999.9999", "", "9,999,999,999,999,999.9999"),
    ],
)
def test_amounts_read_with_separators_and_without_trailing_zeros(amount, currency, shown):
    assert format_amount(Decimal(amount), currency) == shown


def cls(name: str) -> str:
    """An XPath test for an element with class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def cells(response, xpath: str) -> list[str]:
    page = html.fromstring(response.content.decode())
    found: Any = page.xpath(xpath)
    return [cell.text_content().strip() for cell in found]


def test_the_blank_entry_row_says_when_it_will_be_recorded(editor_client, commitment):
    response = editor_client.get(admin_url(commitment, "change"))
    assert response.status_code == 200
    assert not REPR.search(response.content.decode())
    new_rows = f"//*[@id='entries-group']//tr[{cls('form-row')}]"
    # The blank row, and the template the page copies for "Add another".
    assert cells(response, f"{new_rows}/td[{cls('field-recorded')}]") == ["on save"] * 2
    # The new row's amount is still a number to type.
    assert cells(response, f"{new_rows}//input[@type='number'][@name='entries-0-amount']")


def test_no_page_of_any_model_prints_a_repr(superuser_client, sample_of):
    for model in ledger_models():
        sample = sample_of(model)
        for url in (admin_url(model, "add"), admin_url(sample.obj, "change")):
            response = superuser_client.get(url)
            assert response.status_code == 200, url
            assert not REPR.search(response.content.decode()), url


@pytest.fixture
def seeded(db: None) -> None:
    call_command("load_scenario", stdout=StringIO())


def test_the_seeds_reported_total_reads_40_billion_dollars(superuser_client, seeded):
    total = ReportedTotal.objects.get()
    listed = superuser_client.get(admin_url(ReportedTotal, "changelist"))
    column = f"//*[@id='result_list']//td[{cls('field-reported_amount')}]"
    assert cells(listed, column) == ["40,000,000,000 USD"]
    page = superuser_client.get(admin_url(total, "change"))
    field = f"//*[{cls('field-reported_amount')}]//*[{cls('readonly')}]"
    assert cells(page, field) == ["40,000,000,000 USD"]
    assert "over) 40,000,000,000 USD" in page.content.decode()  # its name, in the title


def test_the_seeds_entry_reads_12_billion_dollars(superuser_client, seeded):
    entry = LedgerEntry.objects.get()
    listed = superuser_client.get(admin_url(LedgerEntry, "changelist"))
    column = f"//*[@id='result_list']//td[{cls('field-signed_amount')}]"
    assert cells(listed, column) == ["12,000,000,000 USD"]
    page = superuser_client.get(admin_url(entry, "change"))
    field = f"//*[{cls('field-signed_amount')}]//*[{cls('readonly')}]"
    assert cells(page, field) == ["12,000,000,000 USD"]
    on_commitment = superuser_client.get(admin_url(entry.commitment, "change"))
    recorded = f"//*[@id='entries-group']//tr[{cls('has_original')}]/td[{cls('field-amount')}]"
    assert cells(on_commitment, recorded) == ["12,000,000,000"]


def seed_pages(client) -> list[str]:
    """Every list, object page and history page of the seeded ledger."""
    urls = []
    for model in ledger_models():
        urls.append(admin_url(model, "changelist"))
        for obj in model._default_manager.all():
            urls += [admin_url(obj, "change"), admin_url(obj, "history")]
    return urls


def test_no_page_of_the_seed_shows_a_stored_amount(superuser_client, seeded):
    pages = seed_pages(superuser_client)
    assert admin_url(Commitment.objects.earliest("pk"), "change") in pages
    for url in pages:
        response = superuser_client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert not STORED_AMOUNT.search(content), (url, STORED_AMOUNT.findall(content))
        assert not REPR.search(content), url
