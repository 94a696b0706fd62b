"""Stage words: which kind of fact a sentence reports, and which kind of aid.

Each pattern covers a verb's inflections ("pledged", "pledges", "pledging"). Strength is
how surely the word alone says the fact: "allocated" means money set aside, "announced"
often means nothing of the kind; it feeds the candidate's confidence.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    kind: str
    start: int  # offsets in the sentence
    end: int
    strength: float
    # What a reported total or a promise counts, from the verb: "has sent" is money
    # disbursed, "has pledged" money pledged.
    stage: str
    needs_money: bool  # "announced" or "sent" say a fact only about an amount


def _words(*stems: str) -> str:
    # Not inside a compound: "Western-supplied tanks" supplies nothing.
    return r"(?<!-)\b(?:" + "|".join(stems) + r")\b"


# (kind, stage, strength, needs money, pattern), the more specific first.
PATTERNS: list[tuple[str, str, float, bool, re.Pattern[str]]] = [
    (
        "mandate",
        "",
        0.9,
        False,
        re.compile(
            r"\btak(?:e|es|ing|en)\s+over\b(?:\s+\S+){0,4}?\s+(?:coordination|responsibilit(?:y|ies)"
            r"|leadership)\b|\bwill\s+coordinate\b|\bco-?chair(?:s|ed|ing)?\b"
            r"|\btak(?:e|es|ing|en)\s+over\s+(?:the\s+)?coordinat",
            re.IGNORECASE,
        ),
    ),
    (
        "event",
        "",
        0.8,
        False,
        re.compile(
            r"\bsign(?:ed|s|ing)?\b(?:\s+\S+){0,5}?\s+(?:agreement|accord|treaty|memorandum|pact"
            r"|declaration)\b|\b(?:agreement|accord|treaty|memorandum|pact)\s+(?:was\s+|is\s+)?"
            r"signed\b|\b(?:approv(?:ed|es)|agreed\s+to\s+hold|conven(?:ed|es))\b(?:\s+\S+){0,6}?"
            r"\s+(?:meeting|summit|session)\b|\bcall(?:ed|s)\s+(?:for\s+)?(?:an?\s+)(?:\S+\s+){0,2}"
            r"(?:meeting|summit|session)\b|\b(?:summit|meeting)\s+(?:was\s+)?held\b",
            re.IGNORECASE,
        ),
    ),
    (
        "resumption",
        "",
        0.85,
        False,
        re.compile(_words(r"resum(?:e|es|ed|ing|ption)", r"restart(?:s|ed|ing)?"), re.I),
    ),
    (
        "pause",
        "",
        0.8,
        False,
        re.compile(
            _words(
                r"halt(?:s|ed|ing)?",
                r"paus(?:e|es|ed|ing)",
                r"suspen(?:d|ds|ded|ding|sion)",
                # Frozen aid, not frozen assets.
                r"fr(?:oze|ozen|eez(?:e|es|ing))(?=\s+(?:\S+\s+){0,3}?(?:aid|assistance"
                r"|deliveries|shipments|funding|support|requests))",
            ),
            re.I,
        ),
    ),
    (
        "allocation",
        "allocation",
        0.8,
        False,
        re.compile(
            _words(
                r"allocat(?:e|es|ed|ing)",
                r"earmark(?:s|ed|ing)?",
                r"set(?:s|ting)?\s+aside",
                r"ring-?fenc(?:e|es|ed|ing)",
                r"budget(?:ed|ing)",
            ),
            re.I,
        ),
    ),
    (
        "commitment",
        "commitment",
        0.8,
        False,
        re.compile(
            _words(
                r"commit(?:s|ted|ting)?",
                r"approv(?:e|es|ed|ing)",
                r"authori[sz](?:e|es|ed|ing)",
                r"sign(?:s|ed)",
                r"len(?:d|ds|t|ding)",
            ),
            re.I,
        ),
    ),
    (
        "pledge",
        "pledge",
        0.8,
        False,
        re.compile(_words(r"pledg(?:e|es|ed|ing)", r"promis(?:e|es|ed|ing)"), re.I),
    ),
    (
        "pledge",
        "pledge",
        0.6,
        True,
        re.compile(
            _words(
                r"announc(?:e|es|ed|ing)",
                r"secur(?:e|es|ed|ing)",
                r"unveil(?:s|ed|ing)?",
                r"offer(?:s|ed|ing)?",
                r"present(?:s|ed|ing)?",
            ),
            re.I,
        ),
    ),
    (
        "disbursement",
        "disbursement",
        0.75,
        True,
        re.compile(
            _words(
                r"deliver(?:s|ed|ing)?",
                r"disburs(?:e|es|ed|ing)",
                r"transferr(?:ed|ing)",
                r"transfers?",
                r"sen(?:d|ds|t|ding)",
                r"provid(?:e|es|ed|ing)",
                r"g(?:ave|ive|ives|iven|iving)",
                r"hand(?:s|ed|ing)?\s+over",
                r"ship(?:s|ped|ping)",
                r"suppl(?:y|ies|ied|ying)",
                r"pa(?:id|ys?|ying)\s+out",
            ),
            re.I,
        ),
    ),
]
# "Germany will deliver ...": a delivery promised is a pledge, not a delivery made.
FUTURE = re.compile(r"\b(?:will|is\s+to|are\s+to|plans?\s+to)\s+(?:\S+\s+)?$", re.I)
# A running total: "has sent over $40bn since February 2022", "... so far", "in total".
# "since" counts only after a perfect ("has sent ... since"): "its 19th package since
# the invasion" is no total.
RUNNING_TOTAL = re.compile(
    r"\bso\s+far\b|\bin\s+total\b|\bto\s+date\b|\baltogether\b|\bcumulative", re.I
)
PERFECT = re.compile(r"\b(?:has|have)\s+(?:\S+\s+)?$", re.I)


def is_running_total(sentence: str, trigger: Trigger) -> bool:
    after = sentence[trigger.end :]
    perfect_since = bool(PERFECT.search(sentence[: trigger.start])) and "since" in after.lower()
    return perfect_since or bool(RUNNING_TOTAL.search(after))


# What aid is: a promise, a delivery or a pause of something else is no fact for the ledger.
AID_WORDS = re.compile(
    r"\b(?:aid|assistance|support|fund(?:s|ing)?|package|weapons?|arms|shipments?|deliver(?:y|ies)"
    r"|ammunition|munitions|equipment|hardware|air\s+defen[cs]e|loans?|grants?|dollars?|euros?"
    r"|money|tranche|budget|amount|sum)\b",
    re.I,
)
# Goods whose delivery is a fact without a price: "handed over six howitzers to Ukraine".
# Not drones or missiles, which news more often reports launched at Ukraine.
GOODS = re.compile(
    r"\b(?:howitzers?|jets|aircraft|tanks|launchers|(?:air\s+defen[cs]e\s+)?systems?"
    r"|ammunition|munitions|shells|weapons|equipment|vehicles|generators|aid)\b",
    re.I,
)
# A package of sanctions is no aid.
NOT_AID = re.compile(r"\bsanctions?\b", re.I)
CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "military",
        re.compile(
            r"\b(?:weapons?|military|munitions|ammunition|arms|air\s+defen[cs]es?|artillery"
            r"|shells|tanks|hardware|missiles?)\b",
            re.I,
        ),
    ),
    (
        "humanitarian",
        re.compile(r"\b(?:humanitarian|food|shelters?|medical|medicines?|refugees)\b", re.I),
    ),
    (
        "financial",
        re.compile(
            r"\b(?:budget\s+support|loans?|grants?|macro-?financial|financial|budget)\b", re.I
        ),
    ),
]


def triggers(sentence: str) -> list[Trigger]:
    """Every stage word in ``sentence``, in order of position."""
    found: list[Trigger] = []
    for kind, stage, strength, needs_money, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            # "signed an agreement" is an event, not also a commitment: a word already
            # read by an earlier (more specific) pattern is not read again.
            if any(match.start() < t.end and t.start < match.end() for t in found):
                continue
            found.append(Trigger(kind, match.start(), match.end(), strength, stage, needs_money))
    return sorted(found, key=lambda trigger: trigger.start)


def is_future(sentence: str, trigger: Trigger) -> bool:
    return bool(FUTURE.search(sentence[: trigger.start]))


def category(text: str) -> str:
    for name, pattern in CATEGORIES:
        if pattern.search(text):
            return name
    return "unspecified"
