"""``manage.py load_demo_news``: the five seed articles as news sources, ingested, so that
a new user finds their candidates in the review queue (``make run`` runs it).

Each article of ``ledger.scenario`` becomes an ingest source named "Demo news: <file>" of
the news adapter on its copy in ``../shared/fixtures/news/`` (no schedule), with the
scenario's title, publisher and date as options: where the copy gives no date, the date
the scenario works out for it. Running it again changes nothing: the sources are found by
name, and one whose article landed is not run again. Without the folder it says so and
does nothing.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from ingest.models import IngestSource, RunStatus
from ingest.runner import ingest_source
from ingest.services.sources import save_source
from ledger import scenario
from news.models import Candidate, CandidateStatus

FOLDER = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "news"
# The copies that state no date are dated as the scenario dates what they report.
DATES = {
    scenario.ROUNDUP: scenario.ROUNDUP_THURSDAY,
    scenario.BLINKEN: scenario.BLINKEN_IN_BRUSSELS,
    scenario.ROME: scenario.ROME_THURSDAY,
    scenario.BELGOROD: scenario.FIRST_WEEK_OF_2024,
}
ARTICLES = (scenario.ROUNDUP, scenario.BLINKEN, scenario.ROME, scenario.BELGOROD, scenario.KULEBA)
PREFIX = "Demo news: "


def published(article: scenario.Article) -> date:
    return article.published_on or DATES[article]


class Command(BaseCommand):
    help = "Ingest the seed articles as demo news sources, for a filled review queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", type=Path, default=FOLDER)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if not folder.is_dir():
            self.stdout.write(f"No demo news: {folder} is not there (the seed articles' copies).")
            return
        for article in ARTICLES:
            source = IngestSource.objects.filter(name=PREFIX + article.fixture).first()
            source = source or save_source(
                IngestSource(
                    name=PREFIX + article.fixture,
                    adapter="news",
                    location=str(folder / article.fixture),
                    options={
                        "kind": "text",
                        "title": article.title,
                        "publisher": article.publisher,
                        "published": published(article).isoformat(),
                        "url": article.url,
                    },
                )
            )
            if source.runs.filter(status=RunStatus.SUCCEEDED).exists():
                continue  # landed already: a second `make run` adds no runs
            run = ingest_source(source, trigger="command")
            if run.status != RunStatus.SUCCEEDED:
                self.stderr.write(f"{source.name}: {run.status}: {run.error}")
        pending = Candidate.objects.filter(
            article__ingest_source__name__startswith=PREFIX, status=CandidateStatus.PENDING
        ).count()
        self.stdout.write(
            f"Demo news: {len(ARTICLES)} seed articles ingested; {pending} candidates await review."
        )
