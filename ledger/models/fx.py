from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.money import (
    RATE_DECIMAL_PLACES,
    RATE_MAX_DIGITS,
    currency_code_check,
    validate_currency_code,
)


class RateProvider(models.TextChoices):
    """Who set a rate: the ECB's euro reference rates, or the National Bank of Ukraine's
    official hryvnia rate (its EUR line: hryvnias per euro, as published)."""

    ECB = "ecb", "ECB"
    NBU = "nbu", "NBU"


class FxRate(models.Model):
    """Units of ``currency`` per one euro on ``date`` (the ECB's convention), as set by
    ``provider``.

    An amount converts at the rate of its value date, or the nearest earlier date
    that has one; the euro itself is 1 and has no rows.
    """

    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    date = models.DateField()
    rate = models.DecimalField(max_digits=RATE_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES)
    # The database default too, so rows written by raw SQL (bulk loads) are ECB rates.
    provider = models.CharField(
        max_length=3,
        choices=RateProvider.choices,
        default=RateProvider.ECB,
        db_default=RateProvider.ECB,
    )
    source = models.ForeignKey("ledger.Source", on_delete=models.PROTECT, related_name="fx_rates")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "exchange rate"
        ordering = ["currency", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "date"],
                name="fx_rate_one_per_day",
                violation_error_message="There is already a rate for this currency on this date.",
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="fx_rate_positive",
                violation_error_message="The rate must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=~Q(currency="EUR"),
                name="fx_rate_not_base_currency",
                violation_error_message="Rates are against the euro; the euro needs none.",
            ),
            currency_code_check("currency", name="fx_rate_currency_format"),
            models.CheckConstraint(
                condition=Q(provider__in=RateProvider.values),
                name="fx_rate_known_provider",
                violation_error_message="The rate's provider must be ecb or nbu.",
            ),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.rate} {self.currency} on {self.date} ({self.provider.upper()})"
