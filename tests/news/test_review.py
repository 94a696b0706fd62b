"""Accepting, editing, rejecting and linking candidates: every accepted fact is written
through the ledger's services with the article as its source, once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from ledger.models import Commitment, Corroboration, LedgerEntry, Pause
from news.models import Candidate
from news.selectors.candidates import probable_duplicates, review_queue
from news.services.review import (
    AcceptDetails,
    accept_candidate,
    link_candidate,
    reject_candidate,
)
from tests.news.review_factory import make_article, make_candidate, make_user

pytestmark = pytest.mark.django_db

PLEDGE = "The donors pledged $12 billion on Thursday to rebuild the country."
PAUSE = "The ministry halted weapons shipments last week."
RESUMED = "On Monday the shipments resumed."


@pytest.fixture
def editor():
    return make_user("editor")


@pytest.fixture
def article():
    return make_article(f"Opening line. {PLEDGE} {PAUSE} {RESUMED} Closing line.")


@pytest.fixture
def pledge(article, united_states, ukraine):
    return make_candidate(
        article,
        PLEDGE,
        kind="pledge",
        donor=united_states,
        recipient=ukraine,
        amount="12000000000",
        currency="USD",
        date=date(2025, 7, 10),
    )


def test_accepting_a_pledge_records_a_commitment_and_an_entry_citing_the_article(
    pledge, editor, article
):
    accepted = accept_candidate(candidate=pledge, user=editor)

    assert accepted.status == "accepted"
    assert (accepted.decided_by, accepted.decided_at is not None) == (editor, True)
    entry = LedgerEntry.objects.get()
    assert (entry.stage, entry.amount, entry.currency, entry.value_date) == (
        "pledge",
        Decimal("12000000000"),
        "USD",
        date(2025, 7, 10),
    )
    assert entry.commitment.donor.name == "United States"
    assert entry.commitment.recipient.name == "Ukraine"
    assert entry.commitment.title == PLEDGE
    assert (entry.source.url, entry.source.excerpt) == (article.url, PLEDGE)
    assert entry.source.publisher == "Example Wire"
    assert (accepted.entry, accepted.commitment, accepted.source) == (
        entry,
        entry.commitment,
        entry.source,
    )
    assert entry.recorded_by == editor.username


def test_accepting_twice_records_the_fact_once(pledge, editor):
    first = accept_candidate(candidate=pledge, user=editor)
    again = accept_candidate(candidate=pledge, user=editor)

    assert again.entry_id == first.entry_id
    assert (LedgerEntry.objects.count(), Commitment.objects.count()) == (1, 1)


def test_accepting_again_with_other_edits_is_refused(pledge, editor):
    accept_candidate(candidate=pledge, user=editor)

    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=pledge, user=editor, changes={"amount": Decimal("1")})
    assert "status" in refused.value.message_dict
    assert LedgerEntry.objects.count() == 1


def test_edit_then_accept_records_the_edited_values(pledge, editor, united_kingdom):
    accept_candidate(
        candidate=pledge,
        user=editor,
        changes={
            "donor": united_kingdom,
            "amount": Decimal("2260000000"),
            "currency": "gbp",
            "kind": "disbursement",
            "category": "military",
            "date": date(2025, 7, 9),
            "date_precision": "month",
        },
        details=AcceptDetails(title="Air defence package", description="Edited by hand."),
    )

    entry = LedgerEntry.objects.get()
    assert (entry.stage, entry.amount, entry.currency) == (
        "disbursement",
        Decimal("2260000000"),
        "GBP",
    )
    # A month is stored as its first day.
    assert (entry.value_date, entry.value_date_precision) == (date(2025, 7, 1), "month")
    assert entry.commitment.donor == united_kingdom
    assert (entry.commitment.title, entry.commitment.category) == (
        "Air defence package",
        "military",
    )
    # The history keeps what the extractor proposed beside what the editor accepted.
    assert pledge.history.earliest().amount == Decimal("12000000000")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XX1"}, "currency"),
        ({"kind": "rumour"}, "kind"),
        ({"evidence": "something else"}, "evidence"),
        ({"donor": 3}, "donor"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount_upper": Decimal("5")}, "amount_upper"),
        ({"date": None}, "date"),
        ({"currency": ""}, "currency"),
    ],
)
def test_bad_edits_are_refused_naming_the_field(pledge, editor, changes, field):
    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=pledge, user=editor, changes=changes)

    assert field in refused.value.message_dict
    pledge.refresh_from_db()
    assert (pledge.status, LedgerEntry.objects.count()) == ("pending", 0)


def test_a_viewer_may_not_decide(pledge):
    with pytest.raises(PermissionDenied):
        accept_candidate(candidate=pledge, user=make_user("viewer"))
    with pytest.raises(PermissionDenied):
        reject_candidate(candidate=pledge, user=make_user("viewer"), reason="No.")


def test_reject_needs_a_reason_and_keeps_who_decided(pledge, editor):
    with pytest.raises(ValidationError) as refused:
        reject_candidate(candidate=pledge, user=editor, reason="  ")
    assert "reason" in refused.value.message_dict

    rejected = reject_candidate(candidate=pledge, user=editor, reason="A quote of a demand.")

    assert (rejected.status, rejected.decision_note, rejected.decided_by) == (
        "rejected",
        "A quote of a demand.",
        editor,
    )
    assert LedgerEntry.objects.count() == 0
    latest = rejected.history.latest()
    assert (latest.status, latest.history_user) == ("rejected", editor)
    # Rejecting again for the same reason is a replay; accepting now is refused.
    assert reject_candidate(candidate=pledge, user=editor, reason="A quote of a demand.")
    with pytest.raises(ValidationError, match="already decided"):
        accept_candidate(candidate=pledge, user=editor)


def test_a_decided_candidate_cannot_be_deleted(pledge, editor):
    reject_candidate(candidate=pledge, user=editor, reason="Not aid.")

    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        Candidate.objects.filter(pk=pledge.pk).delete()
    assert "never deleted" in str(refused.value)
    assert Candidate.objects.filter(pk=pledge.pk).exists()


def test_a_pending_candidate_may_be_deleted(pledge):
    Candidate.objects.filter(pk=pledge.pk).delete()
    assert not Candidate.objects.exists()


def test_pause_and_resumption_open_and_close_the_donors_pause(
    article, editor, united_states, ukraine
):
    pause = make_candidate(
        article,
        PAUSE,
        kind="pause",
        donor=united_states,
        category="military",
        date=date(2025, 6, 30),
        date_precision="week",
    )
    resumption = make_candidate(
        article, RESUMED, kind="resumption", donor=united_states, date=date(2025, 7, 7)
    )

    accept_candidate(
        candidate=pause,
        user=editor,
        details=AcceptDetails(description="weapons shipments", reason="Stockpiles ran low."),
    )
    closed = accept_candidate(candidate=resumption, user=editor)

    recorded = Pause.objects.get()
    assert (recorded.donor, recorded.category, recorded.paused_on) == (
        united_states,
        "military",
        date(2025, 6, 30),
    )
    assert (recorded.paused_on_precision, recorded.reason) == ("week", "Stockpiles ran low.")
    assert (recorded.resumed_on, recorded.resumption_source_id) == (
        date(2025, 7, 7),
        closed.source_id,
    )
    assert closed.source
    assert closed.source.excerpt == RESUMED
    assert closed.pause == recorded


def test_a_resumption_without_an_open_pause_names_the_pause_field(article, editor, united_states):
    resumption = make_candidate(
        article, RESUMED, kind="resumption", donor=united_states, date=date(2025, 7, 7)
    )
    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=resumption, user=editor)
    assert "pause" in refused.value.message_dict


def test_a_second_article_for_the_same_fact_is_a_probable_duplicate_and_links(
    pledge, editor, united_states, ukraine
):
    accept_candidate(candidate=pledge, user=editor)
    other_text = "Donors promised $12 billion for reconstruction, officials said on Friday."
    other = make_candidate(
        make_article(other_text, publisher="Other Wire"),
        other_text,
        kind="pledge",
        donor=united_states,
        recipient=ukraine,
        amount="12000000000",
        currency="USD",
        date=date(2025, 7, 11),
    )

    entry = LedgerEntry.objects.get()
    assert probable_duplicates(candidate=other) == [entry]
    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=other, user=editor)
    assert "duplicates" in refused.value.message_dict
    assert f"{entry.pk}" in refused.value.message_dict["duplicates"][0]

    linked = link_candidate(candidate=other, user=editor, fact=entry)

    assert (linked.status, linked.entry) == ("linked", entry)
    further = Corroboration.objects.get()
    assert (further.entry, further.source.publisher, further.source.excerpt) == (
        entry,
        "Other Wire",
        other_text,
    )
    assert LedgerEntry.objects.count() == 1
    # Linking again is a replay; the further source is recorded once.
    link_candidate(candidate=other, user=editor, fact=entry)
    assert Corroboration.objects.count() == 1


def test_a_fact_outside_the_window_is_no_duplicate(pledge, editor, article):
    accept_candidate(candidate=pledge, user=editor)
    later = make_candidate(
        article,
        PAUSE,
        kind="pledge",
        donor=pledge.donor,
        amount="12000000000",
        currency="USD",
        date=date(2025, 9, 1),
    )
    assert probable_duplicates(candidate=later) == []
    # Known only to the year, it may be the same pledge.
    later.date, later.date_precision = date(2025, 1, 1), "year"
    assert probable_duplicates(candidate=later) == [
        pledge.entry if False else LedgerEntry.objects.get()
    ]


def test_record_anyway_records_a_second_fact(pledge, editor, article):
    accept_candidate(candidate=pledge, user=editor)
    again = make_candidate(
        article,
        PAUSE,
        kind="pledge",
        donor=pledge.donor,
        amount="12000000000",
        currency="USD",
        date=date(2025, 7, 10),
    )
    accept_candidate(candidate=again, user=editor, details=AcceptDetails(record_anyway=True))
    assert LedgerEntry.objects.count() == 2


def test_the_queue_filters(pledge, article, editor, united_kingdom):
    low = make_candidate(article, PAUSE, kind="pause", donor=united_kingdom, confidence=0.2)

    assert list(review_queue()) == [pledge, low]
    assert list(review_queue(kind="pause")) == [low]
    assert list(review_queue(min_confidence=0.5)) == [pledge]
    assert list(review_queue(max_confidence=0.5)) == [low]
    assert list(review_queue(donor=united_kingdom.pk)) == [low]
    assert list(review_queue(publisher="example wire")) == [pledge, low]
    assert list(review_queue(publisher="Other")) == []
    reject_candidate(candidate=low, user=editor, reason="Not a pause.")
    assert list(review_queue()) == [pledge]
    assert list(review_queue(status="rejected")) == [low]
    assert list(review_queue(status=None)) == [pledge, low]
