"""Names: the ledger's organizations and aliases, and every state by name, as one spaCy
pipeline (``blank("en")`` with an EntityRuler and a sentencizer).

States come from pycountry (with the short forms news uses: "the US", "Britain", capitals
standing for governments: "Washington", "Kyiv"), so names are found on an empty ledger
too; a ledger organization takes over every name it shares with them (the seed ledger's
"Pentagon" is the US Department of Defense, not the US). A run of capitalised words that
is no known name but nearly one ("Ukraine Recovery Conference" for "Ukraine Recovery
Conference 2025") matches through rapidfuzz, with its similarity as the name's score.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry
import spacy
from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc, Span

from ledger.selectors.organizations import GazetteerRow, gazetteer_rows, organizations_revision

# Names news gives states beside their ISO ones; a capital stands for its government.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "US": (
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "United States",
        "America",
        "Washington",
        "White House",
        "Pentagon",
    ),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "London"),
    "UA": ("Kyiv", "Kiev"),
    "RU": ("Russia", "Moscow", "Kremlin"),
    "DE": ("Berlin",),
    "FR": ("Paris",),
    "IT": ("Rome",),
    "ES": ("Madrid",),
    "PL": ("Warsaw",),
    "NL": ("The Netherlands", "the Netherlands", "Holland", "The Hague"),
    "BE": ("Brussels",),
    "SE": ("Stockholm",),
    "NO": ("Oslo",),
    "DK": ("Copenhagen",),
    "FI": ("Helsinki",),
    "EE": ("Tallinn",),
    "LV": ("Riga",),
    "LT": ("Vilnius",),
    "CZ": ("Czech Republic", "Czechia", "Prague"),
    "SK": ("Bratislava",),
    "HU": ("Budapest",),
    "RO": ("Bucharest",),
    "AT": ("Vienna",),
    "CA": ("Ottawa",),
    "AU": ("Canberra",),
    "TR": ("Turkey", "Ankara"),
    "JP": ("Tokyo",),
    "CN": ("China", "Beijing"),
    "KR": ("South Korea", "Seoul"),
    "KP": ("North Korea", "Pyongyang"),
}
# "British Prime Minister ...": a state's adjective names its government only before a
# title or the word government, so "British forces" or "Russian drones" name nobody.
DEMONYMS: dict[str, str] = {
    "American": "US",
    "British": "GB",
    "Ukrainian": "UA",
    "Russian": "RU",
    "German": "DE",
    "French": "FR",
    "Italian": "IT",
    "Polish": "PL",
    "Canadian": "CA",
    "Japanese": "JP",
    "Dutch": "NL",
    "Norwegian": "NO",
    "Swedish": "SE",
    "Danish": "DK",
    "Finnish": "FI",
    "Spanish": "ES",
    "Estonian": "EE",
    "Latvian": "LV",
    "Lithuanian": "LT",
    "Czech": "CZ",
    "Belgian": "BE",
    "Australian": "AU",
    "Turkish": "TR",
    "Romanian": "RO",
    "Greek": "GR",
}
TITLES = (
    "President",
    "Prime",
    "Chancellor",
    "Foreign",
    "Defense",
    "Defence",
    "government",
    "Minister",
    "Ministry",
    "Secretary",
    "officials",
    "authorities",
    "Parliament",
)
# Bodies every news reader knows, for an empty ledger.
MULTILATERALS: dict[str, tuple[str, ...]] = {
    "European Union": ("EU", "E.U.", "European Union"),
    "NATO": ("NATO", "North Atlantic Treaty Organization"),
    "International Monetary Fund": ("IMF", "International Monetary Fund"),
    "World Bank": ("World Bank",),
    "United Nations": ("UN", "U.N.", "United Nations"),
}
FUZZY_CUTOFF = 85  # rapidfuzz ratio, 0-100: "Conference" vs "Conference 2025" is 91
CONNECTORS = {"of", "and", "de"}  # inside a name: "Secretary of State", "Bosnia and ..."


@dataclass(frozen=True)
class Known:
    """Who a name stands for: a ledger organization (``organization_id``) or, on a ledger
    without it, a state or body known by name only."""

    organization_id: int | None
    canonical: str
    kind: str
    country_code: str = ""
    parent: "Known | None" = None


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    known: Known | None  # None: a capitalised name that matches nothing
    score: float = 1.0


# A capitalised word: not "U" of "U.S." (a name the ruler knows), but "Conference." at
# the end of a sentence.
_WORD = r"[A-Z][^\W\d_]*(?![\w.-]\w)"
# Spaces, not line breaks: a dateline ("Brussels") is not part of the next line's name.
RUNS = re.compile(rf"(?<![\w.-])(?:The +)?({_WORD}(?: +(?:(?:of|and|de) +)?{_WORD})+)")


@dataclass(frozen=True)
class Run:
    text: str
    start: int
    end: int


def capitalised_runs(text: str) -> list[Run]:
    """Runs of two or more capitalised words ("Ukraine Recovery Conference"), joined by
    "of" or "and", without a leading "The"."""
    return [Run(m.group(1), m.start(1), m.end(1)) for m in RUNS.finditer(text)]


class Gazetteer:
    def __init__(self, rows: Iterable[GazetteerRow]) -> None:
        self.known: dict[str, Known] = {}
        patterns: dict[str, str] = {}  # name as written -> key of ``self.known``
        for country in pycountry.countries:
            key = f"iso:{country.alpha_2}"
            name = getattr(country, "common_name", None) or country.name
            self.known[key] = Known(None, name, "state", country.alpha_2)
            for written in self._state_names(country.alpha_2):
                patterns[written] = key
        for name, written_forms in MULTILATERALS.items():
            self.known[f"body:{name}"] = Known(None, name, "multilateral")
            for written in written_forms:
                patterns[written] = f"body:{name}"
        self._add_ledger(list(rows), patterns)
        self.patterns = patterns
        self.nlp = self._pipeline(patterns)
        # Names of more than one word, by each of their words, for near misses.
        self.fuzzy_index: dict[str, list[str]] = {}
        for written in patterns:
            words = written.split()
            if len(words) > 1:
                for word in words:
                    if word.lower() not in CONNECTORS:
                        self.fuzzy_index.setdefault(word, []).append(written)

    @staticmethod
    def _state_names(code: str) -> set[str]:
        country = pycountry.countries.get(alpha_2=code)
        names = {*SHORT_FORMS.get(code, ())}
        if country is not None:
            names |= {country.name, getattr(country, "official_name", "") or country.name}
            names.add(getattr(country, "common_name", "") or country.name)
        return names

    def _add_ledger(self, rows: list[GazetteerRow], patterns: dict[str, str]) -> None:
        by_id = {row.organization_id: row for row in rows}

        def known(row: GazetteerRow) -> Known:
            parent = by_id.get(row.parent_id) if row.parent_id else None
            return Known(
                row.organization_id,
                row.name,
                row.kind,
                row.country_code,
                known(parent) if parent is not None and parent is not row else None,
            )

        for row in rows:
            key = f"org:{row.organization_id}"
            self.known[key] = known(row)
            names = {row.name, *row.aliases}
            if row.kind == "state" and row.country_code:
                names |= self._state_names(row.country_code)
            for written in names:
                patterns[written] = key
        # A ledger name wins over a state's short form it shares ("Pentagon" above),
        # whatever the order of the rows.
        for row in rows:
            for written in (row.name, *row.aliases):
                patterns[written] = f"org:{row.organization_id}"

    def _pipeline(self, patterns: dict[str, str]) -> Language:
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
        rules: list[dict] = [
            {"label": "NAME", "pattern": written, "id": key} for written, key in patterns.items()
        ]
        # Phrases, not token patterns: the phrase matcher is the fast one.
        rules += [
            {"label": "ADJ", "pattern": f"{adjective} {title}", "id": self._state_key(code)}
            for adjective, code in DEMONYMS.items()
            for title in TITLES
        ]
        ruler.add_patterns(rules)  # type: ignore[attr-defined]
        nlp.add_pipe("sentencizer")
        return nlp

    def _state_key(self, code: str) -> str:
        for key, known in self.known.items():
            if key.startswith("org:") and known.kind == "state" and known.country_code == code:
                return key
        return f"iso:{code}"

    def parse(self, text: str) -> Doc:
        return self.nlp(text)

    def names(self, doc: Doc) -> list[Mention]:
        """Every name in ``doc``, in order: known ones, near misses and unknown ones."""
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        runs = capitalised_runs(doc.text)
        for run in runs:
            near = self._near_miss(run)
            if near is not None:
                found.append(near)
                taken.append((run.start, run.end))
        for entity in doc.ents:
            if _overlaps(taken, entity.start_char, entity.end_char) or _first_name(entity):
                continue
            span = entity[:1] if entity.label_ == "ADJ" else entity
            found.append(
                Mention(span.text, span.start_char, span.end_char, self.known[entity.ent_id_])
            )
            taken.append((entity.start_char, entity.end_char))
        for run in runs:
            if not _overlaps(taken, run.start, run.end):
                found.append(Mention(run.text, run.start, run.end, None, 0.0))
        return sorted(found, key=lambda name: name.start)

    def _near_miss(self, run: Run) -> Mention | None:
        text = run.text
        if text in self.patterns:
            return None
        choices = {choice for word in text.split() for choice in self.fuzzy_index.get(word, ())}
        best: tuple[float, str] | None = None
        for choice in choices:
            score = fuzz.ratio(text, choice)
            if score >= FUZZY_CUTOFF and (best is None or score > best[0]):
                best = (score, choice)
        if best is None:
            return None
        known = self.known[self.patterns[best[1]]]
        return Mention(text, run.start, run.end, known, round(best[0] / 100, 2))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _first_name(entity: Span) -> bool:
    """A one-word name that begins a person's name ("Georgia Meloni") or another
    organisation's ("Ukraine Live Briefing"), but not before a title ("US President")."""
    if len(entity) > 1 or entity.end >= len(entity.doc):
        return False
    following = entity.doc[entity.end]
    return (
        following.is_alpha
        and following.text[:1].isupper()
        and following.text not in TITLES
        and following.ent_type == 0
    )


_built: tuple[tuple[int, ...], Gazetteer] | None = None


def current_gazetteer() -> Gazetteer:
    """The gazetteer of the ledger as it is now: built once per process, and again when an
    organization or alias is added, removed or renamed (a few aggregate queries tell)."""
    global _built
    revision = organizations_revision()
    if _built is None or _built[0] != revision:
        _built = (revision, Gazetteer(gazetteer_rows()))
    return _built[1]
