"""Articles and candidates for the review tests, inserted directly (the ingest adapter
stores real ones; these tests start from what it would have stored)."""

import hashlib
from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from django.contrib.auth.models import Group, User

from news.models import Article, Candidate

_numbers = count(1)


def make_user(role: str) -> User:
    """A user in the ``editor`` or ``viewer`` group (the groups the migrations create),
    without a usable password: hashing one costs a third of a second."""
    user = User.objects.create_user(username=f"{role}-{next(_numbers)}")
    user.groups.add(Group.objects.get(name=role))
    return user


def make_article(
    text: str,
    *,
    url: str = "",
    title: str = "A report",
    publisher: str = "Example Wire",
    published_on: date | None = date(2025, 7, 10),
) -> Article:
    return Article.objects.create(
        url=url or f"https://news.example.org/{next(_numbers)}",
        content_hash=hashlib.sha256(f"{text}{next(_numbers)}".encode()).hexdigest(),
        title=title,
        publisher=publisher,
        published_on=published_on,
        text=text,
    )


def make_candidate(article: Article, evidence: str, **fields: Any) -> Candidate:
    """A candidate whose evidence is found verbatim in the article's text."""
    start = article.text.index(evidence)
    values: dict[str, Any] = {
        "kind": "pledge",
        "confidence": 0.8,
        "extractor": "test",
        "date_precision": "day" if fields.get("date") else "",
    }
    values.update(fields)
    if isinstance(values.get("amount"), str):
        values["amount"] = Decimal(values["amount"])
    return Candidate.objects.create(
        article=article,
        fingerprint=f"{values['kind']}:{start}:{next(_numbers)}",
        evidence=evidence,
        evidence_start=start,
        evidence_end=start + len(evidence),
        **values,
    )
