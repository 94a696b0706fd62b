"""The editors' workbench: one module per part of the ledger, all writing through
``ledger.services`` (see ``base.py``)."""

from ledger.admin import (
    commitments,
    coordination,
    entries,
    events,
    organizations,
    pauses,
    sources,
)

__all__ = [
    "commitments",
    "coordination",
    "entries",
    "events",
    "organizations",
    "pauses",
    "sources",
]
