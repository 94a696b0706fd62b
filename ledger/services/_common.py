"""Helpers the service functions share: keys, replays, races and turning database
refusals into field errors."""

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

ModelT = TypeVar("ModelT", bound=models.Model)
P = ParamSpec("P")
R = TypeVar("R")

# Set on the instance a service call inserted; a replay's row is read from the database.
_CREATED = "_created_by_this_call"


def race_safe(service: Callable[P, R]) -> Callable[P, R]:
    """Make ``service`` atomic, and answer a unique-constraint race as its loser would have
    been answered without the race.

    Two concurrent calls may both find a name, an identifier or a key free and both
    insert: the database lets the first in and refuses the second (``IntegrityError``,
    once the first has committed). The refused call is rolled back to its savepoint and
    made once more: it now reads the row the other wrote, and returns it (a replay) or
    raises the field error it would have raised had it come second. A refusal that was
    not a race is refused again, and raised. The arguments are passed twice, so they must
    be values, not one-shot iterators.
    """
    atomic_service = transaction.atomic(service)

    @functools.wraps(service)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return atomic_service(*args, **kwargs)
        except IntegrityError:
            return atomic_service(*args, **kwargs)

    return call


def inserted(row: ModelT) -> ModelT:
    """Mark ``row`` as inserted by this call (see ``was_created``)."""
    setattr(row, _CREATED, True)
    return row


def was_created(row: models.Model) -> bool:
    """Whether the service call that returned ``row`` inserted it, rather than returning
    what an earlier call (or the winner of a race) had written: only the instance an
    insert saved carries the mark, so this is known, not guessed from ids or counts."""
    return bool(getattr(row, _CREATED, False))


def new_idempotency_key() -> str:
    """A key for a write whose caller gave none: unique, so the write is never a replay."""
    return f"auto:{uuid.uuid4().hex}"


def require(**values: object) -> None:
    """Refuse missing related objects with a field message rather than an AttributeError."""
    missing = {
        name: ValidationError("This field is required.", code="required")
        for name, value in values.items()
        if value is None
    }
    if missing:
        raise ValidationError(missing)


def differing_fields(instance: models.Model, values: Mapping[str, Any]) -> list[str]:
    return [name for name, value in values.items() if getattr(instance, name) != value]


def replay_or_conflict(existing: ModelT, values: Mapping[str, Any]) -> ModelT:
    """The same key again: return the first result if the content matches, else refuse."""
    differing = differing_fields(existing, values)
    if differing:
        raise field_error(
            "idempotency_key",
            "This idempotency key was already used for different content "
            f"(differs in: {', '.join(sorted(differing))}).",
            code="idempotency_conflict",
        )
    return existing


def create_once(
    model: type[ModelT],
    *,
    idempotency_key: str,
    content: Mapping[str, Any],
    validate: Callable[[ModelT], None],
    metadata: Mapping[str, Any] | None = None,
) -> ModelT:
    """Insert a row keyed by ``idempotency_key`` exactly once.

    A second call with the same key and ``content`` returns the first row and writes
    nothing; with other content it raises ``ValidationError``. ``metadata`` (who
    recorded it) is stored but not compared. Two concurrent callers race on the
    unique index: the caller's service is ``race_safe``, so the loser replays.
    """
    existing = model._default_manager.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return replay_or_conflict(existing, content)
    instance = model(idempotency_key=idempotency_key, **{**(metadata or {}), **content})
    validate(instance)
    instance.save(force_insert=True)
    instance.refresh_from_db(fields=["recorded_at"])
    return inserted(instance)


def clean_fields(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """Field-level validation (choices, lengths, digits, validators) without queries.

    Foreign keys are left out: callers pass saved instances and the database checks them.
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    instance.full_clean(
        exclude=[*(exclude or []), *relations], validate_unique=False, validate_constraints=False
    )


def field_error(field: str, message: str, *, code: str) -> ValidationError:
    """A message for one field that keeps its code (a code given beside a dict is lost),
    so callers such as the API can tell a conflict from a plain invalid value."""
    return ValidationError({field: ValidationError(message, code=code)})
