"""Edits made in the admin leave a change history: who changed what, from what, to what.

The history is django-simple-history's, fed by the services' saves; these tests check
that an admin edit is attributed to the editor, keeps both values, and shows on the
object's history page; and that saving a page without changes records nothing.
"""

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils.html import escape

from tests.admin.helpers import admin_url, change_form


def edit_through_the_page(client, obj, **values):
    url = admin_url(obj, "change")
    data = change_form(client.get(url)).data()
    data.update({name: [value] for name, value in values.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()


def test_renaming_an_organization_records_who_and_both_names(editor_client, world):
    us = world.united_states
    edit_through_the_page(editor_client, us, name="United States of America (USG)")
    latest = us.history.first()
    assert latest.history_type == "~"
    assert latest.history_user.username == "erin.editor"
    (change,) = latest.diff_against(latest.prev_record).changes
    assert (change.field, change.old, change.new) == (
        "name",
        "United States",
        "United States of America (USG)",
    )


def test_the_history_page_lists_the_rename(editor_client, world):
    us = world.united_states
    edit_through_the_page(editor_client, us, name="United States of America (USG)")
    response = editor_client.get(admin_url(us, "history"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "erin.editor" in content
    assert escape("United States") in content
    assert escape("United States of America (USG)") in content
    assert response.context["page_obj"].paginator.count == 2  # created, then renamed


def test_retitling_a_commitment_records_who_and_both_titles(editor_client, world):
    commitment = world.commitment
    edit_through_the_page(editor_client, commitment, title="PDA tranche 52")
    latest = commitment.history.first()
    assert latest.history_user.username == "erin.editor"
    (change,) = latest.diff_against(latest.prev_record).changes
    assert (change.field, change.old, change.new) == (
        "title",
        "Presidential drawdown package",
        "PDA tranche 52",
    )
    content = editor_client.get(admin_url(commitment, "history")).content.decode()
    assert "PDA tranche 52" in content
    assert "Presidential drawdown package" in content


def test_saving_a_page_unchanged_records_no_history(editor_client, world):
    us = world.united_states
    rows = us.history.count()
    edit_through_the_page(editor_client, us)
    assert us.history.count() == rows


def test_the_admin_log_records_the_change_too(editor_client, world):
    edit_through_the_page(editor_client, world.united_states, kind="government_body")
    log = LogEntry.objects.select_related("user").get(
        object_id=str(world.united_states.pk), action_flag=CHANGE
    )
    assert str(log.user) == "erin.editor"
    assert "Kind" in log.get_change_message()
