"""The ledger's tables, one module per concept."""

from ledger.models.commitments import (
    AidCategory,
    Commitment,
    CommitmentIdentifier,
    IdentifierScheme,
    Instrument,
)
from ledger.models.coordination import (
    BodyMembership,
    CoordinationBody,
    Mandate,
    MembershipRole,
    Responsibility,
)
from ledger.models.dates import DatePrecision
from ledger.models.entries import LedgerEntry, Stage
from ledger.models.events import Event, EventKind
from ledger.models.fx import FxRate, RateProvider
from ledger.models.organizations import Organization, OrganizationAlias, OrganizationKind
from ledger.models.pauses import Pause
from ledger.models.reported_totals import AmountQualifier, ReportedTotal
from ledger.models.sources import CORROBORATED_FACTS, Corroboration, Source

__all__ = [
    "CORROBORATED_FACTS",
    "AidCategory",
    "AmountQualifier",
    "BodyMembership",
    "Commitment",
    "CommitmentIdentifier",
    "CoordinationBody",
    "Corroboration",
    "DatePrecision",
    "Event",
    "EventKind",
    "FxRate",
    "IdentifierScheme",
    "Instrument",
    "LedgerEntry",
    "Mandate",
    "MembershipRole",
    "Organization",
    "OrganizationAlias",
    "OrganizationKind",
    "Pause",
    "RateProvider",
    "ReportedTotal",
    "Responsibility",
    "Source",
    "Stage",
]
