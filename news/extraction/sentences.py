"""Sentences with their offsets in the article's text.

spaCy's sentencizer splits within a line (its tokenizer keeps "U.S." and "Jan. 3" whole);
a line break always ends a sentence, since extracted article text puts one paragraph (or
headline, caption, menu item) per line. Each sentence knows its paragraph (its line), so
a date can be taken from the sentences before it in the same paragraph and no further.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc

# spaCy ends a sentence after ". “" when a quotation opens the next one; the opening
# mark belongs to the sentence it opens.
OPENING_QUOTES = "\u201c\u2018\"'\u00ab"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # the line it is on: extracted text writes a paragraph per line


def sentences(doc: Doc) -> list[Sentence]:
    """The sentences of ``doc`` (made by a pipeline with a sentencizer), stripped of
    surrounding spaces, each a verbatim slice of ``doc.text``."""
    text = doc.text
    cuts = {0, len(text)}
    # The token attributes as one array: iterating doc.sents builds a Python object per
    # token, several times slower.
    for is_start, start in doc.to_array(["SENT_START", "IDX"]).tolist():
        if is_start != 1:
            continue
        while start > 0 and text[start - 1] in OPENING_QUOTES:
            start -= 1
        cuts.add(start)
    line_starts = [match.end() for match in re.finditer(r"\n", text)]
    cuts.update(line_starts)
    found = []
    bounds = sorted(cuts)
    for start, end in pairwise(bounds):
        piece = text[start:end]
        stripped = piece.strip()
        if not stripped:
            continue
        begin = start + len(piece) - len(piece.lstrip())
        paragraph = bisect_right(line_starts, begin)
        found.append(Sentence(begin, begin + len(stripped), stripped, paragraph))
    return found
