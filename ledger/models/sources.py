import functools
import operator

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ledger.models.dates import ServerNow


class Source(models.Model):
    """Where a figure or an event comes from: a document and the sentence quoted from it.

    The same article cited for two facts is two sources with different excerpts.
    """

    url = models.URLField("URL", max_length=2000, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=500, blank=True)
    published_on = models.DateField(null=True, blank=True)
    retrieved_at = models.DateTimeField(null=True, blank=True)
    excerpt = models.TextField("quoted excerpt", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(title=""),
                name="source_has_url_or_title",
                violation_error_message="A source needs a URL or a title.",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.publisher, self.title or self.url]
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return " · ".join(p for p in parts if p)


# The facts a further source may corroborate, by the name of their foreign key.
CORROBORATED_FACTS = ("commitment", "entry", "pause", "mandate", "event", "reported_total")


def _exactly_one_fact() -> Q:
    return functools.reduce(
        operator.or_,
        (
            Q(
                **{f"{name}__isnull": False},
                **{f"{o}__isnull": True for o in CORROBORATED_FACTS if o != name},
            )
            for name in CORROBORATED_FACTS
        ),
    )


class Corroboration(models.Model):
    """A further source for a fact already recorded: a second article reporting the same
    pledge, pause or meeting. Each fact keeps its one ``source`` (where the ledger first
    learnt it); these rows add the others without recording the fact twice.

    Append-only, like the facts themselves: database triggers refuse UPDATE and DELETE.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="corroborations")
    commitment = models.ForeignKey(
        "ledger.Commitment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    entry = models.ForeignKey(
        "ledger.LedgerEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    pause = models.ForeignKey(
        "ledger.Pause",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    mandate = models.ForeignKey(
        "ledger.Mandate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    event = models.ForeignKey(
        "ledger.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    reported_total = models.ForeignKey(
        "ledger.ReportedTotal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="further_sources",
    )
    recorded_at = models.DateTimeField(db_default=ServerNow(), editable=False)
    recorded_by = models.CharField(max_length=150, blank=True)
    # "<fact kind>:<fact id>:<source id>": the same source is added to a fact once.
    idempotency_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_fact(),
                name="corroboration_exactly_one_fact",
                violation_error_message="A further source corroborates exactly one fact.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} for {self.fact}"

    @property
    def fact(self) -> models.Model:
        return next(
            getattr(self, name) for name in CORROBORATED_FACTS if getattr(self, f"{name}_id")
        )
