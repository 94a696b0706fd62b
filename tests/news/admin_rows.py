"""Rows for the review queue's tests: an article and candidates found in it, inserted as
the news adapter stores them (the extractor's own output is tested elsewhere), with each
candidate's evidence located in the article's text so its offsets are right."""

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from news.models import Article, Candidate

# Our own sentences (no third-party text in the repository), shaped like the seed articles.
TEXT = (
    "Leaders met in Rome on Thursday for the recovery conference.\n"
    "Kyiv secured $12 billion from participants to rebuild the country, the host said. "
    "The money will be paid over several years.\n"
    "Washington resumed weapons shipments after a pause last week.\n"
    "The Pentagon had ordered the pause over concerns about its stockpiles."
)
PLEDGE = "Kyiv secured $12 billion from participants to rebuild the country, the host said."
RESUMPTION = "Washington resumed weapons shipments after a pause last week."
PAUSE = "The Pentagon had ordered the pause over concerns about its stockpiles."


def make_article(text: str = TEXT, **values: Any) -> Article:
    return Article.objects.create(
        **{
            "url": "https://news.example.org/rome",
            "content_hash": hashlib.sha256(text.encode()).hexdigest(),
            "title": "Rome conference raises money for rebuilding",
            "publisher": "Example Wire",
            "published_on": date(2025, 7, 10),
            "date_found_by": "given",
            "language": "en",
            "text": text,
            **values,
        }
    )


def make_candidate(article: Article, evidence: str, **values: Any) -> Candidate:
    """A candidate whose evidence is the first occurrence of ``evidence`` in the text."""
    start = article.text.index(evidence)
    return Candidate.objects.create(
        **{
            "article": article,
            "fingerprint": hashlib.sha256(f"{start}:{values}".encode()).hexdigest(),
            "kind": "pledge",
            "evidence": evidence,
            "evidence_start": start,
            "evidence_end": start + len(evidence),
            "confidence": 0.9,
            "extractor": "test",
            **values,
        }
    )


def pledge(article: Article, **values: Any) -> Candidate:
    return make_candidate(
        article,
        PLEDGE,
        **{
            "donor_name": "participants",
            "recipient_name": "Kyiv",
            "amount": Decimal("12000000000"),
            "currency": "USD",
            "date": date(2025, 7, 10),
            "date_precision": "day",
            **values,
        },
    )


def logged_in(username: str, *, group: str) -> Client:
    """A client logged in as a staff user of ``group`` (the roles the migrations grant).
    The user has no usable password: hashing one costs more than the test itself."""
    user = get_user_model()._default_manager.create(username=username, is_staff=True)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client
