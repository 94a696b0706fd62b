"""Which language an article is in. The rules read English only: other text gets no
candidates, and the ingest records why. py3langid ships its model inside the package (no
download), classifies a page in about a millisecond and loads once per process."""

import re

import py3langid

WORD = re.compile(r"[^\W\d_]+")
# A headline or a caption alone says too little to judge; it passes as English.
MIN_WORDS = 12


def language_of(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is most probably in."""
    language, _ = py3langid.classify(text)
    return str(language)


def not_english_reason(text: str) -> str:
    """Why ``text`` is taken not to be English ("" when it is, or too short to tell)."""
    if len(WORD.findall(text)) < MIN_WORDS:
        return ""
    language = language_of(text)
    if language == "en":
        return ""
    return f"The text is in another language ({language}); the extractor reads English only."
