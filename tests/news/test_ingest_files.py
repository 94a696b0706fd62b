"""The news adapter on files: ``manage.py ingest --adapter news --file``, stored once."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest.models import IngestRun, IngestSource, RejectedRecord, RunStatus
from ledger.models import LedgerEntry
from ledger.scenario import BELGOROD, BLINKEN, KULEBA, ROME, ROME_THURSDAY, ROUNDUP
from news.models import Article, Candidate
from news.services.articles import record_article
from tests.news.feeds import PledgeSentences

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pledge_extractor")]

ARTICLE = (
    "Norway sends help\n\n"
    "Norway pledged 35 billion kroner to Ukraine on Thursday, the government said. "
    "Officials in Oslo said the money would go to air defence and to the repair of power "
    "stations before the winter. Norway pledged a further package for demining.\n"
)


def ingest(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("ingest", "--adapter", "news", "--file", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_text_file_is_stored_once_with_its_candidates(tmp_path: Path) -> None:
    path = tmp_path / "norway.txt"
    path.write_text(ARTICLE)

    out = ingest(
        path, "--published", "2025-07-10", "--url", "https://News.example/norway?utm_source=x"
    )
    assert "2 candidate updates proposed for review (admin: News)." in out

    article = Article.objects.get()
    assert article.text == ARTICLE  # as is: evidence offsets count in it
    assert (article.title, article.published_on, article.date_found_by) == (
        "Norway sends help",
        dt.date(2025, 7, 10),
        "given",
    )
    assert article.url == "https://news.example/norway"
    candidates = list(Candidate.objects.order_by("evidence_start"))
    assert [c.evidence for c in candidates] == [
        "Norway pledged 35 billion kroner to Ukraine on Thursday, the government said.",
        "Norway pledged a further package for demining.",
    ]
    assert all(ARTICLE[c.evidence_start : c.evidence_end] == c.evidence for c in candidates)
    assert {(c.kind, c.status, c.extractor) for c in candidates} == {
        ("pledge", "pending", PledgeSentences.name)
    }
    first = IngestRun.objects.get()
    assert (first.status, first.seen, first.created) == (RunStatus.SUCCEEDED, 1, 1)

    # Again, and again read in full: nothing new either way.
    ingest(path, "--published", "2025-07-10", "--url", "https://news.example/norway")
    ingest(path, "--published", "2025-07-10", "--full")
    assert (Article.objects.count(), Candidate.objects.count()) == (1, 2)
    second, third = IngestRun.objects.exclude(pk=first.pk).order_by("id")
    assert (second.status, second.created, second.unchanged) == (RunStatus.SUCCEEDED, 0, 1)
    assert (third.status, third.created, third.unchanged, third.same_as) == (
        RunStatus.SUCCEEDED,
        0,
        1,
        None,
    )
    assert not LedgerEntry.objects.exists()  # nothing reaches the ledger unreviewed


def test_a_bad_published_date_is_a_command_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "norway.txt"
    path.write_text(ARTICLE)
    with pytest.raises(CommandError, match="--published '10/07/2025' is not a date"):
        ingest(path, "--published", "10/07/2025")
    assert not IngestRun.objects.exists()


def test_an_article_without_a_date_is_stored_with_its_candidates_flagged(tmp_path: Path) -> None:
    path = tmp_path / "norway.txt"
    path.write_text(ARTICLE)
    ingest(path)
    article = Article.objects.get()
    assert (article.published_on, article.date_found_by, article.url) == (None, "", "")
    assert {tuple(c.flags) for c in Candidate.objects.all()} == {("no date",)}


@pytest.mark.parametrize(
    "text",
    [
        "Deutschland sagt Hilfe zu\n\nDie Bundesregierung hat am Donnerstag zugesagt, der "
        "Ukraine weitere Mittel für die Luftverteidigung zur Verfügung zu stellen, sagte "
        "eine Sprecherin des Ministeriums in Berlin.",
        "Норвегія надасть допомогу\n\nУряд Норвегії в четвер пообіцяв виділити Україні "  # noqa: RUF001 (Ukrainian)
        "нові кошти на протиповітряну оборону та ремонт електростанцій до зими, повідомило "
        "міністерство.",
    ],
    ids=["German", "Ukrainian"],
)
def test_text_in_another_language_is_rejected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text)
    with pytest.raises(CommandError, match="Every record was rejected"):
        ingest(path, "--published", "2025-07-10")
    reason = RejectedRecord.objects.get().reason
    assert reason.startswith("The text is not English: ")
    assert reason.endswith(" (the extractor reads English).")
    assert not Article.objects.exists()


def test_a_file_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Norway pledged 35 billion kroner, said the minister Støre.".encode("latin-1"))
    with pytest.raises(CommandError, match="Every record was rejected"):
        ingest(path)
    assert RejectedRecord.objects.get().reason.startswith("The file is not UTF-8 text")
    assert not Article.objects.exists()


def test_the_same_text_under_another_url_is_the_same_article() -> None:
    extractor = PledgeSentences()
    first = record_article(text=ARTICLE, url="https://a.example/1", extractor=extractor)
    second = record_article(text=ARTICLE, url="https://b.example/2", extractor=extractor)
    changed = record_article(
        text=ARTICLE + "More.", url="https://a.example/1#top", extractor=extractor
    )
    assert (first.created, second.created, changed.created) == (True, False, False)
    assert second.article == first.article == changed.article
    assert Candidate.objects.count() == first.candidates == 2


SEED = [ROUNDUP, BLINKEN, ROME, BELGOROD, KULEBA]


def test_the_seed_articles_ingest_from_their_files(shared_dir: Path) -> None:
    folder = shared_dir / "fixtures" / "news"
    for seed in SEED:
        ingest(folder / seed.fixture, "--option", f"title={seed.title}")
    assert set(Article.objects.values_list("title", flat=True)) == {s.title for s in SEED}
    for article in Article.objects.all():
        assert (
            article.text
            == (folder / next(s.fixture for s in SEED if s.title == article.title)).read_text()
        )
    assert IngestRun.objects.filter(status=RunStatus.SUCCEEDED).count() == len(SEED)


def test_the_demo_loads_the_seed_articles_once_with_the_scenarios_dates(shared_dir: Path) -> None:
    out = StringIO()
    call_command("load_demo_news", stdout=out)
    call_command("load_demo_news", stdout=out)

    stored = {a.title: a for a in Article.objects.all()}
    assert len(stored) == len(SEED)
    assert (stored[ROME.title].published_on, stored[ROME.title].date_found_by) == (
        ROME_THURSDAY,
        "given",
    )
    assert stored[KULEBA.title].published_on == KULEBA.published_on
    assert stored[BLINKEN.title].publisher == "RFE/RL"
    assert IngestSource.objects.filter(name__startswith="Demo news: ").count() == len(SEED)
    assert list(IngestRun.objects.values_list("status", "created")) == [("succeeded", 1)] * 5
    pending = Candidate.objects.filter(status="pending").count()
    assert out.getvalue().splitlines()[-1] == (
        f"Demo news: 5 seed articles ingested; {pending} candidates await review."
    )


def test_the_demo_says_so_when_the_seed_articles_are_not_there(tmp_path: Path) -> None:
    out = StringIO()
    call_command("load_demo_news", "--folder", str(tmp_path / "absent"), stdout=out)
    assert (
        out.getvalue()
        == f"No demo news: {tmp_path / 'absent'} is not there (the seed articles' copies).\n"
    )
    assert not IngestSource.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--adapter", "csv", "--file", "x.csv", "--published", "2025-07-10"],
        ["--source", "Gazette", "--url", "https://news.example/1"],
    ],
)
def test_published_and_url_go_with_a_news_file_only(args: list[str]) -> None:
    with pytest.raises(
        CommandError, match="--published and --url go with --file and --adapter news"
    ):
        call_command("ingest", *args)


def test_a_text_with_a_nul_character_is_rejected_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_text(ARTICLE.replace("Thursday", "Thurs\x00day"))
    with pytest.raises(CommandError, match="Every record was rejected"):
        ingest(path)
    assert RejectedRecord.objects.get().reason.startswith(
        "The record's text contains a NUL character (U+0000) at offset"
    )
