"""Is the text English? The rules read English only; other text gets no candidates but a
reason the ingest records. A cheap test, no model: the share of common English words
among the words, and the share of Latin letters among the letters."""

import re

# Words every English news paragraph is full of, and other languages rarely write.
ENGLISH_STOPWORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "as",
        "by",
        "at",
        "from",
        "has",
        "have",
        "his",
        "her",
        "it",
        "its",
        "are",
        "were",
        "be",
        "been",
        "this",
        "which",
        "said",
        "will",
        "not",
        "or",
        "an",
        "but",
        "their",
        "they",
        "who",
    }
)
WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 20  # a headline or caption alone says too little either way
MIN_STOPWORD_SHARE = 0.12  # English prose runs at 0.3-0.5; French or German below 0.05
MIN_LATIN_SHARE = 0.7


def not_english_reason(text: str) -> str:
    """Why ``text`` is taken not to be English ("" when it is, or too short to tell)."""
    words = WORD.findall(text)
    if len(words) < MIN_WORDS:
        return ""
    letters = "".join(words)
    latin = sum(1 for char in letters if char.isascii()) / len(letters)
    if latin < MIN_LATIN_SHARE:
        return f"not English: {latin:.0%} of its letters are Latin"
    share = sum(1 for word in words if word.lower() in ENGLISH_STOPWORDS) / len(words)
    if share < MIN_STOPWORD_SHARE:
        return f"not English: {share:.0%} of its words are common English words"
    return ""
