from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ledger.models.commitments import AidCategory
from ledger.models.dates import ServerNow, precision_field


class Pause(models.Model):
    """A donor holding back deliveries, from ``paused_on`` until ``resumed_on``.

    The scope is one commitment, or all of the donor's aid of one category, or (with
    neither) all of the donor's aid. A pause is in force on day D when
    ``paused_on <= D < resumed_on`` (or it has not been resumed). Both ends cite a
    source and carry the moment the ledger learnt them, so pauses answer on the
    same two time axes as entries. Database triggers keep both ends fixed once recorded.
    """

    donor = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="pauses"
    )
    commitment = models.ForeignKey(
        "ledger.Commitment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pauses",
    )
    category = models.CharField(max_length=16, choices=AidCategory.choices, blank=True)
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text='What is held back, e.g. "certain weapons, incl. Patriot interceptors".',
    )
    reason = models.TextField(blank=True)
    paused_on = models.DateField()
    paused_on_precision = precision_field("the pause date")
    ordered_by = models.ForeignKey(
        "ledger.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pauses_ordered",
        help_text="Who ordered it, where not the donor itself (e.g. the Pentagon).",
    )
    source = models.ForeignKey("ledger.Source", on_delete=models.PROTECT, related_name="pauses")
    recorded_at = models.DateTimeField(db_default=ServerNow(), editable=False)
    resumed_on = models.DateField(null=True, blank=True)
    resumption_source = models.ForeignKey(
        "ledger.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resumptions",
    )
    resumption_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    history = HistoricalRecords(excluded_fields=["recorded_at", "resumption_recorded_at"])

    class Meta:
        ordering = ["-paused_on", "id"]
        indexes = [models.Index(fields=["donor", "paused_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("paused_on")),
                name="pause_resumed_after_paused",
                violation_error_message="A pause cannot be resumed before it began.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        resumed_on__isnull=True,
                        resumption_source__isnull=True,
                        resumption_recorded_at__isnull=True,
                    )
                    | Q(
                        resumed_on__isnull=False,
                        resumption_source__isnull=False,
                        resumption_recorded_at__isnull=False,
                    )
                ),
                name="pause_resumption_complete",
                violation_error_message="A resumption needs its date and its source.",
            ),
            models.CheckConstraint(
                condition=Q(commitment__isnull=True) | Q(category=""),
                name="pause_one_scope",
                violation_error_message="Pause one commitment or a category, not both.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.description or (
            str(self.commitment) if self.commitment_id else self.get_category_display() or "all aid"
        )
        until = f" until {self.resumed_on}" if self.resumed_on else ""
        return f"{self.donor} paused {scope} from {self.paused_on}{until}"
