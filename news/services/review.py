"""Deciding candidates: accept (optionally after editing), reject with a reason, or link
to a fact the ledger already holds as a further source of it.

The only way a candidate reaches the ledger. Accepting writes through ``ledger.services``
(see ``news.services.recording``); a decision is final: deciding again the same way
returns the candidate unchanged (a replay), deciding otherwise is refused. Every
decision is saved with the deciding user, so the candidate's history keeps who decided
what and when.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from ledger import services
from ledger.models import DatePrecision, Organization
from ledger.money import validate_currency_code
from ledger.services._common import field_error
from news.models import Candidate, CandidateStatus
from news.selectors.candidates import FACT_MODELS, probable_duplicates
from news.services.recording import AcceptDetails, cite, record_facts

__all__ = ["AcceptDetails", "accept_candidate", "link_candidate", "reject_candidate"]

EDITOR_GROUP = "editor"
# The candidate's own fields an editor may change before accepting.
EDITABLE_FIELDS = frozenset(
    {
        "kind",
        "donor",
        "recipient",
        "counterpart",
        "amount",
        "amount_upper",
        "qualifier",
        "currency",
        "category",
        "date",
        "date_precision",
        "stage",
        "period_start",
        "period_start_precision",
    }
)
ORGANIZATION_FIELDS = ("donor", "recipient", "counterpart")


def _check_editor(user: AbstractBaseUser | None, by: str) -> str:
    """The name the decision is recorded under; only editors decide."""
    if user is None:
        if not by:
            raise PermissionDenied("A decision needs the editor who makes it.")
        return by
    if not _is_editor(user):
        raise PermissionDenied("Only editors may decide candidates.")
    return by or user.get_username()


def _is_editor(user: Any) -> bool:
    return bool(user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists())


def first_day(day: date, precision: str) -> date:
    """The day the ledger stores for a date of ``precision``: its period's first."""
    if precision == DatePrecision.WEEK:
        return day - timedelta(days=day.weekday())
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _apply_changes(candidate: Candidate, changes: Mapping[str, Any]) -> None:
    """Set the editor's changes on ``candidate`` (not saved), validated per field."""
    errors: dict[str, list[str]] = {
        name: ["Not a field of the candidate an editor may change."]
        for name in changes
        if name not in EDITABLE_FIELDS
    }
    for name in ORGANIZATION_FIELDS:
        value = changes.get(name)
        if name in changes and value is not None and not isinstance(value, Organization):
            errors[name] = ["Give an organization of the ledger, or none."]
    if errors:
        raise ValidationError(errors)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if candidate.date is not None and not candidate.date_precision:
        candidate.date_precision = DatePrecision.DAY
    if candidate.date is not None:
        candidate.date = first_day(candidate.date, candidate.date_precision)
    if candidate.period_start is not None:
        candidate.period_start_precision = candidate.period_start_precision or DatePrecision.DAY
        candidate.period_start = first_day(candidate.period_start, candidate.period_start_precision)
    candidate.currency = candidate.currency.strip().upper()
    edited = {*changes, "date", "period_start", "currency"}
    others = [f.name for f in Candidate._meta.concrete_fields if f.name not in edited]
    try:
        candidate.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if candidate.currency and "currency" not in errors:
        try:
            validate_currency_code(candidate.currency)
        except ValidationError as error:
            errors["currency"] = error.messages
    upper = candidate.amount_upper
    if upper is not None and (candidate.amount is None or upper <= candidate.amount):
        errors["amount_upper"] = ["The top of a range is above its amount."]
    if errors:
        raise ValidationError(errors)


def _locked(candidate: Candidate, key: str) -> Candidate:
    """The candidate, locked until the decision commits; a ``key`` (an API client's
    Idempotency-Key) that decided another candidate is refused."""
    if key and Candidate.objects.filter(decision_key=key).exclude(pk=candidate.pk).exists():
        raise field_error(
            "idempotency_key",
            "This idempotency key was already used to decide another candidate.",
            code="idempotency_conflict",
        )
    return Candidate.objects.select_for_update().select_related("article").get(pk=candidate.pk)


def _already_decided(current: Candidate) -> ValidationError:
    return field_error(
        "status",
        f"This candidate was already decided ({current.get_status_display().lower()} "
        f"on {current.decided_at:%Y-%m-%d %H:%M} UTC); a decision is not changed.",
        code="already_decided",
    )


def _decide(
    candidate: Candidate,
    *,
    status: str,
    user: AbstractBaseUser | None,
    by: str,
    key: str,
    note: str = "",
) -> Candidate:
    candidate.status = status
    candidate.decision_key = key
    candidate.decided_by = user  # type: ignore[assignment]
    candidate.decided_via = "" if user is not None and by == user.get_username() else by
    candidate.decided_at = timezone.now()
    candidate.decision_note = note
    # simple_history records the decision under this user.
    candidate._history_user = user  # type: ignore[attr-defined]
    candidate.save()
    return candidate


def _refuse_duplicates(candidate: Candidate) -> None:
    duplicates = probable_duplicates(candidate=candidate)
    if duplicates:
        named = "; ".join(f"{type(f)._meta.verbose_name} {f.pk} ({f})" for f in duplicates[:5])
        raise field_error(
            "duplicates",
            f"The ledger probably holds this fact already: {named}. Link the candidate to "
            "it as a further source, or record it anyway.",
            code="probable_duplicate",
        )


@transaction.atomic
def accept_candidate(
    *,
    candidate: Candidate,
    user: AbstractBaseUser | None,
    changes: Mapping[str, Any] | None = None,
    details: AcceptDetails | None = None,
    by: str = "",
    key: str = "",
) -> Candidate:
    """Accept ``candidate`` (after the editor's ``changes`` to its own fields) and record
    its fact through the ledger's services, citing the article.

    ``details`` carries what the ledger needs beyond the candidate (see ``AcceptDetails``).
    Refused with ``ValidationError`` naming the field: a bad change, what the ledger
    needs and the candidate lacks, a probable duplicate (``duplicates``, unless
    ``details.record_anyway``), or an earlier different decision (``status``).
    Accepting again with the same changes returns the candidate; its fact is recorded
    once. ``by`` names the decider where no user does (an API key); ``key`` is the API
    client's Idempotency-Key, which may decide one candidate only.
    """
    by = _check_editor(user, by)
    current = _locked(candidate, key)
    if current.status != CandidateStatus.PENDING:
        if current.status == CandidateStatus.ACCEPTED and not _differs(current, changes or {}):
            return current
        raise _already_decided(current)
    details = details or AcceptDetails()
    _apply_changes(current, changes or {})
    if not details.record_anyway:
        _refuse_duplicates(current)
    for name, fact in record_facts(candidate=current, details=details, recorded_by=by).items():
        setattr(current, name, fact)
    return _decide(current, status=CandidateStatus.ACCEPTED, user=user, by=by, key=key)


def _differs(current: Candidate, changes: Mapping[str, Any]) -> bool:
    probe = Candidate.objects.get(pk=current.pk)
    try:
        _apply_changes(probe, changes)
    except ValidationError:
        return True
    return any(
        getattr(probe, f.attname) != getattr(current, f.attname)
        for f in Candidate._meta.concrete_fields
    )


@transaction.atomic
def reject_candidate(
    *,
    candidate: Candidate,
    user: AbstractBaseUser | None,
    reason: str,
    by: str = "",
    key: str = "",
) -> Candidate:
    """Reject ``candidate`` for ``reason`` (required). Rejecting again for the same reason
    returns it; any other decision after a rejection is refused (``status``)."""
    by = _check_editor(user, by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the candidate is rejected."})
    current = _locked(candidate, key)
    if current.status != CandidateStatus.PENDING:
        if current.status == CandidateStatus.REJECTED and current.decision_note == reason:
            return current
        raise _already_decided(current)
    return _decide(current, status=CandidateStatus.REJECTED, user=user, by=by, key=key, note=reason)


@transaction.atomic
def link_candidate(
    *,
    candidate: Candidate,
    user: AbstractBaseUser | None,
    fact: models.Model,
    by: str = "",
    key: str = "",
) -> Candidate:
    """Record the candidate's article as a further source of ``fact``, an existing ledger
    fact it repeats, instead of recording the fact again. Linking again to the same fact
    returns the candidate; any other decision after it is refused (``status``)."""
    by = _check_editor(user, by)
    name = next((n for n, model in FACT_MODELS.items() if isinstance(fact, model)), None)
    if name is None or fact.pk is None:
        raise ValidationError(
            {
                "fact": "Link to a recorded commitment, entry, pause, mandate, "
                "event or reported total."
            }
        )
    current = _locked(candidate, key)
    if current.status != CandidateStatus.PENDING:
        if current.status == CandidateStatus.LINKED and getattr(current, f"{name}_id") == fact.pk:
            return current
        raise _already_decided(current)
    source = cite(current)
    if getattr(fact, "source_id", None) != source.pk:
        services.add_further_source(fact=fact, source=source, recorded_by=by)
    current.source = source
    setattr(current, name, fact)
    return _decide(current, status=CandidateStatus.LINKED, user=user, by=by, key=key)
