from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


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
