from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ledger.models.dates import precision_field


class AidCategory(models.TextChoices):
    """The Kiel Institute's Ukraine Support Tracker categories."""

    MILITARY = "military", "Military"
    FINANCIAL = "financial", "Financial"
    HUMANITARIAN = "humanitarian", "Humanitarian"
    UNSPECIFIED = "unspecified", "Not stated"


class Instrument(models.TextChoices):
    GRANT = "grant", "Grant"
    LOAN = "loan", "Loan"
    GUARANTEE = "guarantee", "Guarantee"
    IN_KIND = "in_kind", "In kind"


class Commitment(models.Model):
    """An aid package or programme: what one donor set out to give one recipient.

    Its figures are not columns: they are sums of its ledger entries, computed by
    the selectors for any date and any moment of the ledger's knowledge.
    """

    donor = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="commitments_given"
    )
    recipient = models.ForeignKey(
        "ledger.Organization", on_delete=models.PROTECT, related_name="commitments_received"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=16, choices=AidCategory.choices)
    instrument = models.CharField(
        max_length=16,
        choices=Instrument.choices,
        blank=True,
        help_text="Empty where the announcement does not say.",
    )
    announced_on = models.DateField()
    announced_on_precision = precision_field("the announcement date")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    channel = models.ForeignKey(
        "ledger.CoordinationBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text="The coordination body the aid goes through, if any.",
    )
    source = models.ForeignKey(
        "ledger.Source",
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text="Where the commitment was announced or published.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-announced_on", "id"]
        indexes = [
            models.Index(fields=["donor", "category"]),
            models.Index(fields=["announced_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="commitment_period_ordered",
                violation_error_message="The period must not end before it starts.",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="commitment_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.donor}: {self.title}"


class IdentifierScheme(models.TextChoices):
    IATI = "iati", "IATI activity identifier"
    FTS = "fts", "OCHA FTS flow"
    KIEL = "kiel", "Kiel Ukraine Support Tracker"
    OTHER = "other", "Other"


class CommitmentIdentifier(models.Model):
    """An identifier the commitment has in another system (IATI, FTS, Kiel)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=16, choices=IdentifierScheme.choices)
    value = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="commitment_identifier_unique",
                violation_error_message="Another commitment already has this identifier.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"
