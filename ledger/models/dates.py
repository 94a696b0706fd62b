from django.db import models


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
