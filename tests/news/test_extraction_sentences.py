"""Sentences with offsets: abbreviations do not end one, a line break always does, an
opening quotation mark belongs to the sentence it opens."""

import spacy

from news.extraction.sentences import sentences


def split(text: str) -> list[str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    found = sentences(nlp(text))
    assert all(text[s.start : s.end] == s.text for s in found)
    return [s.text for s in found]


def test_abbreviations_do_not_end_a_sentence() -> None:
    assert split("The U.S. sent aid on Jan. 3 to Kyiv. Mr. Smith agreed.") == [
        "The U.S. sent aid on Jan. 3 to Kyiv.",
        "Mr. Smith agreed.",
    ]


def test_an_opening_quote_belongs_to_its_sentence() -> None:
    assert split("NATO agreed. “We will help,” he said.") == [
        "NATO agreed.",
        "“We will help,” he said.",
    ]


def test_a_line_is_a_paragraph_and_ends_a_sentence() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "A headline without a stop\nFirst one. Second one.\n\n  Third one."
    found = sentences(nlp(text))
    assert [(s.text, s.paragraph) for s in found] == [
        ("A headline without a stop", 0),
        ("First one.", 1),
        ("Second one.", 1),
        ("Third one.", 3),
    ]
