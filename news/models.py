"""What the news brings: articles as stored, and the candidate updates found in them.

Nothing here is a ledger fact. A candidate becomes one only when an editor accepts it,
through ``news.services.review``, which writes through ``ledger.services``; the candidate
then points at what it became (or at the existing fact it was linked to as a further
source). Candidates are never deleted: their history keeps who decided what and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.models import AidCategory, AmountQualifier, DatePrecision, Stage


class Article(models.Model):
    """One article, stored once: by its canonical URL (where it has one) and by the hash
    of its text. ``text`` is what evidence offsets count in, so it never changes."""

    url = models.URLField("canonical URL", max_length=2000, blank=True)
    content_hash = models.CharField("SHA-256 of the text", max_length=64, unique=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    date_found_by = models.CharField(
        max_length=32,
        blank=True,
        help_text="Where the publication date came from: given, page metadata, htmldate.",
    )
    language = models.CharField(max_length=16, blank=True)
    text = models.TextField(help_text="The article's main text; evidence offsets count in it.")
    ingest_source = models.ForeignKey(
        "ingest.IngestSource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    first_run = models.ForeignKey(
        "ingest.IngestRun", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="news_article_unique_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url or f"Article {self.pk}"


class CandidateKind(models.TextChoices):
    PLEDGE = "pledge", "Pledge"
    COMMITMENT = "commitment", "Commitment"
    ALLOCATION = "allocation", "Allocation"
    DISBURSEMENT = "disbursement", "Disbursement"
    PAUSE = "pause", "Pause"
    RESUMPTION = "resumption", "Resumption"
    MANDATE = "mandate", "Mandate"
    EVENT = "event", "Event"
    REPORTED_TOTAL = "reported_total", "Reported total"


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    LINKED = "linked", "Linked to an existing fact"
    REJECTED = "rejected", "Rejected"


class Candidate(models.Model):
    """A fact the extractor proposes, with the sentence that says it.

    Names are kept as found (``donor_name``) beside the organization they matched, if
    any: an unmatched name is flagged, not guessed. ``flags`` lists what the editor should
    check (no currency, no date, a name that matches nothing, ...)."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="candidates")
    # Stable identity within the article, so a re-run proposes nothing twice.
    fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=CandidateKind.choices)
    donor_name = models.CharField(max_length=200, blank=True)
    donor = models.ForeignKey(
        "ledger.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient = models.ForeignKey(
        "ledger.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(max_digits=24, decimal_places=2, null=True, blank=True)
    # The top of a range ("$1-2 billion"); the amount is then its bottom.
    amount_upper = models.DecimalField(max_digits=24, decimal_places=2, null=True, blank=True)
    qualifier = models.CharField(
        max_length=16, choices=AmountQualifier.choices, default=AmountQualifier.EXACT
    )
    currency = models.CharField(max_length=3, blank=True)
    category = models.CharField(
        max_length=16, choices=AidCategory.choices, default=AidCategory.UNSPECIFIED
    )
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=8, choices=DatePrecision.choices, blank=True)
    # Who else the fact names: the holder a mandate is taken over from, or who ordered a
    # pause; and for a reported total, the stage it counts and the start of its period.
    counterpart_name = models.CharField(max_length=200, blank=True)
    counterpart = models.ForeignKey(
        "ledger.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_start_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, blank=True
    )
    evidence = models.TextField(help_text="The sentence, verbatim from the article's text.")
    evidence_start = models.PositiveIntegerField()
    evidence_end = models.PositiveIntegerField()
    confidence = models.FloatField(help_text="0 to 1: how sure the extractor is.")
    flags = models.JSONField(default=list, blank=True)
    extractor = models.CharField(max_length=64, help_text="Which extractor proposed it.")

    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who decided where no user did: an API key ("api-key:<prefix>").
    decided_via = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The API client's Idempotency-Key for the decision: one key decides one candidate.
    decision_key = models.CharField(max_length=200, blank=True)
    decision_note = models.TextField(blank=True, help_text="A rejection's reason, or a note.")
    # What the candidate became, or the existing fact it was linked to.
    source = models.ForeignKey(
        "ledger.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commitment = models.ForeignKey(
        "ledger.Commitment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey(
        "ledger.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pause = models.ForeignKey(
        "ledger.Pause", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mandate = models.ForeignKey(
        "ledger.Mandate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "ledger.Event", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_total = models.ForeignKey(
        "ledger.ReportedTotal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "evidence_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "fingerprint"], name="news_candidate_once_per_article"
            ),
            models.CheckConstraint(
                condition=Q(evidence_end__gt=models.F("evidence_start")),
                name="news_candidate_evidence_span",
                violation_error_message="The evidence must span at least one character.",
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="news_candidate_confidence_range",
                violation_error_message="Confidence is between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="news_candidate_decision_dated",
                violation_error_message="A decision needs its time.",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.evidence[:80]}"
