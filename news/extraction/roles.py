"""Who gives, who receives, who else is named: roles of a sentence's names around its
stage word.

The donor is the name just before the stage word (over "has", "would", ...), else the
nearest known name before it that is not the recipient; the recipient is a name after
"to"/"for", else Ukraine wherever the sentence names it (the ledger's aid goes there).
"Kyiv secured $12 billion from participants" turns it round: the subject receives, and
"participants" of a conference are that conference. A person by title ("President
Biden") stands for the state the article names beside them ("U.S. Secretary of State
Antony Blinken"), or beside the one quoted in the sentence.
"""

import re
from dataclasses import dataclass

from news.extraction.gazetteer import Known, Mention

BETWEEN_SUBJECT_AND_VERB = re.compile(
    r"^(?:\s|\u2019s|'s|,)*(?:(?:has|have|had|will|would|is|are|was|were|be|been|also|already|now"
    r"|reportedly|formally|officially|just|recently|quickly|to|not|finally|jointly)\s+)*$",
    re.I,
)
RECIPIENT_MARK = re.compile(
    r"(?<!response )(?<!according )(?<!due )(?<!addition )(?<!compared )(?<!threat )"
    r"\b(?:to|for|into)\s+(?:the\s+)?$",
    re.I,
)
# The donor is in the stage word's own clause: in "an assault from Russia before leaders
# committed ...", Russia commits nothing.
DONOR_BARRIER = re.compile(
    r"\b(?:before|after|as|when|while|because|but|though|although|whereas|following)\b|[;\u201c\u201d]",
    re.I,
)
AGENT_MARK = re.compile(r"\b(?:from|by|held\s+by)\s+(?:the\s+)?$", re.I)
RECEIVING_VERB = re.compile(r"^(?:secur|receiv|obtain|gett|got)", re.I)
GENERIC_DONORS = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:participants|donors|partners|allies|attendees)\b", re.I
)
CONFERENCE_WORDS = re.compile(r"\b(?:Conference|Summit|Forum)\b")
TITLE = re.compile(
    r"^(?:President|Prime\s+Minister|Chancellor|Secretary|Minister|Foreign\s+Minister)\b"
)
SPEAKER = re.compile(r"\b([A-Z][a-z]+)\s+(?:said|added|told|says|wrote)\b|\bsaid\s+([A-Z][a-z]+)")
RECIPIENT_CODE = "UA"


@dataclass(frozen=True)
class Roles:
    donor: Mention | None
    recipient: Mention | None
    counterpart: Mention | None
    flags: tuple[str, ...] = ()


def is_recipient(name: Mention) -> bool:
    return (
        name.known is not None
        and name.known.country_code == RECIPIENT_CODE
        and (name.known.kind == "state")
    )


def assign(
    sentence: str,
    offset: int,
    trigger_start: int,
    trigger_end: int,
    names: list[Mention],
    article_names: list[Mention],
) -> Roles:
    """Roles of ``names`` (those in the sentence, with offsets in the article; the
    sentence starts at ``offset``) around the stage word at ``sentence[trigger_start:
    trigger_end]``."""
    before = [n for n in names if n.end - offset <= trigger_start]
    after = [n for n in names if n.start - offset >= trigger_end]
    flags: list[str] = []

    def marked(name: Mention, mark: re.Pattern[str]) -> bool:
        return bool(mark.search(sentence[max(0, name.start - offset - 20) : name.start - offset]))

    subject = _subject(sentence, offset, trigger_start, before)
    recipient = next((n for n in after if n.known and marked(n, RECIPIENT_MARK)), None)
    if RECEIVING_VERB.match(sentence[trigger_start:trigger_end]):
        donor = next((n for n in after if marked(n, AGENT_MARK)), None)
        if donor is None and GENERIC_DONORS.search(sentence[trigger_end:]):
            donor = _conference(article_names)
            flags.append("donor from context")
        return Roles(donor, subject or recipient, None, tuple(flags))
    if recipient is None:
        recipient = next((n for n in names if is_recipient(n)), None)
    donor = subject
    if donor is not None and donor.known is None and TITLE.match(donor.text):
        state = _persons_state(donor, sentence, article_names)
        if state is not None:
            donor = state
            flags.append("donor from context")
    if donor is None or (donor.known is not None and is_recipient(donor)):
        barriers = [m.end() for m in DONOR_BARRIER.finditer(sentence, 0, trigger_start)]
        own_clause = [n for n in before if n.start - offset >= (barriers[-1] if barriers else 0)]
        donor = next((n for n in reversed(own_clause) if n.known and not is_recipient(n)), None)
    if donor is None:
        donor = next((n for n in after if n.known and marked(n, AGENT_MARK)), None)
    counterpart = next(
        (n for n in after if n.known and n is not recipient and marked(n, AGENT_MARK)), None
    )
    return Roles(donor, recipient, counterpart, tuple(flags))


def _subject(
    sentence: str, offset: int, trigger_start: int, before: list[Mention]
) -> Mention | None:
    """The name right before the stage word, over auxiliaries: "the U.S. would resume"."""
    if not before:
        return None
    last = before[-1]
    gap = sentence[last.end - offset : trigger_start]
    return last if BETWEEN_SUBJECT_AND_VERB.match(gap) else None


def _conference(article_names: list[Mention]) -> Mention | None:
    for name in article_names:
        if (name.known is not None and name.known.kind == "conference") or (
            name.known is None and CONFERENCE_WORDS.search(name.text)
        ):
            return name
    return None


def _persons_state(person: Mention, sentence: str, article_names: list[Mention]) -> Mention | None:
    surnames = [person.text.split()[-1]]
    surnames += [s for match in SPEAKER.finditer(sentence) for s in match.groups() if s]
    for surname in surnames:
        for i, name in enumerate(article_names):
            if name.known is None and name.text.split()[-1] == surname and i > 0:
                state = article_names[i - 1]
                if state.known is not None and 0 <= name.start - state.end <= 1:
                    return Mention(person.text, person.start, person.end, state.known, state.score)
    return None


def donor_of(name: Mention) -> tuple[Known | None, Known | None]:
    """The donor a name stands for, and the body that acted for it: a government body's
    acts are its state's ("the Pentagon" paused the United States' aid)."""
    known = name.known
    if known is not None and known.kind == "government_body" and known.parent is not None:
        return known.parent, known
    return known, None
