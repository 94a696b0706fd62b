"""The rules extractor: a sentence with a stage word, a donor and (for money) an amount
is a candidate; guards drop denials, conditions, demands and questions.

Dates: the sentence's own date nearest the stage word, except a period's start ("since
February 2022") or a deadline ("by January 20"); else the last date in the sentences
before it in the same paragraph ("date from context"); else, for a promise of money, the
date of the article's lede when the lede reports a promise too ("date from the lede":
news tells the day's main fact first and its details later); else none. The publication
date is never a guess, with two exceptions the text itself makes: "between now and ..."
(now is the day of publication) and a running total, which is as of its publication.

Flags, for the editor: "donor unmatched" (kept as the text found), "donor from context"
(a person's state, a conference's participants), "near-miss name", "no amount", "no
currency", "no date", "date from context", "date from lede", "low confidence" (below
``LOW_CONFIDENCE``). Each lowers the confidence, which starts at the stage word's
strength.
"""

import dataclasses
import datetime as dt
import re
from functools import cached_property

from news.extraction import gazetteer as names_module
from news.extraction import guards, roles, stages
from news.extraction.base import Found, Name
from news.extraction.dates import FoundDate, find_dates
from news.extraction.language import not_english_reason
from news.extraction.money import Money, find_money
from news.extraction.sentences import Sentence, sentences

MONEY_KINDS = {"pledge", "commitment", "allocation", "disbursement", "reported_total"}
PROMISES = {"pledge", "commitment", "allocation"}
# A period's start or a deadline, not the day of the fact: "since February 2022",
# "by January 20", "between now and January 20".
NOT_THE_FACTS_DATE = re.compile(
    r"\b(?:since|from)\s+(?:\S+\s+){0,4}$"
    r"|\b(?:by|before|until|till|through|now\s+and)\s+(?:\S+\s+)?$",
    re.I,
)
PART_BARRIER = re.compile(r";|\b(?:adding|saying|but|while|although|whereas)\b", re.I)
NOW_UNTIL = re.compile(r"\bbetween\s+now\s+and\b", re.I)
PREPOSITION = re.compile(
    r"\b(?:to|towards|toward|for|of|about|on|against|before|after|without|in)\s+$", re.I
)
ASPECT = re.compile(
    r"\b(?:resum|restart|halt|paus|suspend|stop|continu|start|began|begin|keep|kept)\w*\s+$",
    re.I,
)
LOW_CONFIDENCE = 0.5
# The order in which a date's source is trusted, best first (see the module's docstring).
DATE_SOURCES = ("sentence", "now", "published", "context", "lede", "")


class RulesExtractor:
    name = "rules"

    def __init__(self, *, gazetteer: names_module.Gazetteer | None = None) -> None:
        # A fixed gazetteer (a benchmark's, built without a database); by default the
        # ledger's, rebuilt when its organizations change.
        self.gazetteer = gazetteer

    def extract(self, text: str, *, published_on: dt.date | None) -> list[Found]:
        if not_english_reason(text):
            return []
        gazetteer = self.gazetteer or names_module.current_gazetteer()
        doc = gazetteer.parse(text)
        article = _Article(text, sentences(doc), gazetteer.names(doc), published_on)
        found: list[tuple[Found, str]] = []
        for index, sentence in enumerate(article.sentences):
            # One candidate per kind, and per amount, in a sentence: "earmarked C$60
            # million, the minister announced" is one fact, read by the stronger word.
            candidates = [
                candidate
                for trigger in stages.triggers(sentence.text)
                if (candidate := article.candidate(index, sentence, trigger)) is not None
            ]
            kept: list[tuple[Found, str]] = []
            for candidate in sorted(candidates, key=lambda pair: -pair[0].confidence):
                if not any(_same_in_sentence(candidate[0], other[0]) for other in kept):
                    kept.append(candidate)
            found.extend(kept)
        return _merge(found)


class _Article:
    def __init__(
        self,
        text: str,
        sentence_list: list[Sentence],
        names: list[names_module.Mention],
        published_on: dt.date | None,
    ) -> None:
        self.text = text
        self.sentences = sentence_list
        self.names = names
        self.published_on = published_on

    @cached_property
    def dates(self) -> list[FoundDate]:
        # dateparser is the slow part: only articles with a candidate pay for it.
        return find_dates(self.text, published_on=self.published_on)

    @cached_property
    def lede_date(self) -> FoundDate | None:
        lede = next(
            (s for s in self.sentences if len(s.text.split()) >= 12 and s.text[-1] in '.\u201d"'),
            None,
        )
        if lede is None:
            return None
        promise = any(
            t.kind in PROMISES and not guards.why_not_a_fact(lede.text, t.start, t.end)
            for t in stages.triggers(lede.text)
        )
        days = [d for d in self._dates_in(lede) if d.precision == "day"] if promise else []
        return days[0] if days else None

    def _dates_in(self, sentence: Sentence) -> list[FoundDate]:
        return [d for d in self.dates if sentence.start <= d.start < sentence.end]

    def candidate(
        self, index: int, sentence: Sentence, trigger: stages.Trigger
    ) -> tuple[Found, str] | None:
        text = sentence.text
        if guards.why_not_a_fact(text, trigger.start, trigger.end):
            return None
        word = text[trigger.start : trigger.end]
        if word.lower().endswith("ing") and PREPOSITION.search(text[: trigger.start]):
            return None  # "skepticism towards approving more funds": no act
        if word.lower().endswith("ing") and ASPECT.search(text[: trigger.start]):
            return None  # "resume sending weapons": the resumption is the fact
        amount = _nearest_money(text, trigger)
        clause_start, clause_end = guards.clause(text, trigger.start, trigger.end)
        kind = trigger.kind
        if kind in MONEY_KINDS:
            if amount is not None and stages.is_running_total(text, trigger):
                kind = "reported_total"
            elif kind == "disbursement" and stages.is_future(text, trigger):
                kind = "pledge"
            clause = text[clause_start:clause_end]
            goods = kind == "disbursement" and bool(stages.GOODS.search(clause))
            if amount is None and not goods and (trigger.needs_money or not _about_aid(clause)):
                return None
        # What the fact is about (aid or not, which kind of aid): its part of the
        # sentence; for a pause or a resumption, with the sentence before it in the
        # paragraph too ("resumes weapons shipments after a pause. The Pentagon had
        # ordered the pause ...").
        first, last = _part(text, trigger)
        about = text[first:last]
        if kind in {"pause", "resumption"}:
            previous = self.sentences[index - 1] if index else None
            if previous is not None and previous.paragraph == sentence.paragraph:
                about = previous.text + " " + about
            if not _about_aid(about):
                return None
        elif kind == "event" and amount is not None:
            kind = "commitment"
        in_sentence = [n for n in self.names if sentence.start <= n.start < sentence.end]
        found_roles = roles.assign(
            text, sentence.start, trigger.start, trigger.end, in_sentence, self.names
        )
        if found_roles.donor is None:
            return None
        if kind == "disbursement" and amount is None:
            # Goods delivered without a price: only to the ledger's recipient, named.
            recipient = found_roles.recipient
            if recipient is None or not roles.is_recipient(recipient):
                return None
        category = stages.category(about) if kind != "event" else "unspecified"
        return self._found(index, sentence, trigger, kind, amount, found_roles, category)

    def _found(
        self,
        index: int,
        sentence: Sentence,
        trigger: stages.Trigger,
        kind: str,
        amount: Money | None,
        found_roles: roles.Roles,
        category: str,
    ) -> tuple[Found, str]:
        assert found_roles.donor is not None
        flags = list(found_roles.flags)
        donor_known, acting = roles.donor_of(found_roles.donor)
        donor = _name(found_roles.donor, donor_known)
        counterpart = found_roles.counterpart
        counterpart_name = _name(counterpart, counterpart.known) if counterpart else None
        if kind == "pause" and acting is not None:
            counterpart_name = _name(found_roles.donor, acting)  # who ordered it
        date, source = self._date(index, sentence, trigger, kind)
        if source in {"context", "lede"}:
            flags.append(f"date from {source}")
        stage, period_start = "", None
        if kind == "reported_total":
            stage = trigger.stage
            period_start = self._period_start(sentence)
        confidence = trigger.strength * (found_roles.donor.score or 1.0)
        if not donor.matched:
            flags.append("donor unmatched")
            confidence *= 0.7
        if "donor from context" in flags:
            confidence *= 0.85
        if found_roles.donor.score < 1.0 and donor.matched:
            flags.append("near-miss name")
        if kind in MONEY_KINDS:
            if amount is None:
                flags.append("no amount")
                confidence *= 0.9
            elif not amount.currency:
                flags.append("no currency")
                confidence *= 0.7
        if date is None:
            flags.append("no date")
            confidence *= 0.85
        elif source in {"context", "lede"}:
            confidence *= 0.9
        if confidence < LOW_CONFIDENCE:
            flags.append("low confidence")
        found = Found(
            kind=kind,
            evidence=sentence.text,
            evidence_start=sentence.start,
            evidence_end=sentence.end,
            confidence=round(min(1.0, confidence), 2),
            donor=donor,
            recipient=_name(found_roles.recipient, found_roles.recipient.known)
            if found_roles.recipient
            else None,
            amount=amount.amount if amount else None,
            amount_upper=amount.upper if amount else None,
            qualifier=amount.qualifier if amount else "exact",
            currency=amount.currency if amount else "",
            category=category,
            date=date.date if date else None,
            date_precision=date.precision if date else "",
            counterpart=counterpart_name,
            stage=stage,
            period_start=period_start.date if period_start else None,
            period_start_precision=period_start.precision if period_start else "",
            flags=tuple(flags),
        )
        return found, source

    def _date(
        self, index: int, sentence: Sentence, trigger: stages.Trigger, kind: str
    ) -> tuple[FoundDate | None, str]:
        # A date goes to the stage word nearest it: in "resumes shipments after a pause
        # last week", last week is the pause's. Words of one kind are one fact.
        middles = [
            sentence.start + (t.start + t.end) // 2
            for t in stages.triggers(sentence.text)
            if t.kind != trigger.kind or t == trigger
        ]
        middle = sentence.start + (trigger.start + trigger.end) // 2
        # ... and is in its part of the sentence: "..., adding that allies must fight in
        # 2025" does not date the fact before it.
        first, last = _part(sentence.text, trigger)
        part = (sentence.start + first, sentence.start + last)
        own = [
            d
            for d in self._dates_in(sentence)
            if not NOT_THE_FACTS_DATE.search(self.text[sentence.start : d.start])
            and min(middles, key=lambda m: abs(d.start - m)) == middle
            and part[0] <= d.start < part[1]
        ]
        if own:
            return min(own, key=lambda d: abs(d.start - middle)), "sentence"
        published = (
            FoundDate(sentence.start, sentence.start, self.published_on, "day")
            if self.published_on
            else None
        )
        if published and NOW_UNTIL.search(sentence.text):
            return published, "now"
        if kind == "reported_total":
            return published, "published" if published else ""
        for earlier in reversed(self.sentences[:index]):
            if earlier.paragraph != sentence.paragraph:
                break
            context = self._dates_in(earlier)
            if context:
                return context[-1], "context"
        if kind in PROMISES and self.lede_date is not None:
            return self.lede_date, "lede"
        return None, ""

    def _period_start(self, sentence: Sentence) -> FoundDate | None:
        for found in self._dates_in(sentence):
            if re.search(r"\bsince\s+(?:\S+\s+){0,4}$", self.text[sentence.start : found.start]):
                return found
        return None


def _part(sentence: str, trigger: stages.Trigger) -> tuple[int, int]:
    """The part of ``sentence`` that speaks of the stage word's fact: between the
    barriers ("adding", "but", ";", ...) around it."""
    barriers = [m.start() for m in PART_BARRIER.finditer(sentence)]
    return (
        max((b for b in barriers if b <= trigger.start), default=0),
        min((b for b in barriers if b > trigger.start), default=len(sentence)),
    )


def _same_in_sentence(one: Found, other: Found) -> bool:
    return one.kind == other.kind or (
        one.amount is not None and (one.amount, one.currency) == (other.amount, other.currency)
    )


def _nearest_money(text: str, trigger: stages.Trigger) -> Money | None:
    amounts = find_money(text)
    if not amounts:
        return None
    return min(amounts, key=lambda m: (m.start < trigger.start, abs(m.start - trigger.end)))


def _about_aid(text: str) -> bool:
    return bool(stages.AID_WORDS.search(text)) and not stages.NOT_AID.search(text)


def _name(found: names_module.Mention, known: names_module.Known | None) -> Name:
    return Name(
        text=found.text,
        start=found.start,
        end=found.end,
        organization_id=known.organization_id if known else None,
        canonical=known.canonical if known else "",
        score=found.score if known else 0.0,
    )


def _merge(found: list[tuple[Found, str]]) -> list[Found]:
    """One candidate per fact: the same kind, donor, amount and currency said again in the
    article is the same fact. The one kept has an amount, then the best-sourced date, then
    the higher confidence, then the earlier sentence; what it lacks, the others fill in."""
    groups: dict[tuple, list[tuple[Found, str]]] = {}
    for candidate, source in found:
        donor = candidate.donor.canonical or candidate.donor.text.lower() if candidate.donor else ""
        key = (candidate.kind, donor, candidate.amount, candidate.currency)
        groups.setdefault(key, []).append((candidate, source))
    # Said without its amount (in a headline, say) and with it elsewhere: the same fact,
    # when the article gives that donor only one amount of that kind.
    for key in [key for key in groups if key[2] is None]:
        with_amount = [k for k in groups if k[:2] == key[:2] and k[2] is not None]
        if len(with_amount) == 1:
            groups[with_amount[0]] += groups.pop(key)
    merged = []
    for group in groups.values():
        best, _ = min(
            group,
            key=lambda pair: (
                pair[0].amount is None,
                DATE_SOURCES.index(pair[1]) if pair[0].date else len(DATE_SOURCES),
                -pair[0].confidence,
                pair[0].evidence_start,
            ),
        )
        for other, _ in group:
            if best.recipient is None and other.recipient is not None:
                best = dataclasses.replace(best, recipient=other.recipient)
            if best.counterpart is None and other.counterpart is not None:
                best = dataclasses.replace(best, counterpart=other.counterpart)
            if best.category == "unspecified" and other.category != "unspecified":
                best = dataclasses.replace(best, category=other.category)
        merged.append(best)
    return sorted(merged, key=lambda candidate: candidate.evidence_start)
