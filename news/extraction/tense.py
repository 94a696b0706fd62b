"""Which way a date without a year or a direction points: "on Monday" is the Monday before
the publication in "they met on Monday" and the one after in "they will meet on Monday".

The verb nearest the date decides, within the date's clause if the clause has one ("On
Monday, the minister said that talks would resume": "said", so the Monday past; "the envoy,
who leaves on May 2, would stay": "would", so the May 2 to come), else within its
sentence; with no verb at all, the past, since news reports what happened. Present forms
count as future: news writes what is to come as "votes on Tuesday".
"""

import re

_FUTURE = {
    *("will", "won't", "shall", "would", "wouldn't", "upcoming", "starting"),
    *("is", "are", "isn't", "aren't", "does", "doesn't", "do", "don't"),
}
# These point ahead only before "to": "plans to", "going to".
_FUTURE_BEFORE_TO = {"going", "plan", "plans", "planning", "intend", "intends", "expects"}
_PAST = {
    *("was", "were", "wasn't", "weren't", "had", "hadn't", "did", "didn't", "ago"),
    *("said", "told", "met", "sent", "took", "gave", "made", "came", "went", "left", "began"),
    *("held", "spoke", "saw", "won", "lost", "struck", "fought", "brought", "led", "rose"),
    *("fell", "hit", "spent", "paid", "sold", "kept", "built", "drew", "flew", "shot"),
}
# Words in -ed that are no past tense.
_NOT_PAST = {
    *("hundred", "united", "limited", "indeed", "need", "speed", "seed", "feed", "proceed"),
    *("exceed", "succeed", "armed", "related", "based", "advanced", "red", "bed", "shed"),
}
# "will be pushed", "is planned": a participle after these is no past; the "will" or "is"
# before it counts.
_PASSIVE = {"be", "been", "being", "is", "are", "am"}
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][a-z]+)?")
_CLAUSE_END = re.compile(r"[,;:\"()\u201c\u201d\u2014]|[.!?](?:\s|$)|\n")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
# How far from the date a boundary is looked for: more than any sentence needs, so that a
# long article without punctuation costs no more than a sentence.
_REACH = 400


def _around(text: str, start: int, end: int, bounds: re.Pattern[str]) -> tuple[int, int]:
    low = max(0, start - _REACH)
    before = [m.end() for m in bounds.finditer(text, low, start)]
    after = bounds.search(text, end, end + _REACH)
    return (before[-1] if before else low, after.start() if after else min(len(text), end + _REACH))


def _cues(text: str, low: int, high: int) -> list[tuple[int, int, str]]:
    """Each word in ``text[low:high]`` that says past or future, with its offsets."""
    words = [
        (m.start(), m.end(), m[0].lower().replace("\u2019", "'"))
        for m in _WORD.finditer(text, low, high)
    ]
    cues = []
    for index, (start, end, word) in enumerate(words):
        following = words[index + 1][2] if index + 1 < len(words) else ""
        previous = words[index - 1][2] if index else ""
        if (
            word in _FUTURE
            or word.endswith("'ll")
            or (word in _FUTURE_BEFORE_TO and following == "to")
        ):
            cues.append((start, end, "future"))
        elif word in _PAST or (
            word.endswith("ed")
            and len(word) > 3
            and word not in _NOT_PAST
            and previous not in _PASSIVE
        ):
            cues.append((start, end, "past"))
    return cues


def tense_of(text: str, start: int, end: int) -> str:
    """Which way, "past" or "future", the words nearest ``text[start:end]`` point."""
    clause = _around(text, start, end, _CLAUSE_END)
    sentence = _around(text, start, end, _SENTENCE_END)
    for low, high in (clause, sentence) if sentence != clause else (clause,):
        cues = _cues(text, low, high)
        if cues:
            nearest = min(cues, key=lambda cue: start - cue[1] if cue[1] <= start else cue[0] - end)
            return nearest[2]
    return "past"
