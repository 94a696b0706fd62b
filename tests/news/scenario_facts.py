"""The seed scenario's facts as comparable rows, for the tests that check that accepting
the candidates of the five seed articles records what ``manage.py load_scenario`` records.

``ledger_facts()`` reads the ledger's facts on their key fields (who, what stage, how
much, in which currency, when and how precisely, which category), leaving out what an
editor words (titles, descriptions, notes) and where each came from (sources).
``load_scenario_facts()`` runs ``load_scenario`` in a savepoint it rolls back, so a test
gets the facts it records without keeping them. ``scenario_world()`` records only what the
scenario's facts refer to: its organizations, coordination bodies and responsibility.
"""

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import transaction

from ledger.management.commands.load_scenario import World, record_world
from ledger.models import (
    Commitment,
    Event,
    LedgerEntry,
    Mandate,
    Pause,
    ReportedTotal,
)

Facts = dict[str, list[tuple[Any, ...]]]


def _name(row: Any) -> str | None:
    return None if row is None else str(row.name)


def _sorted(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)


def ledger_facts() -> Facts:
    """Every fact in the ledger on its key fields, sorted, by kind."""
    return {
        "commitments": _sorted(
            [
                (
                    _name(c.donor),
                    _name(c.recipient),
                    c.category,
                    c.announced_on,
                    c.announced_on_precision,
                    c.period_start,
                    c.period_end,
                )
                for c in Commitment.objects.select_related("donor", "recipient")
            ]
        ),
        "entries": _sorted(
            [
                (
                    _name(e.commitment.donor),
                    e.stage,
                    e.signed_amount.normalize(),
                    e.currency,
                    e.value_date,
                    e.value_date_precision,
                )
                for e in LedgerEntry.objects.select_related("commitment__donor")
            ]
        ),
        "pauses": _sorted(
            [
                (
                    _name(p.donor),
                    _name(p.ordered_by),
                    p.commitment_id is not None,
                    p.category,
                    p.paused_on,
                    p.paused_on_precision,
                    p.resumed_on,
                )
                for p in Pause.objects.select_related("donor", "ordered_by")
            ]
        ),
        "mandates": _sorted(
            [
                (
                    m.body.name,
                    m.responsibility.code,
                    m.starts_on,
                    m.starts_on_precision,
                    m.ends_on,
                    m.predecessor.body.name if m.predecessor else None,
                )
                for m in Mandate.objects.select_related(
                    "body", "responsibility", "predecessor__body"
                )
            ]
        ),
        "events": _sorted(
            [
                (
                    e.kind,
                    e.occurred_on,
                    e.occurred_on_precision,
                    e.body.name if e.body else None,
                    tuple(sorted(p.name for p in e.participants.all())),
                    e.place,
                )
                for e in Event.objects.select_related("body").prefetch_related("participants")
            ]
        ),
        "reported_totals": _sorted(
            [
                (
                    _name(t.donor),
                    _name(t.recipient),
                    t.stage,
                    t.qualifier,
                    t.amount.normalize(),
                    t.currency,
                    t.period_start,
                    t.period_start_precision,
                    t.as_of,
                    t.as_of_precision,
                )
                for t in ReportedTotal.objects.select_related("donor", "recipient")
            ]
        ),
    }


class _Undo(Exception):
    pass


def load_scenario_facts() -> Facts:
    """What ``manage.py load_scenario`` records, read and then rolled back."""
    facts: Facts = {}
    try:
        with transaction.atomic():
            call_command("load_scenario", stdout=StringIO())
            facts = ledger_facts()
            raise _Undo
    except _Undo:
        pass
    return facts


def scenario_world() -> World:
    """The scenario's organizations, coordination bodies (with their members) and
    responsibilities, and no facts: what an editor's ledger holds before the news."""
    return record_world()
