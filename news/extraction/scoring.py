"""Scoring candidates against labels: what ``tests/news/test_extraction_seed.py`` and
``bench/news.py`` both count.

A labels file (JSON) lists articles: ``file`` (looked up in the folder ``directory``,
relative to the labels file), ``published`` (YYYY-MM-DD or null) and ``expected``, the
facts as ``manage.py extract_news`` prints them. A candidate matches a label on
``MATCH_KEYS``; each label is matched at most once.
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

MATCH_KEYS = ("kind", "donor", "amount", "currency", "date", "date_precision")


@dataclass(frozen=True)
class Labelled:
    path: Path
    published: dt.date | None
    expected: list[dict[str, Any]]


def load_labels(path: Path) -> list[Labelled]:
    data = json.loads(path.read_text(encoding="utf-8"))
    folder = (path.parent / data.get("directory", ".")).resolve()
    return [
        Labelled(
            folder / article["file"],
            dt.date.fromisoformat(article["published"]) if article.get("published") else None,
            article["expected"],
        )
        for article in data["articles"]
    ]


def fact_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    """The values a label and a candidate must share; "" and null alike mean none."""

    def normal(key: str, value: Any) -> Any:
        if value in ("", None):
            return None
        return Decimal(value) if key == "amount" else value

    return tuple(normal(key, fact.get(key)) for key in MATCH_KEYS)


@dataclass
class Score:
    """True positives, false positives and misses, per kind."""

    hits: Counter[str]
    extra: Counter[str]
    missed: Counter[str]

    @classmethod
    def empty(cls) -> "Score":
        return cls(Counter(), Counter(), Counter())

    def add(self, expected: list[dict[str, Any]], found: list[dict[str, Any]]) -> None:
        wanted = Counter(fact_key(fact) for fact in expected)
        for fact in found:
            key = fact_key(fact)
            if wanted[key] > 0:
                wanted[key] -= 1
                self.hits[key[0]] += 1
            else:
                self.extra[key[0]] += 1
        for key, count in wanted.items():
            if count:
                self.missed[key[0]] += count

    def figures(self, kind: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 (of one kind, or over all); 1.0 where nothing was
        expected nor found."""
        hits, extra, missed = (
            (self.hits[kind], self.extra[kind], self.missed[kind])
            if kind
            else (self.hits.total(), self.extra.total(), self.missed.total())
        )
        precision = hits / (hits + extra) if hits + extra else 1.0
        recall = hits / (hits + missed) if hits + missed else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def kinds(self) -> list[str]:
        return sorted({*self.hits, *self.extra, *self.missed})
