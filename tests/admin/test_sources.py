"""Sources in the admin: what a document does not state (its publisher, publication date
or URL) reads "not stated", on the seed scenario's sources as on any other."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ledger import scenario
from ledger.models import Source
from tests.admin.helpers import admin_url, change_form

NOT_STATED = "not stated"


@pytest.fixture
def seeded(db: None) -> None:
    call_command("load_scenario", stdout=StringIO())


def list_rows(response) -> dict[str, list[str]]:
    """The changelist's rows by the source's id (from its link): the text of each cell."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S):
        links = re.findall(r'href="/admin/ledger/source/(\d+)/change/', row)
        if links:
            cells = re.findall(r"<t[dh] [^>]*>(.*?)</t[dh]>", row, re.S)
            rows[links[0]] = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    return rows


def readonly_values(response) -> dict[str, str]:
    """A read-only change page's values by field name."""
    page = response.content.decode()
    found = re.findall(
        r'<div class="form-row[^"]*field-(\w+)[^"]*">.*?<div class="readonly">(.*?)</div>',
        page,
        re.S,
    )
    return {name: re.sub(r"<[^>]+>", "", value).strip() for name, value in found}


def test_the_sources_list_says_what_is_not_stated(editor_client, seeded):
    rows = list_rows(editor_client.get(admin_url(Source, "changelist")))
    assert len(rows) == Source.objects.count() == 9
    for source in Source.objects.all():
        publisher, title, published_on, url = rows[str(source.pk)]
        assert title == source.title
        assert publisher == (source.publisher or NOT_STATED)
        assert url == NOT_STATED
        assert (published_on == NOT_STATED) == (source.published_on is None)
    kuleba = Source.objects.filter(title=scenario.KULEBA.title).first()
    assert kuleba is not None
    assert rows[str(kuleba.pk)][0] == "The Kyiv Independent"
    assert rows[str(kuleba.pk)][2] != NOT_STATED


def test_a_viewer_reads_not_stated_on_a_source(viewer_client, seeded):
    roundup = Source.objects.filter(title=scenario.ROUNDUP.title).first()
    assert roundup is not None
    values = readonly_values(viewer_client.get(admin_url(roundup, "change")))
    assert values["title"] == scenario.ROUNDUP.title
    assert (values["publisher"], values["published_on"], values["url"]) == (NOT_STATED,) * 3
    blinken = Source.objects.filter(title=scenario.BLINKEN.title).first()
    assert blinken is not None
    values = readonly_values(viewer_client.get(admin_url(blinken, "change")))
    assert (values["publisher"], values["published_on"]) == ("RFE/RL", NOT_STATED)


def test_an_editor_sees_not_stated_in_the_empty_fields(editor_client, seeded):
    roundup = Source.objects.filter(title=scenario.ROUNDUP.title).first()
    assert roundup is not None
    response = editor_client.get(admin_url(roundup, "change"))
    page = response.content.decode()
    for field in ("publisher", "published_on", "url"):
        (tag,) = re.findall(rf'<input[^>]*name="{field}"[^>]*>', page)
        assert f'placeholder="{NOT_STATED}"' in tag
        assert change_form(response).value(field) == ""
