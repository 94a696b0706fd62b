"""``manage.py extract_news [--published YYYY-MM-DD] [--url URL] PATH...``: the candidates
the extractor finds in each text file, one JSON object per line, written to no database.

    manage.py extract_news --published 2025-07-10 article.txt

Each line has exactly the keys of ``KEYS``; other programs score them (``bench/news.py``).
Text in another language gives no lines but a note on stderr saying why.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from news.extraction import default_extractor, not_english_reason
from news.extraction.base import Found, Name

KEYS = (
    "file",
    "kind",
    "donor",
    "recipient",
    "amount",
    "currency",
    "category",
    "date",
    "date_precision",
    "evidence",
    "evidence_start",
    "evidence_end",
    "confidence",
)


def candidate_line(path: str, found: Found) -> dict[str, Any]:
    """A candidate as the command prints it: a name is its organization's (or the text as
    found when it matched nothing), an amount a decimal string."""

    def name(value: Name | None) -> str | None:
        return (value.canonical or value.text) if value else None

    return {
        "file": path,
        "kind": found.kind,
        "donor": name(found.donor),
        "recipient": name(found.recipient),
        "amount": format(found.amount, "f") if found.amount is not None else None,
        "currency": found.currency,
        "category": found.category,
        "date": found.date.isoformat() if found.date else None,
        "date_precision": found.date_precision,
        "evidence": found.evidence,
        "evidence_start": found.evidence_start,
        "evidence_end": found.evidence_end,
        "confidence": found.confidence,
    }


class Command(BaseCommand):
    help = "Print the candidate updates found in text files, as JSON lines; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="UTF-8 text files.")
        parser.add_argument(
            "--published",
            help="The articles' publication date (YYYY-MM-DD), against which relative "
            'dates ("on Thursday", "last week") are resolved; without it they are left empty.',
        )
        parser.add_argument(
            "--url",
            help="The article's URL, as `ingest --adapter news` takes it; the extractor reads "
            "the text only, so it changes nothing here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        published_on = None
        if options["published"]:
            try:
                published_on = dt.date.fromisoformat(options["published"])
            except ValueError as error:
                raise CommandError(
                    f"--published takes a date as YYYY-MM-DD, not {options['published']!r}."
                ) from error
        texts = []
        for path in options["paths"]:
            try:
                texts.append((path, Path(path).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read {path}: {error}") from error
        extractor = default_extractor()
        for path, text in texts:
            reason = not_english_reason(text)
            if reason:
                self.stderr.write(f"{path}: no candidates, {reason}")
                continue
            for found in extractor.extract(text, published_on=published_on):
                line = candidate_line(path, found)
                self.stdout.write(json.dumps(line, ensure_ascii=False))
