from typing import Any

from django.db import models
from django.db.models.functions import Now


class DatePrecision(models.TextChoices):
    """How much of a date the source states. The date stored is the first day of the
    period it names: "last week" is that week's Monday with precision ``week``."""

    DAY = "day", "Day"
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def precision_field(of: str) -> models.CharField:
    return models.CharField(
        f"precision of {of}",
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        db_default=DatePrecision.DAY,
        help_text="How precisely the source dates it; the date is the period's first day.",
    )


class ServerNow(Now):
    """The database's clock, as a column default for transaction times.

    Django's ``Now`` gives SQLite milliseconds ("…:04.035") while Django itself writes
    and compares timestamps with microseconds ("…:04.035000"); as text those compare
    wrongly, so here SQLite pads to microseconds too.
    """

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="STRFTIME('%%%%Y-%%%%m-%%%%d %%%%H:%%%%M:%%%%f000', 'NOW')",
            **extra_context,
        )
