"""Reads that are more than a filter: figures on two time axes, pauses, mandates, names."""

from ledger.selectors.figures import MEASURES, figures, figures_by_commitment, totals
from ledger.selectors.mandates import mandate_holder, succession
from ledger.selectors.organizations import default_recipient, find_organization
from ledger.selectors.pauses import commitment_paused, commitments_paused_on, pauses_in_force

__all__ = [
    "MEASURES",
    "commitment_paused",
    "commitments_paused_on",
    "default_recipient",
    "figures",
    "figures_by_commitment",
    "find_organization",
    "mandate_holder",
    "pauses_in_force",
    "succession",
    "totals",
]
