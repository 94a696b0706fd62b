"""Where the ledger's published data comes from, and what each ingest run did with it.

A source's entries carry their own keys (``ledger.LedgerEntry.idempotency_key``), so the
ledger itself remembers what was ingested; these tables record the runs and rejections.
"""

from django.db import models
from django.db.models import Q
from django_celery_beat.models import (
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
)

from ingest.fetch import Validators


class AdapterName(models.TextChoices):
    IATI = "iati", "IATI 2.03 activity XML"
    FTS = "fts", "OCHA FTS flows JSON"
    CSV = "csv", "CSV (Kiel tracker columns)"
    NEWS = "news", "News (RSS/Atom feeds, article pages, text files)"


class IngestSource(models.Model):
    """A published dataset the workers fetch and record, on a schedule or on demand."""

    name = models.CharField(max_length=100, unique=True)
    adapter = models.CharField(max_length=16, choices=AdapterName.choices)
    location = models.CharField(
        max_length=2000, help_text="An http(s) or file:// URL, or a path on the worker's disk."
    )
    enabled = models.BooleanField(
        default=True, help_text="Disabled sources are not run by the schedule."
    )
    interval = models.ForeignKey(
        IntervalSchedule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Run every so often; or set a crontab instead.",
    )
    crontab = models.ForeignKey(
        CrontabSchedule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="Run at these times; or set an interval instead.",
    )
    # The beat entry that runs this source, kept in step with the schedule by the services.
    periodic_task = models.OneToOneField(
        PeriodicTask, null=True, blank=True, editable=False, on_delete=models.SET_NULL
    )
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text='Adapter options, e.g. {"donor": "Germany", "currency": "EUR"} for a CSV.',
    )
    # A lease rather than a lock held by a connection: a run renews it after every batch,
    # and a worker killed mid-run loses it when it expires.
    lease_holder = models.CharField(max_length=100, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interval__isnull=True) | Q(crontab__isnull=True),
                name="ingest_source_one_schedule",
                violation_error_message="Choose an interval or a crontab, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIALLY_SUCCEEDED = "partially_succeeded", "Partially succeeded"
    FAILED = "failed", "Failed"


class IngestRun(models.Model):
    """One execution of an adapter over one location; its counts grow batch by batch,
    committed with the batch's entries."""

    source = models.ForeignKey(
        IngestSource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
        help_text="Empty for a file ingested from the command line.",
    )
    adapter = models.CharField(max_length=16, choices=AdapterName.choices)
    location = models.CharField(max_length=2000)
    trigger = models.CharField(
        max_length=16, help_text="schedule, admin, command or api: who started the run."
    )
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=24, choices=RunStatus.choices, default=RunStatus.RUNNING)
    seen = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    content_hash = models.CharField(
        "SHA-256 of the content", max_length=64, blank=True, help_text="Of every page fetched."
    )
    options = models.JSONField(
        default=dict, blank=True, help_text="The adapter options it ran with."
    )
    # The validators the server sent with the content (news runs send them back: a 304
    # answer then means the content is what this run landed).
    etag = models.CharField(
        "ETag", max_length=500, blank=True, help_text="As the server sent it with the content."
    )
    last_modified = models.CharField(
        "Last-Modified",
        max_length=100,
        blank=True,
        help_text="As the server sent it; a news run sends both back, and an answer of 304 "
        "Not Modified means the content is unchanged.",
    )
    # A paged read (FTS) that ended before its last page says where: the first page it
    # did not land (every page before it did) and that page's URL.
    stopped_at_page = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The first page not landed, when the paging ended early (failed, or a "
        "link not followed); every page before it landed.",
    )
    stopped_at_url = models.CharField("stopped at URL", max_length=2000, blank=True)
    resumed_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The run this one continued, from the page it stopped at (a retry of the "
        "same task).",
    )
    same_as = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="An earlier run that landed every record of the same content with the same "
        "options: this one did not read it again, and counts its records unchanged.",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "status"])]

    def __str__(self) -> str:
        return f"{self.source or self.location} at {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.etag, last_modified=self.last_modified)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "seen": self.seen,
            "created": self.created,
            "unchanged": self.unchanged,
            "corrected": self.corrected,
            "rejected": self.rejected,
        }


class RejectedRecord(models.Model):
    """A record the run could not ingest, kept as it came with the reason."""

    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="rejections")
    position = models.CharField(
        max_length=500, help_text="Where in the content: a line number, an XPath or a page."
    )
    raw = models.TextField(blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"
