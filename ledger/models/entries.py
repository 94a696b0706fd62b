from decimal import Decimal

from django.db import models
from django.db.models import Q

from ledger.formatting import format_amount
from ledger.models.dates import ServerNow, precision_field
from ledger.money import (
    MONEY_DECIMAL_PLACES,
    MONEY_MAX_DIGITS,
    currency_code_check,
    validate_currency_code,
    validate_positive_amount,
)


class Stage(models.TextChoices):
    """How far aid has travelled, after the Kiel tracker and IATI transaction types
    (12 incoming and 13 outgoing pledge: pledge; 2 outgoing and 11 incoming commitment:
    commitment; 3 disbursement and 4 expenditure: disbursement).

    An allocation is aid earmarked for delivery (Kiel's sense). A cancellation
    withdraws part of a commitment: it counts against ``committed``.
    """

    PLEDGE = "pledge", "Pledge"
    COMMITMENT = "commitment", "Commitment"
    ALLOCATION = "allocation", "Allocation"
    DISBURSEMENT = "disbursement", "Disbursement / delivery"
    CANCELLATION = "cancellation", "Cancellation"


class LedgerEntry(models.Model):
    """One amount at one stage of one commitment, citing its source.

    Append-only: database triggers refuse UPDATE and DELETE. A mistake is corrected
    by a reversing entry (``reverses``), which mirrors the original and counts
    negatively; an entry is reversed at most once and a reversal is never reversed.
    """

    # Indexed with its value date below; an index of its own would only slow writes.
    commitment = models.ForeignKey(
        "ledger.Commitment", on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    amount = models.DecimalField(
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        validators=[validate_positive_amount],
    )
    currency = models.CharField(
        max_length=3, validators=[validate_currency_code], help_text="ISO 4217 code."
    )
    value_date = models.DateField(help_text="When the amount took effect (valid time).")
    value_date_precision = precision_field("the value date")
    recorded_at = models.DateTimeField(
        db_default=ServerNow(),
        editable=False,
        help_text="When the ledger learnt it (transaction time).",
    )
    source = models.ForeignKey("ledger.Source", on_delete=models.PROTECT, related_name="entries")
    idempotency_key = models.CharField(max_length=200)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    note = models.TextField(blank=True)
    recorded_by = models.CharField(
        max_length=150, blank=True, help_text="The user or ingest run that recorded it."
    )

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["commitment", "value_date"]),
            models.Index(fields=["value_date"]),
            models.Index(fields=["recorded_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ledger_entry_amount_positive",
                violation_error_message="The amount must be greater than zero.",
            ),
            currency_code_check("currency", name="ledger_entry_currency_format"),
            models.CheckConstraint(
                condition=~Q(idempotency_key=""), name="ledger_entry_idempotency_key_not_empty"
            ),
            # A constraint rather than unique=True, which on PostgreSQL would add a second
            # index (for LIKE) that no query uses and every insert pays for.
            models.UniqueConstraint(
                fields=["idempotency_key"], name="ledger_entry_idempotency_key_unique"
            ),
        ]

    def __str__(self) -> str:
        amount = format_amount(self.signed_amount, self.currency)
        return f"{self.get_stage_display()} {amount} ({self.value_date})"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def signed_amount(self) -> Decimal:
        """The amount as it counts: a reversal negatively."""
        return -self.amount if self.is_reversal else self.amount
