from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ledger.models import CORROBORATED_FACTS, Corroboration, Source
from ledger.services._common import clean_fields, inserted, race_safe, require


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


def fact_kind(fact: models.Model) -> str:
    """The name a further source gives ``fact``'s kind (its foreign key's name), or a
    ``ValidationError`` for something that is not a ledger fact."""
    for name in CORROBORATED_FACTS:
        model = Corroboration._meta.get_field(name).related_model
        if isinstance(model, type) and isinstance(fact, model):
            return name
    raise ValidationError({"fact": f"A {type(fact).__name__} is not a ledger fact a source cites."})


@race_safe
def add_further_source(
    *, fact: models.Model, source: Source, recorded_by: str = ""
) -> Corroboration:
    """Cite ``source`` as a further source of ``fact`` (a commitment, entry, pause,
    mandate, event or reported total), which keeps its first source.

    Adding the same source to the same fact again returns the first row. Raises
    ``ValidationError`` when ``fact`` is not a ledger fact, is unsaved, or already cites
    ``source`` as its own source.
    """
    require(fact=fact, source=source)
    kind = fact_kind(fact)
    if fact.pk is None:
        raise ValidationError({"fact": "The fact must be recorded first."})
    if getattr(fact, "source_id", None) == source.pk:
        raise ValidationError({"source": f"This is already the {kind}'s own source."})
    key = f"{kind}:{fact.pk}:{source.pk}"
    existing = Corroboration.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    corroboration = Corroboration(
        source=source, idempotency_key=key, recorded_by=recorded_by, **{kind: fact}
    )
    clean_fields(corroboration, exclude=["recorded_at"])
    corroboration.save(force_insert=True)
    return inserted(corroboration)
