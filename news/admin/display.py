"""How the review queue shows what came from outside: every article's title, text and
URL is third-party input, so it is escaped here (never marked safe as it came), and a URL
becomes a link only when it is a plain web address."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ledger.formatting import format_amount, format_dated, web_url
from news.models import Candidate

# Longest evidence shown in a list cell; the candidate's page shows all of it.
EVIDENCE_IN_LIST = 160


def candidate_url(candidate: Candidate) -> str:
    return reverse("admin:news_candidate_change", args=[candidate.pk])


def web_link(url: str) -> SafeString:
    """``url`` as a link if it is an http(s) address, else as inert text."""
    if not url:
        return SafeString("—")
    if not web_url(url):
        return format_html("{}", url)
    return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', url, url)


def dated(day: date | None, precision: str) -> str:
    """A date as precise as its source: ``10 Jul 2025``, ``week of 30 Jun 2025``,
    ``Jul 2025``, ``2025``; empty ones say so rather than guess."""
    if day is None:
        return "no date given"
    return format_dated(day, precision)


def amount_of(candidate: Candidate) -> str:
    """``12,000,000,000 USD``; a range as ``1,000,000,000 to 2,000,000,000 EUR``; a qualifier
    in words before it (``over 40,000,000,000 USD``); no currency is said, not guessed."""
    if candidate.amount is None:
        return "—"
    number = format_amount(candidate.amount)
    if candidate.amount_upper is not None:
        number = f"{number} to {format_amount(candidate.amount_upper)}"
    words = {"at_least": "over ", "at_most": "up to ", "about": "about "}
    currency = candidate.currency or "(no currency)"
    return f"{words.get(candidate.qualifier, '')}{number} {currency}"


def who(name: str, organization: object | None) -> SafeString:
    """The matched organization, or the name as the text gives it, flagged unmatched."""
    if organization is not None:
        return format_html("{}", organization)
    if not name:
        return SafeString("—")
    return format_html('{} <span class="unmatched">unmatched</span>', name)


def evidence_cell(candidate: Candidate) -> SafeString:
    evidence = candidate.evidence
    if len(evidence) > EVIDENCE_IN_LIST:
        evidence = evidence[: EVIDENCE_IN_LIST - 1].rstrip() + "…"
    return format_html('<mark class="evidence">{}</mark>', evidence)


def _label(candidate: Candidate) -> SafeString:
    return format_html(
        '<a class="evidence-label kind-{}" href="{}">{}</a>',
        candidate.kind,
        candidate_url(candidate),
        candidate.get_kind_display(),
    )


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    candidates: tuple[Candidate, ...]


def _spans(text_length: int, offset: int, candidates: Iterable[Candidate]) -> list[_Span]:
    """The candidates' evidence spans within a text that starts at ``offset`` in the
    article, clipped to it, overlapping ones merged, in the text's order."""
    spans: list[_Span] = []
    for candidate in sorted(candidates, key=lambda c: (c.evidence_start, c.evidence_end)):
        start = max(candidate.evidence_start - offset, 0)
        end = min(candidate.evidence_end - offset, text_length)
        if start >= end:
            continue  # outside this text
        if spans and start < spans[-1].end:
            last = spans[-1]
            spans[-1] = _Span(last.start, max(last.end, end), (*last.candidates, candidate))
        else:
            spans.append(_Span(start, end, (candidate,)))
    return spans


def highlighted(text: str, candidates: Iterable[Candidate], *, offset: int = 0) -> SafeString:
    """``text`` escaped, each candidate's evidence in a ``<mark>`` preceded by its kind
    as a link to the candidate. ``offset`` is where ``text`` starts in the article (for a
    paragraph of it): evidence offsets count in the article's stored text."""
    parts: list[str] = []
    position = 0
    for span in _spans(len(text), offset, candidates):
        parts.append(escape(text[position : span.start]))
        parts.append(
            format_html(
                '<span class="evidence-labels">{}</span>'
                '<mark id="evidence-{}" data-candidates="{}">{}</mark>',
                format_html_join("", "{}", ((_label(c),) for c in span.candidates)),
                span.candidates[0].pk,
                " ".join(str(c.pk) for c in span.candidates),
                text[span.start : span.end],
            )
        )
        position = span.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece is escaped above


def paragraph_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (lines between blank lines or line breaks) holding
    ``text[start:end]``."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last == -1 else last


def moment(when: datetime) -> str:
    """A timestamp as the admin's list of decisions shows it, in UTC."""
    return when.astimezone(UTC).strftime("%-d %b %Y %H:%M UTC")
