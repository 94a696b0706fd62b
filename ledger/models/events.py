from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.models.dates import ServerNow, precision_field


class EventKind(models.TextChoices):
    AGREEMENT = "agreement", "Agreement signed"
    MEETING = "meeting", "Meeting held or agreed"
    STATEMENT = "statement", "Statement or announcement"
    OTHER = "other", "Other"


class Event(models.Model):
    """Something that happened around the aid with no amount of its own: an agreement
    signed, a meeting called, a statement made. It belongs on the timeline with a source."""

    kind = models.CharField(max_length=16, choices=EventKind.choices)
    title = models.CharField(max_length=300)
    occurred_on = models.DateField()
    occurred_on_precision = precision_field("the date")
    place = models.CharField(max_length=200, blank=True)
    body = models.ForeignKey(
        "ledger.CoordinationBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The coordination body concerned, if any.",
    )
    participants = models.ManyToManyField("ledger.Organization", blank=True, related_name="events")
    description = models.TextField(blank=True)
    source = models.ForeignKey("ledger.Source", on_delete=models.PROTECT, related_name="events")
    idempotency_key = models.CharField(max_length=200, unique=True)
    recorded_at = models.DateTimeField(db_default=ServerNow(), editable=False)
    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        ordering = ["-occurred_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="event_title_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.title}"
