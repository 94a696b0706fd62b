"""What an extractor gives back, and the one interface every extractor has.

The rules in this package are one extractor; a learned model could replace or rerank it
later by implementing ``Extractor``. Extractors read text only and write nothing: the
ingest adapter stores what they find as ``news.Candidate`` rows for review.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class Name:
    """A name as the text gives it, and the ledger organization it matched (if any)."""

    text: str
    start: int
    end: int
    # The organization's primary key in the ledger, and its name; both empty when the
    # name matched nothing the ledger (or the list of states) knows.
    organization_id: int | None = None
    canonical: str = ""
    score: float = 1.0

    @property
    def matched(self) -> bool:
        return bool(self.canonical)


@dataclass(frozen=True)
class Found:
    """One candidate update: a fact of ``kind`` said by the sentence ``evidence``, which
    is ``text[evidence_start:evidence_end]`` of the article's stored text."""

    kind: str
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    donor: Name | None = None
    recipient: Name | None = None
    amount: Decimal | None = None
    amount_upper: Decimal | None = None
    qualifier: str = "exact"
    currency: str = ""
    category: str = "unspecified"
    date: dt.date | None = None
    date_precision: str = ""
    # Who else the fact names: for a mandate the holder it takes over from, for a pause
    # the body that ordered it.
    counterpart: Name | None = None
    # For a reported total: the stage it counts ("has sent": disbursement) and the start
    # of the period it covers ("since February 2022").
    stage: str = ""
    period_start: dt.date | None = None
    period_start_precision: str = ""
    flags: tuple[str, ...] = field(default=())


class Extractor(Protocol):
    name: str

    def extract(self, text: str, *, published_on: dt.date | None) -> list[Found]: ...
