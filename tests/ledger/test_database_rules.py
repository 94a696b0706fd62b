"""The database itself keeps the ledger's promises, whoever writes to it.

The services are the one intended write path, but a shell, a data migration, a bulk
``update()`` or another program can reach the tables directly. These tests go around the
services (raw SQL, ``QuerySet.update()``/``delete()``, ``Model.save()``) and check that
PostgreSQL and SQLite each refuse every write that would break an invariant, and that
nothing changed afterwards. The rows they start from are made through the services.

Run them on both backends: ``make test`` (PostgreSQL) and ``make test-sqlite``.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, ProtectedError
from django.utils import timezone

from ledger import services
from ledger.models import (
    Commitment,
    CoordinationBody,
    FxRate,
    LedgerEntry,
    Mandate,
    Organization,
    OrganizationAlias,
    Pause,
    Responsibility,
    Source,
)

ON_SQLITE = connection.vendor == "sqlite"

# What each backend says when a rule refuses a write (regular expressions).
APPEND_ONLY = "ledger entries are append-only"
NOT_REVERSIBLE = "a reversal cannot be reversed"
NOT_A_MIRROR = "a reversal must mirror"
SERVER_TIME = "recorded_at is set by the server"
PAUSE_FIXED = "the scope, start and source of a recorded pause cannot change"
RESUMPTION_FIXED = "a recorded resumption cannot change"
PAUSE_KEPT = "pauses are never deleted"
MANDATE_FIXED = "recorded (end of )?mandate cannot change"
MANDATE_KEPT = "mandates are never deleted"
OVERLAP = "mandate_no_overlap|mandates of one responsibility must not overlap"
SUCCESSION = "a successor takes over the same responsibility after its predecessor ended"
NAME_IS_ALIAS = "is already an alias of an organization"
ALIAS_IS_NAME = "is already the name of an organization"
FOREIGN_KEY = "foreign key"


# --- helpers ---------------------------------------------------------------------------


def raw(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one statement on the ORM's connection, past every model and service."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def insert(table: str, row: dict[str, Any], *, verb: str = "INSERT", tail: str = "") -> None:
    """``INSERT`` (or ``verb``, e.g. ``INSERT OR REPLACE``) one row given as column: value."""
    columns = ", ".join(row)
    placeholders = ", ".join(["%s"] * len(row))
    raw(f"{verb} INTO {table} ({columns}) VALUES ({placeholders}) {tail}", list(row.values()))


def rows(model: type[Model]) -> list[dict[str, Any]]:
    return list(model._default_manager.order_by("pk").values())


@contextmanager
def refused(*unchanged: type[Model], match: str) -> Iterator[None]:
    """The database must refuse the write inside (an ``IntegrityError`` saying ``match``)
    and leave the tables of ``unchanged`` exactly as they were.

    The write runs in a savepoint, so the test's transaction stays usable on PostgreSQL.
    """
    before = {model: rows(model) for model in unchanged}
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        yield
    for model in unchanged:
        assert rows(model) == before[model], f"{model.__name__} changed, yet the write failed"


def key() -> str:
    return f"raw:{uuid4().hex}"


def now_param() -> Any:
    """The current time as Django itself would send it to this database."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def entry_row(entry: LedgerEntry, **changes: Any) -> dict[str, Any]:
    """The columns of ``entry`` under a fresh idempotency key, with ``changes``."""
    return {
        "commitment_id": entry.commitment_id,
        "stage": entry.stage,
        "amount": entry.amount,
        "currency": entry.currency,
        "value_date": entry.value_date,
        "source_id": entry.source_id,
        "reverses_id": None,
        "note": "",
        "recorded_by": "",
        "idempotency_key": key(),
        **changes,
    }


def pause_row(donor: Organization, source: Source, **changes: Any) -> dict[str, Any]:
    return {
        "donor_id": donor.pk,
        "commitment_id": None,
        "category": "",
        "description": "",
        "reason": "",
        "paused_on": date(2025, 3, 3),
        "source_id": source.pk,
        "idempotency_key": key(),
        **changes,
    }


def mandate_row(
    body: CoordinationBody,
    responsibility: Responsibility,
    source: Source,
    starts_on: date,
    ends_on: date | None = None,
    predecessor: Mandate | None = None,
) -> dict[str, Any]:
    return {
        "body_id": body.pk,
        "responsibility_id": responsibility.pk,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "end_source_id": source.pk if ends_on else None,
        "predecessor_id": predecessor.pk if predecessor else None,
        "source_id": source.pk,
        "note": "",
        "idempotency_key": key(),
    }


def organization_row(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "other",
        "country_code": "",
        "iati_identifier": "",
        "is_verified": True,
        "created_at": now_param(),
    }


def assert_recorded_now(recorded_at: datetime) -> None:
    assert abs(recorded_at - timezone.now()) < timedelta(minutes=1), recorded_at


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture
def other_source(db: None) -> Source:
    return services.record_source(url="https://example.org/news/2", title="A later report")


@pytest.fixture
def entry(commitment: Commitment, source: Source) -> LedgerEntry:
    return services.record_entry(
        commitment=commitment,
        stage="commitment",
        amount=Decimal("100"),
        currency="USD",
        value_date=date(2025, 1, 10),
        source=source,
    )


@pytest.fixture
def reversal(entry: LedgerEntry, other_source: Source) -> LedgerEntry:
    return services.reverse_entry(entry=entry, source=other_source, reason="Misread figure")


@pytest.fixture
def other_commitment(united_states: Organization, make_commitment) -> Commitment:
    return make_commitment(united_states, title="Another package")


@pytest.fixture
def paused(united_states: Organization, source: Source) -> Pause:
    """All US aid paused from 3 March 2025, not yet resumed."""
    return services.pause(donor=united_states, paused_on=date(2025, 3, 3), source=source)


@pytest.fixture
def resumed(paused: Pause, other_source: Source) -> Pause:
    return services.resume(pause=paused, resumed_on=date(2025, 3, 11), source=other_source)


@pytest.fixture
def military_aid(db: None) -> Responsibility:
    return services.create_responsibility(code="military-aid", name="Coordinating military aid")


@pytest.fixture
def training(db: None) -> Responsibility:
    return services.create_responsibility(code="training", name="Coordinating training")


@pytest.fixture
def udcg(db: None) -> CoordinationBody:
    return services.create_coordination_body(name="Ukraine Defense Contact Group", acronym="UDCG")


@pytest.fixture
def nsatu(db: None) -> CoordinationBody:
    return services.create_coordination_body(
        name="NATO Security Assistance and Training for Ukraine", acronym="NSATU"
    )


@pytest.fixture
def udcg_mandate(udcg: CoordinationBody, military_aid: Responsibility, source: Source) -> Mandate:
    """UDCG coordinated military aid over [2022-04-26, 2025-01-01)."""
    mandate = services.assign_mandate(
        body=udcg, responsibility=military_aid, starts_on=date(2022, 4, 26), source=source
    )
    return services.end_mandate(mandate=mandate, ends_on=date(2025, 1, 1), source=source)


@pytest.fixture
def open_mandate(udcg: CoordinationBody, training: Responsibility, source: Source) -> Mandate:
    """UDCG coordinates training from 2025-01-01, with no end yet."""
    return services.assign_mandate(
        body=udcg, responsibility=training, starts_on=date(2025, 1, 1), source=source
    )


# --- ledger entries are append-only ----------------------------------------------------


def test_raw_update_of_an_entry_is_refused(entry):
    with refused(LedgerEntry, match=APPEND_ONLY):
        raw("UPDATE ledger_ledgerentry SET amount = %s WHERE id = %s", [Decimal("1"), entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100")


def test_raw_delete_of_an_entry_is_refused(entry):
    with refused(LedgerEntry, match=APPEND_ONLY):
        raw("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_raw_delete_of_the_whole_ledger_is_refused(entry, reversal):
    with refused(LedgerEntry, match=APPEND_ONLY):
        raw("DELETE FROM ledger_ledgerentry")
    assert LedgerEntry.objects.count() == 2


def test_queryset_update_of_entries_is_refused(entry):
    with refused(LedgerEntry, match=APPEND_ONLY):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))


def test_queryset_delete_of_entries_is_refused(entry):
    with refused(LedgerEntry, match=APPEND_ONLY):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


def test_model_delete_of_an_entry_is_refused(entry):
    with refused(LedgerEntry, match=APPEND_ONLY):
        entry.delete()


def test_saving_a_changed_entry_is_refused(entry):
    entry.amount = Decimal("1")
    with refused(LedgerEntry, match=APPEND_ONLY):
        entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100")


def test_an_upsert_cannot_rewrite_an_entry(entry):
    """``INSERT … ON CONFLICT DO UPDATE`` is an update in disguise (both backends speak it)."""
    row = entry_row(entry, id=entry.pk, amount=Decimal("1"), idempotency_key=entry.idempotency_key)
    with refused(LedgerEntry, match=APPEND_ONLY):
        insert(
            "ledger_ledgerentry",
            row,
            tail="ON CONFLICT (id) DO UPDATE SET amount = excluded.amount",
        )


# INSERT OR REPLACE is SQLite's own syntax: on a clash it deletes the old row, without
# firing DELETE triggers, and inserts; BEFORE INSERT triggers refuse the clash first.
sqlite_only = pytest.mark.skipif(not ON_SQLITE, reason="INSERT OR REPLACE is SQLite's own")


@sqlite_only
@pytest.mark.parametrize("clash", ["id", "idempotency_key"])
def test_insert_or_replace_cannot_rewrite_an_entry_on_sqlite(entry, clash):
    changes = {"id": entry.pk} if clash == "id" else {"idempotency_key": entry.idempotency_key}
    with refused(LedgerEntry, match=APPEND_ONLY):
        insert(
            "ledger_ledgerentry",
            entry_row(entry, amount=Decimal("1"), **changes),
            verb="INSERT OR REPLACE",
        )


@sqlite_only
def test_insert_or_replace_cannot_rewrite_a_pause_on_sqlite(paused, united_states, source):
    row = pause_row(united_states, source, id=paused.pk, paused_on=date(2024, 1, 1))
    with refused(Pause, match=PAUSE_KEPT):
        insert("ledger_pause", {**row, "recorded_at": now_param()}, verb="INSERT OR REPLACE")


@sqlite_only
def test_insert_or_replace_cannot_rewrite_a_mandate_on_sqlite(
    udcg_mandate, nsatu, military_aid, source
):
    row = mandate_row(nsatu, military_aid, source, date(2019, 1, 1), date(2020, 1, 1))
    with refused(Mandate, match=MANDATE_KEPT):
        insert("ledger_mandate", {**row, "id": udcg_mandate.pk}, verb="INSERT OR REPLACE")


@pytest.mark.postgresql
@pytest.mark.parametrize("table", ["ledger_ledgerentry", "ledger_pause", "ledger_mandate"])
def test_append_only_tables_cannot_be_truncated(entry, paused, udcg_mandate, table):
    """TRUNCATE fires no row trigger; a statement trigger refuses it (SQLite has none)."""
    with refused(LedgerEntry, Pause, Mandate, match="append-only: TRUNCATE refused"):
        # Fire the deferred foreign-key checks of the fixtures' rows first: PostgreSQL will
        # not truncate a table with pending trigger events.
        raw("SET CONSTRAINTS ALL IMMEDIATE")
        # CASCADE: other tables (news candidates, further sources) refer to these.
        raw(f"TRUNCATE {table} CASCADE")


@pytest.mark.postgresql
def test_a_session_declaring_maintenance_may_truncate(entry, paused, udcg_mandate):
    """The documented way to empty a scratch database (and the test suite's reset)."""
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    raw("SET LOCAL aidledger.maintenance = 'on'")
    raw("TRUNCATE ledger_ledgerentry, ledger_pause, ledger_mandate CASCADE")
    assert (LedgerEntry.objects.count(), Pause.objects.count(), Mandate.objects.count()) == (
        0,
        0,
        0,
    )


# --- what a new entry may say ----------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-100")])
def test_raw_insert_of_a_non_positive_amount_is_refused(entry, amount):
    with refused(LedgerEntry, match="ledger_entry_amount_positive"):
        insert("ledger_ledgerentry", entry_row(entry, amount=amount))


@pytest.mark.parametrize("currency", ["usd", "Usd", "US", "U"])
def test_raw_insert_of_a_malformed_currency_is_refused(entry, currency):
    with refused(LedgerEntry, match="ledger_entry_currency_format"):
        insert("ledger_ledgerentry", entry_row(entry, currency=currency))


def test_raw_insert_without_an_idempotency_key_is_refused(entry):
    with refused(LedgerEntry, match="ledger_entry_idempotency_key_not_empty"):
        insert("ledger_ledgerentry", entry_row(entry, idempotency_key=""))


def test_raw_insert_reusing_an_idempotency_key_is_refused(entry):
    with refused(LedgerEntry, match="idempotency_key"):
        insert("ledger_ledgerentry", entry_row(entry, idempotency_key=entry.idempotency_key))


def test_a_well_formed_raw_insert_is_accepted(entry):
    """The control for the refusals above: the same row, unchanged, goes in."""
    row = entry_row(entry)
    insert("ledger_ledgerentry", row)
    assert LedgerEntry.objects.filter(idempotency_key=row["idempotency_key"]).exists()


# --- reversals -------------------------------------------------------------------------


def test_a_raw_reversal_that_mirrors_its_entry_is_accepted(entry):
    insert("ledger_ledgerentry", entry_row(entry, reverses_id=entry.pk))
    assert LedgerEntry.objects.get(reverses=entry).amount == entry.amount


def test_an_entry_cannot_be_reversed_twice(reversal, entry):
    with refused(LedgerEntry, match="reverses_id"):
        insert("ledger_ledgerentry", entry_row(entry, reverses_id=entry.pk))


def test_a_reversal_cannot_be_reversed(reversal):
    with refused(LedgerEntry, match=NOT_REVERSIBLE):
        insert("ledger_ledgerentry", entry_row(reversal, reverses_id=reversal.pk))


@pytest.mark.parametrize("column", ["amount", "currency", "stage", "value_date", "commitment_id"])
def test_a_reversal_must_mirror_its_entry(entry, other_commitment, column):
    different = {
        "amount": Decimal("99.99"),
        "currency": "GBP",
        "stage": "disbursement",
        "value_date": date(2025, 1, 11),
        "commitment_id": other_commitment.pk,
    }
    with refused(LedgerEntry, match=NOT_A_MIRROR):
        insert(
            "ledger_ledgerentry",
            entry_row(entry, reverses_id=entry.pk, **{column: different[column]}),
        )


# --- transaction time is the server's ---------------------------------------------------

ELSEWHEN = [
    pytest.param(datetime(2020, 1, 1, tzinfo=UTC), id="backdated"),
    pytest.param(datetime(2099, 1, 1, tzinfo=UTC), id="postdated"),
]


@pytest.mark.parametrize("recorded_at", ELSEWHEN)
def test_an_entry_cannot_choose_its_recorded_at(entry, recorded_at, is_postgresql):
    """PostgreSQL overwrites a supplied time with its own; SQLite refuses one not now."""
    row = entry_row(entry, recorded_at=recorded_at)
    if is_postgresql:
        insert("ledger_ledgerentry", row)
        assert_recorded_now(
            LedgerEntry.objects.get(idempotency_key=row["idempotency_key"]).recorded_at
        )
    else:
        with refused(LedgerEntry, match=SERVER_TIME):
            insert("ledger_ledgerentry", row)


@pytest.mark.parametrize("recorded_at", ELSEWHEN)
def test_a_pause_cannot_choose_its_recorded_at(ukraine, source, recorded_at, is_postgresql):
    row = pause_row(ukraine, source, recorded_at=recorded_at)
    if is_postgresql:
        insert("ledger_pause", row)
        assert_recorded_now(Pause.objects.get(idempotency_key=row["idempotency_key"]).recorded_at)
    else:
        with refused(Pause, match=SERVER_TIME):
            insert("ledger_pause", row)


@pytest.mark.parametrize("recorded_at", ELSEWHEN)
def test_a_mandate_cannot_choose_its_recorded_at(
    nsatu, military_aid, source, recorded_at, is_postgresql
):
    row = {**mandate_row(nsatu, military_aid, source, date(2025, 1, 1)), "recorded_at": recorded_at}
    if is_postgresql:
        insert("ledger_mandate", row)
        assert_recorded_now(Mandate.objects.get(idempotency_key=row["idempotency_key"]).recorded_at)
    else:
        with refused(Mandate, match=SERVER_TIME):
            insert("ledger_mandate", row)


# --- pauses ----------------------------------------------------------------------------


def test_raw_delete_of_a_pause_is_refused(paused):
    with refused(Pause, match=PAUSE_KEPT):
        raw("DELETE FROM ledger_pause WHERE id = %s", [paused.pk])


def test_queryset_delete_of_a_pause_is_refused(resumed):
    with refused(Pause, match=PAUSE_KEPT):
        Pause.objects.filter(pk=resumed.pk).delete()


@pytest.mark.parametrize(
    "column", ["paused_on", "donor_id", "source_id", "category", "recorded_at"]
)
def test_what_when_and_on_whose_word_a_pause_began_cannot_change(
    paused, ukraine, other_source, column
):
    new_value = {
        "paused_on": date(2025, 2, 1),
        "donor_id": ukraine.pk,
        "source_id": other_source.pk,
        "category": "military",
        "recorded_at": now_param(),
    }[column]
    with refused(Pause, match=PAUSE_FIXED):
        raw(f"UPDATE ledger_pause SET {column} = %s WHERE id = %s", [new_value, paused.pk])


def test_queryset_update_of_a_pause_start_is_refused(paused):
    with refused(Pause, match=PAUSE_FIXED):
        Pause.objects.filter(pk=paused.pk).update(paused_on=date(2025, 2, 1))


@pytest.mark.parametrize("column", ["resumed_on", "resumption_source_id"])
def test_a_recorded_resumption_cannot_change(resumed, source, column):
    new_value = {"resumed_on": date(2025, 4, 1), "resumption_source_id": source.pk}[column]
    with refused(Pause, match=RESUMPTION_FIXED):
        raw(f"UPDATE ledger_pause SET {column} = %s WHERE id = %s", [new_value, resumed.pk])


def test_a_recorded_resumption_cannot_be_withdrawn(resumed):
    with refused(Pause, match=RESUMPTION_FIXED):
        Pause.objects.filter(pk=resumed.pk).update(
            resumed_on=None, resumption_source=None, resumption_recorded_at=None
        )


def test_a_complete_raw_resumption_is_accepted(paused, other_source):
    """The control for the refusals below: date, source and time, and it goes in."""
    raw(
        "UPDATE ledger_pause SET resumed_on = %s, resumption_source_id = %s, "
        "resumption_recorded_at = %s WHERE id = %s",
        [date(2025, 3, 11), other_source.pk, now_param(), paused.pk],
    )
    paused.refresh_from_db()
    assert paused.resumed_on == date(2025, 3, 11)
    assert_recorded_now(paused.resumption_recorded_at)


def test_a_pause_cannot_resume_before_it_began(paused, other_source):
    with refused(Pause, match="pause_resumed_after_paused"):
        raw(
            "UPDATE ledger_pause SET resumed_on = %s, resumption_source_id = %s, "
            "resumption_recorded_at = %s WHERE id = %s",
            [date(2025, 3, 2), other_source.pk, now_param(), paused.pk],
        )


def test_a_resumption_needs_its_source(paused):
    with refused(Pause, match="pause_resumption_complete"):
        raw(
            "UPDATE ledger_pause SET resumed_on = %s, resumption_recorded_at = %s WHERE id = %s",
            [date(2025, 3, 11), now_param(), paused.pk],
        )


# --- mandates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        pytest.param(date(2024, 12, 1), None, id="open-ended-across-the-end"),
        pytest.param(date(2021, 1, 1), date(2022, 5, 1), id="across-the-start"),
        pytest.param(date(2023, 1, 1), date(2023, 2, 1), id="inside"),
        pytest.param(date(2021, 1, 1), None, id="around"),
        pytest.param(date(2024, 12, 31), date(2025, 1, 2), id="one-shared-day"),
    ],
)
def test_overlapping_mandates_for_one_responsibility_are_refused(
    udcg_mandate, nsatu, military_aid, source, starts_on, ends_on
):
    with refused(Mandate, match=OVERLAP):
        insert("ledger_mandate", mandate_row(nsatu, military_aid, source, starts_on, ends_on))


def test_adjacent_mandates_are_accepted(udcg_mandate, nsatu, military_aid, source):
    """Mandates are half-open, [starts_on, ends_on): one may end the day the next starts."""
    insert("ledger_mandate", mandate_row(nsatu, military_aid, source, date(2025, 1, 1)))
    insert(
        "ledger_mandate",
        mandate_row(nsatu, military_aid, source, date(2021, 1, 1), date(2022, 4, 26)),
    )
    assert Mandate.objects.filter(responsibility=military_aid).count() == 3


def test_the_same_period_of_another_responsibility_is_accepted(
    udcg_mandate, nsatu, training, source
):
    insert(
        "ledger_mandate", mandate_row(nsatu, training, source, date(2022, 4, 26), date(2025, 1, 1))
    )
    assert Mandate.objects.count() == 2


def test_ending_a_mandate_needs_a_source(open_mandate):
    with refused(Mandate, match="mandate_end_is_sourced"):
        raw(
            "UPDATE ledger_mandate SET ends_on = %s WHERE id = %s",
            [date(2025, 6, 1), open_mandate.pk],
        )


def test_a_mandate_cannot_end_before_it_starts(open_mandate, source):
    with refused(Mandate, match="mandate_ends_after_start"):
        raw(
            "UPDATE ledger_mandate SET ends_on = %s, end_source_id = %s WHERE id = %s",
            [date(2024, 12, 1), source.pk, open_mandate.pk],
        )


def test_raw_delete_of_a_mandate_is_refused(udcg_mandate):
    with refused(Mandate, match=MANDATE_KEPT):
        raw("DELETE FROM ledger_mandate WHERE id = %s", [udcg_mandate.pk])


def test_queryset_delete_of_a_mandate_is_refused(udcg_mandate):
    with refused(Mandate, match=MANDATE_KEPT):
        Mandate.objects.filter(pk=udcg_mandate.pk).delete()


@pytest.mark.parametrize("column", ["starts_on", "ends_on", "body_id", "source_id"])
def test_a_recorded_mandate_cannot_change(udcg_mandate, nsatu, other_source, column):
    new_value = {
        "starts_on": date(2022, 5, 1),
        "ends_on": date(2024, 6, 1),
        "body_id": nsatu.pk,
        "source_id": other_source.pk,
    }[column]
    with refused(Mandate, match=MANDATE_FIXED):
        raw(f"UPDATE ledger_mandate SET {column} = %s WHERE id = %s", [new_value, udcg_mandate.pk])


def test_a_successor_after_its_predecessor_ended_is_accepted(
    udcg_mandate, nsatu, military_aid, source
):
    """The control for the refusals below."""
    row = mandate_row(nsatu, military_aid, source, date(2025, 1, 1), predecessor=udcg_mandate)
    insert("ledger_mandate", row)
    assert Mandate.objects.get(idempotency_key=row["idempotency_key"]).predecessor == udcg_mandate


def test_a_successor_of_a_mandate_that_has_not_ended_is_refused(
    open_mandate, nsatu, training, source
):
    # Before the open mandate, so no overlap: only the succession rule can refuse it.
    row = mandate_row(
        nsatu, training, source, date(2024, 1, 1), date(2024, 6, 1), predecessor=open_mandate
    )
    with refused(Mandate, match=SUCCESSION):
        insert("ledger_mandate", row)


def test_a_successor_starting_before_its_predecessor_ended_is_refused(
    udcg_mandate, nsatu, military_aid, source
):
    row = mandate_row(
        nsatu, military_aid, source, date(2021, 1, 1), date(2022, 1, 1), predecessor=udcg_mandate
    )
    with refused(Mandate, match=SUCCESSION):
        insert("ledger_mandate", row)


def test_a_successor_for_another_responsibility_is_refused(udcg_mandate, nsatu, training, source):
    row = mandate_row(nsatu, training, source, date(2025, 1, 1), predecessor=udcg_mandate)
    with refused(Mandate, match=SUCCESSION):
        insert("ledger_mandate", row)


def test_a_raw_update_cannot_give_a_mandate_a_wrong_predecessor(
    udcg_mandate, open_mandate, nsatu, military_aid, source
):
    successor = services.assign_mandate(
        body=nsatu, responsibility=military_aid, starts_on=date(2025, 1, 1), source=source
    )
    with refused(Mandate, match=SUCCESSION):
        raw(
            "UPDATE ledger_mandate SET predecessor_id = %s WHERE id = %s",
            [open_mandate.pk, successor.pk],
        )


# --- organization names and aliases: one case-insensitive namespace --------------------


def test_an_alias_cannot_be_another_organizations_name(ukraine, united_states):
    with refused(OrganizationAlias, match=ALIAS_IS_NAME):
        insert(
            "ledger_organizationalias", {"organization_id": united_states.pk, "alias": "ukraine"}
        )


def test_an_alias_cannot_be_renamed_to_an_organizations_name(ukraine, united_states):
    with refused(OrganizationAlias, match=ALIAS_IS_NAME):
        OrganizationAlias.objects.filter(alias="USA").update(alias="UKRAINE")


def test_a_name_cannot_be_an_existing_alias(united_states):
    with refused(Organization, match=NAME_IS_ALIAS):
        insert("ledger_organization", organization_row("usa"))


def test_an_organization_cannot_be_renamed_to_an_existing_alias(ukraine, united_states):
    with refused(Organization, match=NAME_IS_ALIAS):
        raw("UPDATE ledger_organization SET name = %s WHERE id = %s", ["Washington", ukraine.pk])


def test_two_names_differing_only_by_case_are_refused(ukraine):
    with refused(Organization, match="organization_name_ci_unique"):
        insert("ledger_organization", organization_row("UKRAINE"))


def test_two_aliases_differing_only_by_case_are_refused(united_states, united_kingdom):
    with refused(OrganizationAlias, match="organization_alias_ci_unique"):
        insert("ledger_organizationalias", {"organization_id": united_kingdom.pk, "alias": "usa"})


@pytest.mark.parametrize("table", ["ledger_organization", "ledger_organizationalias"])
def test_names_differing_only_by_case_outside_ascii_are_refused(united_states, table):
    insert("ledger_organization", organization_row("Україна"))
    row = (
        organization_row("УКРАЇНА")
        if table == "ledger_organization"
        else {"organization_id": united_states.pk, "alias": "УКРАЇНА"}
    )
    with refused(Organization, OrganizationAlias, match="ci_unique|already the name"):
        insert(table, row)


@pytest.mark.parametrize("table", ["ledger_organization", "ledger_organizationalias"])
def test_an_alias_and_a_name_differing_only_by_case_outside_ascii_are_refused(
    united_states, united_kingdom, table
):
    insert("ledger_organizationalias", {"organization_id": united_states.pk, "alias": "США"})
    row = (
        organization_row("сша")
        if table == "ledger_organization"
        else {"organization_id": united_kingdom.pk, "alias": "сша"}
    )
    with refused(Organization, OrganizationAlias, match="ci_unique|already an alias"):
        insert(table, row)


def test_renaming_to_another_name_differing_only_by_case_outside_ascii_is_refused(ukraine):
    insert("ledger_organization", organization_row("Велика Британія"))
    with refused(Organization, match="ci_unique|already the name"):
        raw(
            "UPDATE ledger_organization SET name = %s WHERE id = %s",
            ["ВЕЛИКА БРИТАНІЯ", ukraine.pk],
        )
    # Changing the case of its own name is no clash.
    raw("UPDATE ledger_organization SET name = %s WHERE id = %s", ["UKRAINE", ukraine.pk])


# --- exchange rates --------------------------------------------------------------------


def fx_row(source: Source, **changes: Any) -> dict[str, Any]:
    return {
        "currency": "USD",
        "date": date(2025, 3, 3),
        "rate": Decimal("1.08"),
        "source_id": source.pk,
        **changes,
    }


@pytest.mark.parametrize("rate", [Decimal("0"), Decimal("-1.08")])
def test_a_non_positive_rate_is_refused(usd_rates, source, rate):
    with refused(FxRate, match="fx_rate_positive"):
        insert("ledger_fxrate", fx_row(source, rate=rate))


def test_a_rate_for_the_euro_is_refused(usd_rates, source):
    with refused(FxRate, match="fx_rate_not_base_currency"):
        insert("ledger_fxrate", fx_row(source, currency="EUR", rate=Decimal("1")))


def test_a_second_rate_for_the_same_day_is_refused(usd_rates, source):
    with refused(FxRate, match="fx_rate_one_per_day|ledger_fxrate.currency, ledger_fxrate.date"):
        insert("ledger_fxrate", fx_row(source, date=date(2025, 1, 2), rate=Decimal("1.3")))


# --- what an entry refers to cannot be deleted from under it ----------------------------


def test_an_organization_with_aid_cannot_be_deleted_through_the_orm(entry, ukraine):
    with pytest.raises(ProtectedError), transaction.atomic():
        ukraine.delete()
    assert Organization.objects.filter(pk=ukraine.pk).exists()


def test_a_source_cited_by_an_entry_cannot_be_deleted_through_the_orm(entry, source):
    with pytest.raises(ProtectedError), transaction.atomic():
        source.delete()
    assert Source.objects.filter(pk=source.pk).exists()


def test_raw_delete_of_an_organization_with_aid_is_refused(entry, ukraine):
    # Django declares its foreign keys DEFERRABLE INITIALLY DEFERRED: the refusal comes at
    # COMMIT. check_constraints() runs the same check now, as the commit would.
    with refused(Organization, Commitment, match=FOREIGN_KEY):
        raw("DELETE FROM ledger_organization WHERE id = %s", [ukraine.pk])
        connection.check_constraints()


def test_raw_delete_of_a_source_cited_by_an_entry_is_refused(entry, source):
    with refused(Source, LedgerEntry, match=FOREIGN_KEY):
        raw("DELETE FROM ledger_source WHERE id = %s", [source.pk])
        connection.check_constraints()
