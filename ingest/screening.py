"""Text the database cannot store: NUL characters and lone surrogates.

PostgreSQL's text refuses U+0000, and a lone surrogate (U+D800 to U+DFFF, which JSON's
``"\\ud800"`` escape produces) is not a character at all, so it cannot be encoded as
UTF-8 for any database. One such character in one record used to fail the whole batch,
while saving the very rejection that was to explain it. So a record carrying one is
rejected, naming the field and the character, and whatever is stored about a rejection
(position, raw content, reason) or a run's error has them written as escapes (``\\x00``,
``\\ud800``): the rest of the content lands.
"""

import dataclasses
import operator
import re
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ingest.adapters.base import IncomingArticle, IncomingEntry, Item, Rejection

# Any code point among the surrogates is a lone one: a Python string holds characters
# beyond the BMP whole, never as surrogate pairs.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
TextsGetter = Callable[[Any], tuple[str, ...]]
# Fields of a record that are never stored with its entry.
_NOT_STORED = {"raw", "position"}


def storable(text: str) -> str:
    """``text`` with each NUL and lone surrogate written as an escape (``\\x00``,
    ``\\udc80``), which every database stores."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(
        lambda match: (
            f"\\x{ord(match.group()):02x}"
            if match.group() == "\x00"
            else f"\\u{ord(match.group()):04x}"
        ),
        text,
    )


def unstorable_character(text: str) -> str:
    """What makes ``text`` unstorable, in words ("" if nothing does)."""
    match = _UNSTORABLE.search(text)
    if match is None:
        return ""
    if match.group() == "\x00":
        what = "a NUL character (U+0000)"
    else:
        what = f"a lone surrogate (U+{ord(match.group()):04X}), which is not a character"
    return f"{what} at offset {match.start()}"


def unstorable_in(value: object) -> str:
    """What makes a JSON value (its keys and strings, at any depth) unstorable ("" if
    nothing does): PostgreSQL's jsonb refuses ``\\u0000`` too."""
    if isinstance(value, str):
        return unstorable_character(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        return next((found for item in value if (found := unstorable_in(item))), "")
    return ""


def screened(items: Iterable[Item]) -> Iterator[Item]:
    """``items`` with each entry or article whose stored text holds an unstorable
    character turned into a rejection that names the field."""
    for item in items:
        if isinstance(item, IncomingEntry) and _UNSTORABLE.search(_stored_text(item)):
            yield Rejection(item.position, item.raw, _first_unstorable(item, ""))
        elif isinstance(item, IncomingArticle) and _UNSTORABLE.search(
            item.text + item.title + item.publisher + item.url
        ):
            yield Rejection(item.position, storable(item.raw), _first_unstorable(item, ""))
        else:
            yield item


def _text_paths(cls: type) -> list[str]:
    """The dotted paths of a record class's text fields, nested records' included."""
    paths = []
    for name, hint in typing.get_type_hints(cls).items():
        for kind in typing.get_args(hint) or (hint,):
            if kind is str:
                paths.append(name)
            elif isinstance(kind, type) and dataclasses.is_dataclass(kind):
                paths.extend(f"{name}.{path}" for path in _text_paths(kind))
    return paths


def _entry_text_getters() -> tuple[TextsGetter, dict[str, TextsGetter]]:
    """A getter of an entry's stored texts, and one for each optional part it may lack (a
    source of its own), each taking all their texts in one call."""
    always: list[str] = []
    optional: dict[str, TextsGetter] = {}
    for name, hint in typing.get_type_hints(IncomingEntry).items():
        kinds = typing.get_args(hint) or (hint,)
        part = next((k for k in kinds if isinstance(k, type) and dataclasses.is_dataclass(k)), None)
        if name in _NOT_STORED:
            continue
        if part is None:
            always.extend([name] if str in kinds else [])
        elif type(None) in kinds:
            optional[name] = _texts_getter(_text_paths(part))
        else:
            always.extend(f"{name}.{path}" for path in _text_paths(part))
    return _texts_getter(always), optional


def _texts_getter(paths: list[str]) -> TextsGetter:
    """The texts at ``paths``, in one call (``attrgetter`` returns a lone value bare)."""
    get: Callable[[Any], Any] = operator.attrgetter(*paths)
    return get if len(paths) > 1 else lambda value: (get(value),)


_ENTRY_TEXTS, _OPTIONAL_PART_TEXTS = _entry_text_getters()


def _stored_text(entry: IncomingEntry) -> str:
    """An entry's stored texts joined, so that one search tells whether any is unstorable
    (an entry has some twenty: searching them one by one would slow the whole ingest)."""
    texts = list(_ENTRY_TEXTS(entry))
    for name, getter in _OPTIONAL_PART_TEXTS.items():
        part = getattr(entry, name)
        if part is not None:
            texts.extend(getter(part))
    return "".join(texts)


def _first_unstorable(value: object, path: str) -> str:
    """The reason naming the first field of ``value`` whose text is unstorable."""
    if isinstance(value, str):
        found = unstorable_character(value)
        return f"The record's {path} contains {found}; the ledger cannot store it." if found else ""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if path == "" and field.name in _NOT_STORED:
                continue
            name = f"{path}.{field.name}" if path else field.name
            problem = _first_unstorable(getattr(value, field.name), name)
            if problem:
                return problem
    return ""
