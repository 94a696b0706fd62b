from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ledger.models import Source
from ledger.services._common import clean_fields, inserted


@transaction.atomic
def record_source(
    *,
    url: str = "",
    publisher: str = "",
    title: str = "",
    published_on: date | None = None,
    retrieved_at: datetime | None = None,
    excerpt: str = "",
) -> Source:
    """Record a document and the passage quoted from it, or return the identical one.

    Two facts from one article are two sources with different excerpts. Raises
    ``ValidationError`` when neither a URL nor a title identifies the document.
    """
    if not url and not title:
        raise ValidationError(
            {"url": "A source needs a URL or a title.", "title": "A source needs a URL or a title."}
        )
    identity = {
        "url": url,
        "publisher": publisher,
        "title": title,
        "published_on": published_on,
        "excerpt": excerpt,
    }
    existing = Source.objects.filter(**identity).order_by("id").first()
    if existing is not None:
        return existing
    source = Source(retrieved_at=retrieved_at, **identity)
    clean_fields(source)
    source.save()
    return inserted(source)
