"""Writing an accepted candidate into the ledger, one function per kind of fact.

Everything goes through ``ledger.services`` with the article as the cited source, and
every write is keyed by the candidate (``news:candidate:<id>:<what>``), so that accepting
again, or a retry after a crash, records each fact once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from ledger import services
from ledger.models import (
    AidCategory,
    AmountQualifier,
    Commitment,
    CoordinationBody,
    EventKind,
    IdentifierScheme,
    Organization,
    Pause,
    Responsibility,
    Source,
)
from ledger.scenario import NO_HEADLINE
from news.models import Candidate, CandidateKind
from news.selectors import defaults
from news.selectors.candidates import MONEY_KINDS

TITLE_LENGTH = 300
T = TypeVar("T")


@dataclass(frozen=True)
class AcceptDetails:
    """What the ledger needs beyond the candidate's own fields. Left empty, each is found
    where the ledger holds exactly one that fits (the donor's open pause, the body the
    donor leads, the only responsibility) or derived (a title from the evidence)."""

    title: str = ""
    description: str = ""
    note: str = ""
    # A money candidate adds its entry to this commitment instead of opening one.
    commitment: Commitment | None = None
    period_end: date | None = None
    # A mandate: the body taking it, the responsibility, and whether it hands over
    # (None: when another body holds the responsibility open-ended, it does).
    body: CoordinationBody | None = None
    responsibility: Responsibility | None = None
    hands_over: bool | None = None
    # An event: its kind, place and participants (None: the donor and the recipient).
    event_kind: str = ""
    place: str = ""
    participants: tuple[Organization, ...] | None = None
    # A pause's reason; the pause a resumption closes.
    reason: str = ""
    pause: Pause | None = None
    # Record the fact although the ledger probably holds it already.
    record_anyway: bool = False


def key(candidate: Candidate, what: str) -> str:
    return f"news:candidate:{candidate.pk}:{what}"


def cite(candidate: Candidate) -> Source:
    """The article as a source, quoting the candidate's evidence."""
    article = candidate.article
    title = article.title
    if not title and not article.url:
        # A source needs a URL or a title; a copy with neither is named by what it says.
        title = f"{NO_HEADLINE}{' '.join(candidate.evidence.split())[:200]}"
    return services.record_source(
        url=article.url,
        publisher=article.publisher,
        title=title,
        published_on=article.published_on,
        retrieved_at=article.fetched_at,
        excerpt=candidate.evidence,
    )


def title_from(candidate: Candidate, details: AcceptDetails) -> str:
    """The editor's title, or the evidence cut at a word to fit."""
    if details.title.strip():
        return details.title.strip()
    text = " ".join(candidate.evidence.split())
    if len(text) <= TITLE_LENGTH:
        return text
    return text[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


MISSING = "The ledger needs this to record the fact: edit the candidate to give it."


def required(**values: object) -> None:
    """Refuse, naming the candidate's fields, what the ledger cannot do without."""
    missing = {
        name: ValidationError(MISSING, code="required")
        for name, value in values.items()
        if value is None or value == ""
    }
    if missing:
        raise ValidationError(missing)


def need(value: T | None, field: str) -> T:
    """``value``, or the field error ``required`` gives for it."""
    if value is None or value == "":
        raise ValidationError({field: ValidationError(MISSING, code="required")})
    return value


def _commitment(c: Candidate, d: AcceptDetails, source: Source) -> Commitment:
    if d.commitment is not None:
        return d.commitment
    return services.create_commitment(
        donor=need(c.donor, "donor"),
        recipient=c.recipient,
        title=title_from(c, d),
        category=c.category,
        announced_on=need(c.date, "date"),
        announced_on_precision=c.date_precision,
        source=source,
        description=d.description,
        period_start=c.period_start,
        period_end=d.period_end,
        identifiers={IdentifierScheme.OTHER: key(c, "commitment")},
    )


def record_money(c: Candidate, d: AcceptDetails, source: Source, by: str) -> dict[str, Any]:
    """An amount: a commitment (new, or the one given) and an entry at its stage. A
    commitment said without an amount is the commitment alone."""
    required(donor=c.donor, date=c.date)
    if c.amount is None and c.kind != CandidateKind.COMMITMENT:
        required(amount=None)
    if c.amount_upper is not None:
        raise ValidationError(
            {"amount_upper": "The ledger records one amount, not a range: edit it to the amount."}
        )
    commitment = _commitment(c, d, source)
    if c.amount is None:
        return {"commitment": commitment}
    required(currency=c.currency)
    note = d.note
    if c.qualifier != AmountQualifier.EXACT:
        note = f"Reported as {c.get_qualifier_display().lower()} this amount. {note}".strip()
    entry = services.record_entry(
        commitment=commitment,
        stage=c.stage or MONEY_KINDS[CandidateKind(c.kind)],
        amount=c.amount,
        currency=c.currency,
        value_date=need(c.date, "date"),
        value_date_precision=c.date_precision,
        source=source,
        idempotency_key=key(c, "entry"),
        note=note,
        recorded_by=by,
    )
    return {"commitment": commitment, "entry": entry}


def record_pause(c: Candidate, d: AcceptDetails, source: Source, by: str) -> dict[str, Any]:
    required(donor=c.donor)
    paused = services.pause(
        paused_on=need(c.date, "date"),
        paused_on_precision=c.date_precision,
        source=source,
        donor=None if d.commitment else c.donor,
        commitment=d.commitment,
        # An unspecified category pauses all of the donor's aid.
        category="" if d.commitment or c.category == AidCategory.UNSPECIFIED else c.category,
        description=d.description,
        reason=d.reason,
        ordered_by=c.counterpart,
        idempotency_key=key(c, "pause"),
    )
    return {"pause": paused}


def record_resumption(c: Candidate, d: AcceptDetails, source: Source, by: str) -> dict[str, Any]:
    resumed_on = need(c.date, "date")
    paused = d.pause
    if paused is None and c.donor_id is not None:
        paused = defaults.open_pause(donor_id=c.donor_id, on=resumed_on)
    if paused is None:
        raise ValidationError(
            {"pause": "Name the pause this resumption ends: the donor has no single open pause."}
        )
    return {"pause": services.resume(pause=paused, resumed_on=resumed_on, source=source)}


def record_mandate(c: Candidate, d: AcceptDetails, source: Source, by: str) -> dict[str, Any]:
    starts_on = need(c.date, "date")
    body = d.body or (defaults.led_body(organization_id=c.donor_id) if c.donor_id else None)
    if body is None:
        raise ValidationError({"body": "Name the coordination body that takes the mandate."})
    responsibility = d.responsibility or defaults.only_responsibility()
    if responsibility is None:
        raise ValidationError({"responsibility": "Name the responsibility the body takes."})
    hands_over = d.hands_over
    if hands_over is None:
        holder = defaults.open_holder(responsibility=responsibility, body=body, starts_on=starts_on)
        hands_over = holder is not None
    mandate = services.assign_mandate(
        body=body,
        responsibility=responsibility,
        starts_on=starts_on,
        starts_on_precision=c.date_precision,
        source=source,
        hands_over=hands_over,
        note=d.note,
        idempotency_key=key(c, "mandate"),
    )
    return {"mandate": mandate}


def record_event(c: Candidate, d: AcceptDetails, source: Source, by: str) -> dict[str, Any]:
    occurred_on = need(c.date, "date")
    participants = d.participants
    if participants is None:
        participants = tuple(o for o in (c.donor, c.recipient) if o is not None)
    event = services.record_event(
        kind=d.event_kind or EventKind.OTHER,
        title=title_from(c, d),
        occurred_on=occurred_on,
        occurred_on_precision=c.date_precision,
        source=source,
        place=d.place,
        body=d.body,
        participants=participants,
        description=d.description,
        idempotency_key=key(c, "event"),
    )
    return {"event": event}


def record_reported_total(
    c: Candidate, d: AcceptDetails, source: Source, by: str
) -> dict[str, Any]:
    required(
        donor=c.donor,
        amount=c.amount,
        currency=c.currency,
        stage=c.stage,
        date=c.date,
        period_start=c.period_start,
    )
    total = services.record_reported_total(
        donor=need(c.donor, "donor"),
        recipient=c.recipient,
        stage=c.stage,
        qualifier=c.qualifier,
        amount=need(c.amount, "amount"),
        currency=c.currency,
        period_start=need(c.period_start, "period_start"),
        period_start_precision=c.period_start_precision or "day",
        as_of=need(c.date, "date"),
        as_of_precision=c.date_precision,
        source=source,
        note=d.note,
        idempotency_key=key(c, "reported_total"),
    )
    return {"reported_total": total}


Recorder = Callable[[Candidate, AcceptDetails, Source, str], dict[str, models.Model]]
RECORDERS: dict[str, Recorder] = {
    **dict.fromkeys(MONEY_KINDS, record_money),
    CandidateKind.PAUSE: record_pause,
    CandidateKind.RESUMPTION: record_resumption,
    CandidateKind.MANDATE: record_mandate,
    CandidateKind.EVENT: record_event,
    CandidateKind.REPORTED_TOTAL: record_reported_total,
}


def record_facts(
    *, candidate: Candidate, details: AcceptDetails, recorded_by: str
) -> dict[str, models.Model]:
    """Write the candidate's fact; returns the source and what was written, by the name
    of the candidate's foreign key to each."""
    source = cite(candidate)
    return {"source": source, **RECORDERS[candidate.kind](candidate, details, source, recorded_by)}
