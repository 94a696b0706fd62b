"""Each kind of candidate becomes its ledger fact, with the defaults the ledger can find
(the body the donor leads, the only responsibility, a handover where another body holds
it), and a second write of the same candidate's fact (a retry) records nothing new."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import Commitment, Event, LedgerEntry, Mandate, ReportedTotal
from news.services.recording import AcceptDetails, record_facts
from news.services.review import accept_candidate
from tests.news.review_factory import make_article, make_candidate, make_user

pytestmark = pytest.mark.django_db

SENTENCE = "A sentence the candidates quote."


@pytest.fixture
def editor():
    return make_user("editor")


@pytest.fixture
def article():
    return make_article(SENTENCE)


@pytest.fixture
def nato(db):
    return services.create_organization(name="NATO", kind="multilateral")


@pytest.fixture
def bodies(nato, united_states):
    """A U.S.-led body holding the responsibility since 2022, and the body NATO leads."""
    us_led = services.create_coordination_body(name="U.S.-led group")
    services.set_membership(body=us_led, organization=united_states, role="lead")
    nato_led = services.create_coordination_body(name="NATO group")
    services.set_membership(body=nato_led, organization=nato, role="lead")
    coordination = services.create_responsibility(code="coordination", name="Coordination")
    source = services.record_source(title="Earlier report")
    services.assign_mandate(
        body=us_led, responsibility=coordination, starts_on=date(2022, 1, 1), source=source
    )
    return us_led, nato_led


def test_a_mandate_goes_to_the_body_the_donor_leads_and_hands_over(
    article, editor, nato, united_states, bodies
):
    us_led, nato_led = bodies
    candidate = make_candidate(
        article,
        SENTENCE,
        kind="mandate",
        donor=nato,
        counterpart=united_states,
        date=date(2025, 1, 16),
    )

    accepted = accept_candidate(candidate=candidate, user=editor)

    mandate = Mandate.objects.get(body=nato_led)
    assert (accepted.mandate, mandate.starts_on) == (mandate, date(2025, 1, 16))
    assert mandate.predecessor == Mandate.objects.get(body=us_led)
    assert Mandate.objects.get(body=us_led).ends_on == date(2025, 1, 16)


def test_a_mandate_without_a_body_to_find_names_the_body_field(article, editor, united_states):
    candidate = make_candidate(
        article, SENTENCE, kind="mandate", donor=united_states, date=date(2025, 1, 16)
    )
    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=candidate, user=editor)
    assert list(refused.value.message_dict) == ["body"]


def test_an_event_has_the_donor_and_recipient_as_participants(
    article, editor, united_kingdom, ukraine
):
    candidate = make_candidate(
        article,
        SENTENCE,
        kind="event",
        donor=united_kingdom,
        recipient=ukraine,
        date=date(2025, 1, 16),
    )
    accept_candidate(
        candidate=candidate,
        user=editor,
        details=AcceptDetails(event_kind="agreement", title="Partnership signed", place="Kyiv"),
    )
    event = Event.objects.get()
    assert (event.kind, event.title, event.place, event.occurred_on) == (
        "agreement",
        "Partnership signed",
        "Kyiv",
        date(2025, 1, 16),
    )
    assert set(event.participants.all()) == {united_kingdom, ukraine}


def test_a_commitment_without_an_amount_is_the_commitment_alone(
    article, editor, united_states, ukraine
):
    candidate = make_candidate(
        article, SENTENCE, kind="commitment", donor=united_states, date=date(2024, 11, 13)
    )
    accepted = accept_candidate(candidate=candidate, user=editor)
    commitment = Commitment.objects.get()
    assert (accepted.commitment, accepted.entry, commitment.title) == (commitment, None, SENTENCE)
    assert LedgerEntry.objects.count() == 0


def test_an_allocation_adds_to_the_commitment_given(article, editor, commitment):
    candidate = make_candidate(
        article,
        SENTENCE,
        kind="allocation",
        donor=commitment.donor,
        amount="250000000",
        currency="EUR",
        date=date(2025, 3, 1),
    )
    accept_candidate(candidate=candidate, user=editor, details=AcceptDetails(commitment=commitment))
    entry = LedgerEntry.objects.get()
    assert (entry.commitment, entry.stage, entry.currency) == (commitment, "allocation", "EUR")
    assert Commitment.objects.count() == 1


def test_a_reported_total_needs_its_stage_and_period(article, editor, united_states, ukraine):
    candidate = make_candidate(
        article,
        SENTENCE,
        kind="reported_total",
        donor=united_states,
        amount="40000000000",
        currency="USD",
        qualifier="at_least",
        date=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        accept_candidate(candidate=candidate, user=editor)
    assert set(refused.value.message_dict) == {"stage", "period_start"}

    accept_candidate(
        candidate=candidate,
        user=editor,
        changes={"stage": "disbursement", "period_start": date(2022, 2, 24)},
    )
    total = ReportedTotal.objects.get()
    assert (total.qualifier, total.period_start, total.stage) == (
        "at_least",
        date(2022, 2, 24),
        "disbursement",
    )


def test_writing_a_candidates_fact_again_records_nothing_new(article, united_states, ukraine):
    """A retry after a crash between the ledger's write and the candidate's decision."""
    candidate = make_candidate(
        article,
        SENTENCE,
        kind="disbursement",
        donor=united_states,
        amount="100",
        currency="USD",
        date=date(2025, 5, 1),
    )
    first = record_facts(candidate=candidate, details=AcceptDetails(), recorded_by="editor")
    again = record_facts(candidate=candidate, details=AcceptDetails(), recorded_by="editor")

    assert first == again
    assert (LedgerEntry.objects.count(), Commitment.objects.count()) == (1, 1)
