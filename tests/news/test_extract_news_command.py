"""manage.py extract_news: JSON lines with exactly the contract's keys, nothing written,
clear errors for a bad date or an unreadable file, a note for text in another language."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from news.management.commands.extract_news import KEYS
from news.models import Candidate

ARTICLE = (
    "Norway pledged NOK 2 billion in humanitarian aid to Ukraine on Tuesday, the "
    "government in Oslo said.\n\nThe package will pay for shelters and food.\n"
)
FRENCH = (
    "La Norvège a promis deux milliards de couronnes à l'Ukraine mardi, a déclaré le "
    "gouvernement dans un communiqué publié à Oslo. Le paquet financera des abris et de la "
    "nourriture pour les familles déplacées par la guerre dans les régions de l'est du pays."
)


def run(*args: str) -> tuple[list[dict], str]:
    out, err = StringIO(), StringIO()
    call_command("extract_news", *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


@pytest.mark.django_db
def test_prints_each_candidate_as_one_json_line_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "norway.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    lines, _ = run("--published", "2025-03-06", "--url", "https://example.org/a", str(path))
    assert lines == [
        {
            "file": str(path),
            "kind": "pledge",
            "donor": "Norway",
            "recipient": "Ukraine",
            "amount": "2000000000",
            "currency": "NOK",
            "category": "humanitarian",
            "date": "2025-03-04",
            "date_precision": "day",
            "evidence": ARTICLE.splitlines()[0],
            "evidence_start": 0,
            "evidence_end": len(ARTICLE.splitlines()[0]),
            "confidence": lines[0]["confidence"],
        }
    ]
    assert tuple(lines[0]) == KEYS
    assert 0.5 < lines[0]["confidence"] <= 1
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_relative_dates_stay_empty_without_a_publication_date(tmp_path: Path) -> None:
    path = tmp_path / "norway.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    lines, _ = run(str(path))
    assert [(line["date"], line["date_precision"]) for line in lines] == [(None, "")]


def test_a_bad_publication_date_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--published"):
        run("--published", "6 March 2025", str(tmp_path / "any.txt"))


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(CommandError, match=r"missing\.txt"):
        run(str(missing))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00not text")
    with pytest.raises(CommandError, match=r"binary\.txt"):
        run(str(binary))


@pytest.mark.django_db
def test_text_in_another_language_gives_no_lines_but_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "norvege.txt"
    path.write_text(FRENCH, encoding="utf-8")
    lines, err = run("--published", "2025-03-06", str(path))
    assert lines == []
    assert "norvege.txt" in err
    assert "not English" in err
