"""Bursts of identical writes, sent at once from threads to a live server on PostgreSQL:
each request has its own connection and transaction, so two of them can both find a name,
an identifier or a key free and both insert. The database lets one in; the service
answers the others as it would have answered them one after another (a replay, or the
field error naming what was taken), never a 500, and only the write that inserted the
row says 201.

PostgreSQL only (SQLite runs one writer at a time, so there is no race), committed data
(transactional tests), a few bursts per case so that a race that happens only now and
then still shows.
"""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from django.db import connection

from api.models import ApiKey
from ledger import services
from ledger.models import Commitment, CommitmentIdentifier, LedgerEntry, Organization, Source

pytestmark = pytest.mark.postgresql

CALLERS = 20
BURSTS = 3


@pytest.fixture
def live_db(transactional_db: None, django_db_serialized_rollback: None) -> Iterator[None]:
    """Committed data, which the live server's threads see. The test's flush may empty the
    append-only ledger tables only once the session declares maintenance (see
    ledger/migrations/sql/0003_refuse_emptying.postgresql.sql); a transactional test
    closes its connection after the flush, which forgets the switch. Serialized rollback
    restores what the migrations created (the editor and viewer groups) for later tests."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET aidledger.maintenance = 'on'")


@pytest.fixture
def ledger(live_db: None) -> dict[str, Any]:
    ukraine = services.create_organization(name="Ukraine", kind="state", country_code="UA")
    donor = services.create_organization(name="United Kingdom", kind="state", country_code="GB")
    source = services.record_source(url="https://example.org/news/1", title="A report")
    commitment = services.create_commitment(
        donor=donor,
        recipient=ukraine,
        title="Air defence",
        category="military",
        announced_on=date(2025, 1, 2),
        source=source,
    )
    body = services.create_coordination_body(name="Ukraine Defense Contact Group")
    demining = services.create_responsibility(code="demining", name="Coordinating demining")
    return {
        "donor": donor,
        "source": source,
        "commitment": commitment,
        "body": body,
        "demining": demining,
    }


@pytest.fixture
def post_at_once(live_server: Any, live_db: None) -> Callable[..., list[httpx.Response]]:
    """``post_at_once(path, bodies, headers)``: one POST per body, all released at the same
    moment from threads of their own, each on its own connection; the answers in order."""
    _, key = ApiKey.objects.create_key(name="burst", role="editor")

    def post(path: str, bodies: list[dict[str, Any]], **headers: str) -> list[httpx.Response]:
        start = threading.Barrier(len(bodies))
        answers: list[Any] = [None] * len(bodies)

        def call(index: int) -> None:
            with httpx.Client(base_url=live_server.url, timeout=60) as client:
                start.wait()
                answers[index] = client.post(
                    path,
                    json=bodies[index],
                    headers={"Authorization": f"Api-Key {key}", **headers},
                )

        threads = [threading.Thread(target=call, args=(i,)) for i in range(len(bodies))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return answers

    return post


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(answer.status_code for answer in answers)


def named_fields(answers: list[httpx.Response], status: int) -> set[str]:
    """The fields the answers of that status name, each answer at least one."""
    named = [set(a.json().get("fields", {})) for a in answers if a.status_code == status]
    assert all(named), [a.text for a in answers if a.status_code == status]
    return set().union(*named)


def test_one_organization_name_posted_at_once_is_created_once(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    for burst in range(BURSTS):
        name = f"Caritas {burst}"
        answers = post_at_once("/api/v1/organizations/", [{"name": name, "kind": "ngo"}] * CALLERS)
        assert statuses(answers) == {201: 1, 400: CALLERS - 1}, [a.text for a in answers]
        assert named_fields(answers, 400) == {"name"}
        assert Organization.objects.filter(name=name).count() == 1


def commitment_body(ledger: dict[str, Any], *, title: str, identifier: str) -> dict[str, Any]:
    return {
        "donor": ledger["donor"].pk,
        "title": title,
        "category": "humanitarian",
        "announced_on": "2025-10-01",
        "source": ledger["source"].pk,
        "identifiers": {"iati": identifier},
    }


def test_one_commitment_identifier_posted_at_once_is_created_once_and_replayed(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    for burst in range(BURSTS):
        body = commitment_body(ledger, title="Winter aid", identifier=f"GB-1-{burst}")
        answers = post_at_once("/api/v1/commitments/", [body] * CALLERS)
        assert statuses(answers) == {201: 1, 200: CALLERS - 1}, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert CommitmentIdentifier.objects.filter(value=f"GB-1-{burst}").count() == 1


def test_one_identifier_posted_at_once_with_other_content_is_a_conflict_naming_it(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    for burst in range(BURSTS):
        identifier = f"GB-2-{burst}"
        bodies = [
            commitment_body(ledger, title=f"Winter aid, part {n}", identifier=identifier)
            for n in range(CALLERS)
        ]
        before = Commitment.objects.count()
        answers = post_at_once("/api/v1/commitments/", bodies)
        assert statuses(answers) == {201: 1, 409: CALLERS - 1}, [a.text for a in answers]
        assert named_fields(answers, 409) == {"identifiers"}
        assert Commitment.objects.count() == before + 1


def test_one_idempotency_key_posted_at_once_is_written_once_and_created_once(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    body = {
        "commitment": ledger["commitment"].pk,
        "stage": "disbursement",
        "amount": "100.00",
        "currency": "GBP",
        "value_date": "2025-07-01",
        "source": ledger["source"].pk,
    }
    for burst in range(BURSTS):
        key = f"delivery-{burst}"
        answers = post_at_once("/api/v1/entries/", [body] * CALLERS, **{"Idempotency-Key": key})
        assert statuses(answers) == {201: 1, 200: CALLERS - 1}, [a.text for a in answers]
        assert len({a.json()["id"] for a in answers}) == 1
        assert LedgerEntry.objects.filter(idempotency_key=key).count() == 1


def test_one_reversal_posted_at_once_is_written_once_and_created_once(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    source: Source = ledger["source"]
    for burst in range(BURSTS):
        entry = services.record_entry(
            commitment=ledger["commitment"],
            stage="commitment",
            amount=Decimal(burst + 1),
            currency="GBP",
            value_date=date(2025, 7, 1),
            source=source,
        )
        body = {"source": source.pk, "reason": "Counted twice."}
        key = f"reversal-{burst}"
        answers = post_at_once(
            f"/api/v1/entries/{entry.pk}/reverse/", [body] * CALLERS, **{"Idempotency-Key": key}
        )
        assert statuses(answers) == {201: 1, 200: CALLERS - 1}, [a.text for a in answers]
        assert LedgerEntry.objects.filter(reverses=entry).count() == 1


def test_overlapping_mandates_posted_at_once_are_one_mandate_and_refusals_naming_the_start(
    ledger: dict[str, Any], post_at_once: Callable[..., list[httpx.Response]]
) -> None:
    """Other keys, so no replays: the database's exclusion constraint lets one mandate in
    and the others are told that they overlap it, as they would have been one by one."""
    for burst in range(BURSTS):
        year = 2000 + 2 * burst
        bodies = [
            {
                "body": ledger["body"].pk,
                "responsibility": ledger["demining"].pk,
                "starts_on": f"{year}-01-01",
                "ends_on": f"{year + 1}-01-01",
                "source": ledger["source"].pk,
                "idempotency_key": f"mandate-{burst}-{n}",
            }
            for n in range(CALLERS)
        ]
        answers = post_at_once("/api/v1/mandates/", bodies)
        assert statuses(answers) == {201: 1, 400: CALLERS - 1}, [a.text for a in answers]
        assert named_fields(answers, 400) == {"starts_on"}
