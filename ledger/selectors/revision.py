"""The ledger's revision: a fingerprint that moves whenever anything a page shows changes.

The ledger's facts are append-only, so the highest id of each table moves with every new
row; editable rows (organizations, sources, commitments, fx rates…) and the few fields a
fact gains later (a pause's resumption, a mandate's end) leave a row in their history
table, whose highest id moves too. One statement reads every high-water mark, each from
a primary key's index: cheap enough to run on every request a cache answers.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from hashlib import blake2b

from django.apps import apps
from django.db import connection
from django.utils.dateparse import parse_datetime

# Moments at which facts were recorded, for "data as of": (model name, field).
_RECORDED = (
    ("LedgerEntry", "recorded_at"),
    ("Pause", "recorded_at"),
    ("Pause", "resumption_recorded_at"),
    ("Mandate", "recorded_at"),
    ("Event", "recorded_at"),
    ("ReportedTotal", "recorded_at"),
)


@dataclass(frozen=True)
class LedgerRevision:
    marks: tuple[int, ...]
    recorded_up_to: datetime | None  # the latest moment a fact was recorded at

    @property
    def key(self) -> str:
        """A short name for the revision, for cache keys and the pages' footer."""
        text = ",".join(map(str, self.marks)) + f"@{self.recorded_up_to}"
        return blake2b(text.encode(), digest_size=8).hexdigest()


@cache
def _revision_sql() -> tuple[str, int]:
    """The statement and how many id marks it reads before the recorded moments."""
    # Every table of the ledger app, history tables included (their pk is history_id).
    tables = sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_app_config("ledger").get_models()
    )
    marks = [f"(SELECT MAX({column}) FROM {table})" for table, column in tables]
    moments = [
        f"(SELECT MAX({field}) FROM {apps.get_model('ledger', name)._meta.db_table})"
        for name, field in _RECORDED
    ]
    # Table and column names come from the models: no input from outside.
    return "SELECT " + ", ".join(marks + moments), len(marks)


def _moment(value: object) -> datetime | None:
    # SQLite answers MAX() of a timestamp as text.
    if isinstance(value, str):
        return parse_datetime(value)
    return value if isinstance(value, datetime) else None


def ledger_revision() -> LedgerRevision:
    """The ledger's high-water marks, in one query."""
    sql, count = _revision_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone() or ()
    moments = [m for m in (_moment(v) for v in row[count:]) if m is not None]
    return LedgerRevision(
        marks=tuple(int(v or 0) for v in row[:count]),
        recorded_up_to=max(moments, default=None),
    )
