"""The editors' review queue in the admin, through the test client: the queue and its
filters, the evidence marked at its offsets, the decisions through the real forms (one
by one and in bulk), the service's refusals as form errors, and what viewers may not do.

Articles and candidates are inserted as the news adapter stores them
(``tests.news.admin_rows``); decisions go through ``news.services.review``."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from ledger import services
from news.models import Article, Candidate, CandidateStatus
from tests.admin.helpers import admin_url, change_form, html_forms, offered_actions, run_action
from tests.news.admin_rows import (
    PAUSE,
    RESUMPTION,
    logged_in,
    make_article,
    make_candidate,
    pledge,
)

QUEUE = admin_url(Candidate, "changelist")


@pytest.fixture
def editor_client(db):
    return logged_in("erin.editor", group="editor")


@pytest.fixture
def viewer_client(db):
    return logged_in("victor.viewer", group="viewer")


@pytest.fixture
def article(db):
    return make_article()


@pytest.fixture
def queued(article, united_states, ukraine):
    """A matched pledge, a pause whose donor matched nothing, a resumption."""
    return {
        "pledge": pledge(article, donor=united_states, recipient=ukraine),
        "pause": make_candidate(
            article, PAUSE, kind="pause", donor_name="the Pentagon", confidence=0.4
        ),
        "resumption": make_candidate(
            article, RESUMPTION, kind="resumption", donor=united_states, confidence=0.6
        ),
    }


def listed(response) -> list[Candidate]:
    return list(response.context["cl"].result_list)


def marks(content: str) -> dict[str, str]:
    """Each ``<mark id="evidence-<pk>">`` of a page, by pk, its text unescaped."""
    found = re.findall(r'<mark id="evidence-(\d+)"[^>]*>(.*?)</mark>', content, re.S)
    return {pk: html.unescape(text) for pk, text in found}


# --- the queue ------------------------------------------------------------------------


def test_the_queue_lists_pending_candidates_by_article_then_position(editor_client, queued):
    later = make_article(
        text="A second report.\n" + PAUSE, content_hash="2" * 64, url="", title="Later report"
    )
    later.published_on = None
    later.save()
    other = make_candidate(later, PAUSE, kind="pause")
    queued["resumption"].status = CandidateStatus.REJECTED
    queued["resumption"].decided_at = queued["resumption"].created_at
    queued["resumption"].save()

    response = editor_client.get(QUEUE)
    assert listed(response) == [queued["pledge"], queued["pause"], other]
    content = response.content.decode()
    # The article heads its group once; amounts read as elsewhere in the admin.
    assert content.count("Rome conference raises money for rebuilding") == 1
    assert "12,000,000,000 USD" in content
    assert re.search(r"the Pentagon\s*<span class=\"unmatched\">unmatched</span>", content)
    everything = editor_client.get(QUEUE, {"status": "all"})
    assert queued["resumption"] in listed(everything)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "pause"}, {"pause"}),
        ({"confidence": "high"}, {"pledge"}),
        ({"confidence": "medium"}, {"resumption"}),
        ({"confidence": "low"}, {"pause"}),
        ({"publisher": "Example Wire"}, {"pledge", "pause", "resumption"}),
        ({"publisher": "Nobody"}, set()),
    ],
)
def test_the_queue_filters(editor_client, queued, query, expected):
    response = editor_client.get(QUEUE, query)
    assert {c.kind for c in listed(response)} == expected


def test_the_queue_filters_by_donor(editor_client, queued, united_states):
    response = editor_client.get(QUEUE, {"donor__id__exact": united_states.pk})
    assert set(listed(response)) == {queued["pledge"], queued["resumption"]}


def test_the_articles_list_counts_pending_and_decided_candidates(editor_client, queued):
    rejected = queued["pause"]
    rejected.status, rejected.decided_at = CandidateStatus.REJECTED, rejected.created_at
    rejected.save()
    articles = admin_url(Article, "changelist")
    (row,) = editor_client.get(articles).context["cl"].result_list
    assert (row.pending_count, row.decided_count) == (2, 1)
    assert list(editor_client.get(articles, {"pending": "no"}).context["cl"].result_list) == []
    assert (
        editor_client.get(articles, {"publisher": "Example Wire"}).context["cl"].result_count == 1
    )


# --- the evidence, marked ----------------------------------------------------------------


def test_the_article_page_marks_every_candidates_evidence_at_its_offsets(
    editor_client, article, queued
):
    response = editor_client.get(admin_url(article, "change"))
    assert response.status_code == 200
    content = response.content.decode()
    found = marks(content)
    for candidate in queued.values():
        assert (
            found[str(candidate.pk)]
            == article.text[candidate.evidence_start : candidate.evidence_end]
        )
        assert admin_url(candidate, "change") in content  # its kind links to it
    # The text around the marks is the article's, in order.
    shown = html.unescape(
        re.sub(
            r"<span class=\"evidence-labels\">.*?</span>|<[^>]+>",
            "",
            content.split('class="article-text">', 1)[1].split("</div>")[0],
        )
    )
    assert shown == article.text


def test_the_candidate_page_shows_its_paragraph_with_the_sentence_marked(
    editor_client, article, queued
):
    candidate = queued["pledge"]
    response = editor_client.get(admin_url(candidate, "change"))
    content = response.content.decode()
    assert marks(content) == {str(candidate.pk): candidate.evidence}
    assert "The money will be paid over several years." in content  # same paragraph
    assert "Leaders met in Rome" not in content  # the paragraph before


def test_a_script_in_an_article_is_shown_inert(editor_client, db):
    hostile = make_article(
        text="Intro <script>alert('text')</script> and a pledge of $5 billion.",
        title="<script>alert('title')</script>",
        url="javascript:alert('url')",
        publisher="<img src=x onerror=alert(1)>",
    )
    make_candidate(hostile, "a pledge of $5 billion.", amount=Decimal("5000000000"))
    for url in (admin_url(hostile, "change"), admin_url(Article, "changelist"), QUEUE):
        content = editor_client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert 'href="javascript:' not in content
    page = editor_client.get(admin_url(hostile, "change")).content.decode()
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in page


# --- decisions on a candidate's page --------------------------------------------------------


def decide(client, candidate: Candidate, button: str, value: str = "", **fields):
    """Post the candidate's page as a browser would, ``fields`` changed, ``button`` pressed."""
    url = admin_url(candidate, "change")
    data = change_form(client.get(url)).data()
    for name, field_value in fields.items():
        data[name] = [str(field_value)]
    data[button] = [value or "1"]
    return client.post(url, data)


def test_an_editor_accepts_a_candidate_as_proposed(editor_client, queued):
    candidate = queued["pledge"]
    response = decide(editor_client, candidate, "_accept")
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ACCEPTED
    assert candidate.decided_by.username == "erin.editor"
    # Decided: read-only, with who decided what and when; no decision can be posted again.
    page = editor_client.get(admin_url(candidate, "change"))
    assert page.context["has_change_permission"] is False
    assert re.search(r"<li>[^<]* UTC — erin\.editor: accepted</li>", page.content.decode())
    assert 'name="_accept"' not in page.content.decode()
    assert decide_again(editor_client, candidate) == 403


def decide_again(client, candidate: Candidate) -> int:
    return client.post(admin_url(candidate, "change"), {"_accept": "1"}).status_code


def test_an_editor_edits_then_accepts(editor_client, queued):
    candidate = queued["pledge"]
    response = decide(editor_client, candidate, "_edit_accept", amount="11000000000")
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.ACCEPTED
    assert candidate.amount == Decimal("11000000000")


def test_a_rejection_needs_its_reason(editor_client, queued):
    candidate = queued["pause"]
    response = decide(editor_client, candidate, "_reject")
    assert response.status_code == 200
    assert "reject_reason" in response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING

    response = decide(editor_client, candidate, "_reject", reject_reason="Not a new pause.")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decision_note) == ("rejected", "Not a new pause.")
    page = editor_client.get(admin_url(candidate, "change")).content.decode()
    assert "erin.editor: rejected: Not a new pause." in page


def test_a_refusal_of_the_service_shows_as_a_form_error(editor_client, queued):
    candidate = queued["pledge"]
    response = decide(editor_client, candidate, "_edit_accept", currency="")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_a_viewer_sees_the_queue_and_pages_without_decisions(viewer_client, queued):
    response = viewer_client.get(QUEUE)
    assert set(listed(response)) == set(queued.values())
    assert offered_actions(response) == set()
    page = viewer_client.get(admin_url(queued["pledge"], "change"))
    assert page.status_code == 200
    content = page.content.decode()
    for button in ("_accept", "_edit_accept", "_reject", "_link"):
        assert f'name="{button}"' not in content
    assert decide_again(viewer_client, queued["pledge"]) == 403
    queued["pledge"].refresh_from_db()
    assert queued["pledge"].status == CandidateStatus.PENDING


# --- in bulk ----------------------------------------------------------------------------


def test_bulk_reject_asks_for_the_reason_first(editor_client, queued):
    rows = [queued["pause"], queued["resumption"]]
    asking = run_action(editor_client, Candidate, "reject_the_selected_candidates", rows)
    assert asking.status_code == 200
    assert [f for f in html_forms(asking) if f.value("action")]  # the reason's page
    assert Candidate.objects.filter(status="rejected").count() == 0
    done = run_action(
        editor_client, Candidate, "reject_the_selected_candidates", rows, reason="Duplicates."
    )
    assert done.status_code == 302
    assert set(Candidate.objects.filter(status="rejected")) == set(rows)


@pytest.fixture
def recorded_pledge(united_states, ukraine, source):
    """The ledger already holds the pledge the article reports (from another source)."""
    commitment = services.create_commitment(
        donor=united_states,
        recipient=ukraine,
        title="Funds to rebuild the country",
        category="unspecified",
        announced_on=date(2025, 7, 10),
        source=source,
    )
    return services.record_entry(
        commitment=commitment,
        stage="pledge",
        amount=Decimal("12000000000"),
        currency="USD",
        value_date=date(2025, 7, 10),
        source=source,
    )


def link_buttons(response) -> list[str]:
    return re.findall(r'name="_link" value="([^"]+)"', response.content.decode())


def test_an_editor_links_a_duplicate_as_a_further_source(editor_client, queued, recorded_pledge):
    candidate = queued["pledge"]
    page = editor_client.get(admin_url(candidate, "change"))
    (key,) = link_buttons(page)
    assert key == f"ledger.ledgerentry:{recorded_pledge.pk}"
    content = page.content.decode()
    assert "Link as a further source of" in content
    assert admin_url(recorded_pledge, "change") in content  # the fact, in the admin
    response = decide(editor_client, candidate, "_link", value=key)
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.LINKED


def test_a_link_to_a_fact_not_offered_is_a_form_error(editor_client, queued, recorded_pledge):
    candidate = queued["pledge"]
    response = decide(editor_client, candidate, "_link", value=f"ledger.commitment:{10**9}")
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_bulk_accept_skips_and_reports_what_needs_the_editor(
    editor_client, article, queued, recorded_pledge, united_states
):
    """The pledge repeats a recorded fact; the pause names no donor the ledger knows;
    a second reading of the pause, its donor matched, is accepted."""
    matched = make_candidate(
        article,
        PAUSE,
        kind="pause",
        donor=united_states,
        date=date(2025, 7, 7),
        date_precision="week",
    )
    rows = [queued["pledge"], queued["pause"], matched]
    response = run_action(editor_client, Candidate, "accept_selected", rows)
    assert response.status_code == 302
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    statuses = [Candidate.objects.get(pk=c.pk).status for c in rows]
    assert statuses == ["pending", "pending", "accepted"], notes
    assert "Accepted 1 candidate(s)." in notes
    (skipped,) = [note for note in notes if note.startswith("Skipped 2")]
    assert "probably repeats" in skipped
    assert "needs details" in skipped


def test_a_probable_duplicate_refused_on_accepting_is_said_above_the_form(
    editor_client, queued, recorded_pledge
):
    response = decide(editor_client, queued["pledge"], "_accept")
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.non_field_errors()
    assert message.startswith("The ledger probably holds this fact already")
    queued["pledge"].refresh_from_db()
    assert queued["pledge"].status == CandidateStatus.PENDING
