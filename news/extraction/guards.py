"""What a sentence says that is no fact: a denial, a condition, a wish, a demand, a question.

Each test looks at the clause around the stage word (between commas, quotation marks,
"but", ...), so a demand in another clause ("..., adding that NATO countries must focus
...") does not cancel the fact reported in this one.
"""

import re

CLAUSE_BREAK = re.compile(
    r"[,;:\u2014\u2013\u201c\u201d\"()]|\b(?:but|while|although|whereas|adding|saying)\b", re.I
)
NEGATION = re.compile(
    r"\b(?:not|never|no|neither|nor|without|refus\w*|declin\w*|denied|denies|reject\w*)\b|n['\u2019]t\b",
    re.I,
)
HYPOTHETICAL = re.compile(
    r"\b(?:would\s+(?:try|like|want|seek|consider)|could|might|(?-i:may)|consider\w*|hop(?:e|es|ed)\s+to"
    r"|wants?\s+to|seeks?\s+to|intends?\s+to|if|unless|whether|possible|possibly|potential\w*)\b",
    re.I,
)
DEMAND = re.compile(
    r"\b(?:we|you)\s+(?:need|must|should)\b|\b(?:must|should|ought\s+to|needs?\s+to)\b"
    r"|\burg(?:e|es|ed|ing)\b|\bcall(?:s|ed|ing)?\s+(?:on|for|upon)\b|\bask(?:s|ed|ing)?\b"
    r"|\bdemand(?:s|ed|ing)\b|\bappeal(?:s|ed|ing)?\s+(?:to|for)\b|\bpress(?:es|ed|ing)\b",
    re.I,
)
CONDITIONAL_START = re.compile(r"^\W*(?:if|unless|should|were)\b", re.I)


def clause(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of the clause holding ``sentence[start:end]``."""
    before = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, start)]
    after = CLAUSE_BREAK.search(sentence, end)
    return (before[-1] if before else 0, after.start() if after else len(sentence))


def why_not_a_fact(sentence: str, start: int, end: int) -> str:
    """Why the stage word at ``sentence[start:end]`` reports no fact ("" when it does)."""
    if sentence.rstrip("\u201d\u2019\"' ").endswith("?"):
        return "question"
    if CONDITIONAL_START.search(sentence):
        return "conditional"
    first, last = clause(sentence, start, end)
    before = sentence[first:start]
    whole = sentence[first:last]
    if NEGATION.search(before) or re.search(r"\bno\s+decision\b", whole, re.I):
        return "negation"
    if HYPOTHETICAL.search(before):
        return "hypothetical"
    if DEMAND.search(whole):
        return "demand"
    return ""
