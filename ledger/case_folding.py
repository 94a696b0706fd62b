"""Case-insensitive text matching that folds every script, on both backends.

PostgreSQL's ``UPPER`` and ``LOWER`` follow the database's locale (a UTF-8 one, such as
``C.UTF-8`` or ``en_US.UTF-8``, folds Cyrillic). SQLite's ``LIKE`` and ``lower()`` fold
ASCII letters only, so there ``Україна`` would not match ``україна``. On SQLite every
connection gets ``casefold()``, Python's ``str.casefold``, and the ``iexact`` and
``icontains`` lookups of text fields fold both sides with it (``LedgerConfig.ready``
installs both); the SQLite triggers that keep organization names unique use it too.
"""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func
from django.db.models.lookups import IContains, IExact


def register_casefold(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """A ``connection_created`` receiver: SQLite connections get ``casefold(text)``.
    Deterministic, so SQLite may use it in triggers and indexes."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("casefold", 1, casefold, deterministic=True)


def casefold(text: str | None) -> str | None:
    return None if text is None else str(text).casefold()


class Casefold(Func):
    """Text folded for caseless comparison: ``LOWER`` on PostgreSQL, ``casefold`` on SQLite."""

    function = "LOWER"
    output_field = models.TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="casefold", **extra)


class FoldBothSidesOnSQLite:
    """Wraps both sides of a case-insensitive lookup in ``casefold()`` on SQLite; other
    databases keep Django's SQL."""

    def process_lhs(self, compiler: Any, connection: Any, lhs: Any = None) -> Any:
        sql, params = super().process_lhs(compiler, connection, lhs)  # type: ignore[misc]
        return (f"casefold({sql})" if connection.vendor == "sqlite" else sql), params

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        sql, params = super().process_rhs(compiler, connection)  # type: ignore[misc]
        return (f"casefold({sql})" if connection.vendor == "sqlite" else sql), params


class UnicodeIExact(FoldBothSidesOnSQLite, IExact):
    pass


class UnicodeIContains(FoldBothSidesOnSQLite, IContains):
    pass


def install_unicode_lookups() -> None:
    """Make ``iexact`` and ``icontains`` of every text field fold all scripts."""
    for field in (models.CharField, models.TextField):
        field.register_lookup(UnicodeIExact)
        field.register_lookup(UnicodeIContains)
