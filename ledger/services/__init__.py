"""The one write path into the ledger, shared by the admin, the API and the ingest workers.

Every function is keyword-only, atomic, validates its input and raises Django's
``ValidationError`` with field messages; those taking an ``idempotency_key`` return the
first result when called again with the same key and content.
"""

from ledger.services._common import was_created
from ledger.services.commitments import add_identifier, create_commitment
from ledger.services.coordination import (
    MandateHeld,
    assign_mandate,
    create_coordination_body,
    create_responsibility,
    end_mandate,
    set_membership,
)
from ledger.services.editing import edit, set_participants
from ledger.services.entries import correct_entry, record_entry, reverse_entry
from ledger.services.events import record_event, record_reported_total
from ledger.services.fx import record_fx_rate, record_fx_rates
from ledger.services.organizations import add_alias, create_organization
from ledger.services.pauses import pause, resume, update_pause
from ledger.services.sources import add_further_source, record_source

__all__ = [
    "MandateHeld",
    "add_alias",
    "add_further_source",
    "add_identifier",
    "assign_mandate",
    "correct_entry",
    "create_commitment",
    "create_coordination_body",
    "create_organization",
    "create_responsibility",
    "edit",
    "end_mandate",
    "pause",
    "record_entry",
    "record_event",
    "record_fx_rate",
    "record_fx_rates",
    "record_reported_total",
    "record_source",
    "resume",
    "reverse_entry",
    "set_membership",
    "set_participants",
    "update_pause",
    "was_created",
]
