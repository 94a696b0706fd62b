from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.formatting import format_amount
from ledger.models.dates import ServerNow, precision_field
from ledger.models.entries import Stage
from ledger.money import (
    MONEY_DECIMAL_PLACES,
    MONEY_MAX_DIGITS,
    currency_code_check,
    validate_currency_code,
    validate_positive_amount,
)


class AmountQualifier(models.TextChoices):
    EXACT = "exact", "Exactly"
    AT_LEAST = "at_least", "At least (over)"
    AT_MOST = "at_most", "At most (under)"
    ABOUT = "about", "About"


class ReportedTotal(models.Model):
    """A running total someone reported ("the US has sent over $40bn since February 2022").

    It is kept beside the ledger, not in it: a total is not a flow, and adding it to the
    entries would count the same aid twice. Figures never sum these rows.
    """

    donor = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="reported_totals"
    )
    recipient = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="reported_totals_received"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    qualifier = models.CharField(
        max_length=16, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    amount = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        validators=[validate_positive_amount],
    )
    currency = models.CharField(max_length=3, validators=[validate_currency_code])
    period_start = models.DateField(help_text="Since when the total counts.")
    period_start_precision = precision_field("the period's start")
    as_of = models.DateField(help_text="The day the total was reported for.")
    as_of_precision = precision_field("the report date")
    source = models.ForeignKey(
        "ledger.Source", on_delete=models.PROTECT, related_name="reported_totals"
    )
    note = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    recorded_at = models.DateTimeField(db_default=ServerNow(), editable=False)
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-as_of", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="reported_total_amount_positive",
                violation_error_message="The amount must be greater than zero.",
            ),
            models.CheckConstraint(
                condition=Q(as_of__gte=models.F("period_start")),
                name="reported_total_period_ordered",
                violation_error_message="A total is reported after its period starts.",
            ),
            currency_code_check("currency", name="reported_total_currency_format"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.donor}: {self.get_qualifier_display().lower()} "
            f"{format_amount(self.amount, self.currency)} "
            f"{self.get_stage_display().lower()} since {self.period_start} (as of {self.as_of})"
        )
