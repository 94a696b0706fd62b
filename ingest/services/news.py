"""Writing a news run's batches: articles and their candidates, never ledger facts.

Each article is stored once (``news.services.articles.record_article``): a new one counts
created, one stored already (a feed item whose link is known, the same URL or the same
text) unchanged. A batch's articles, rejections and the run's counts commit together, as
the ledger writer's do, so a run that dies leaves whole batches and the next run finds
their articles stored. Candidates go to the review queue; an editor's acceptance is what
writes to the ledger (``news.services.review``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ingest.adapters.base import IncomingArticle, Rejection, StoredLink
from ingest.models import IngestRun
from ingest.services.runs import count_batch
from news.extraction.base import Extractor
from news.services.articles import article_stored, configured_extractor, record_article

NewsItem = IncomingArticle | StoredLink | Rejection


@dataclass
class ArticleWriter:
    run: IngestRun
    renew_lease: Callable[[], None] | None = None
    # Built for the run's first article: a run that reads none (an unchanged feed) never
    # builds it, and a run sees the organizations the ledger had when it began.
    _extractor: Extractor | None = field(default=None, init=False)

    @staticmethod
    def stored(url: str) -> bool:
        """Whether the article at ``url`` is stored (the adapter does not fetch it)."""
        return article_stored(url)

    def write(self, items: Sequence[NewsItem]) -> None:
        created = unchanged = 0
        rejections: list[Rejection] = []
        with transaction.atomic():
            for item in items:
                if isinstance(item, Rejection):
                    rejections.append(item)
                elif isinstance(item, StoredLink):
                    unchanged += 1
                else:
                    try:
                        recorded = self._record(item)
                    except ValidationError as error:
                        reason = " ".join(error.messages)
                        rejections.append(Rejection(item.position, item.raw, reason))
                        continue
                    created += recorded
                    unchanged += not recorded
            count_batch(
                self.run,
                seen=len(items),
                created=created,
                unchanged=unchanged,
                rejections=rejections,
            )
            if self.renew_lease is not None:
                self.renew_lease()

    def _record(self, article: IncomingArticle) -> bool:
        """Store ``article``; whether it was new."""
        if self._extractor is None:
            self._extractor = configured_extractor()
        return record_article(
            text=article.text,
            url=article.url,
            title=article.title,
            publisher=article.publisher,
            published_on=article.published_on,
            date_found_by=article.date_found_by,
            language=article.language,
            ingest_source=self.run.source,
            run=self.run,
            extractor=self._extractor,
        ).created
