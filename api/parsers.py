"""JSON bodies as the ledger reads them.

- Numbers with a fraction or an exponent become ``Decimal``, never ``float``: an amount is
  kept digit for digit (``1234567890123.4567`` would be ``…4568`` as a float) or refused
  by its field, and ``1e400`` is a number a field can refuse, not infinity.
- Integers longer than any number a field takes stay ``Decimal`` too: ``int()`` refuses
  more than 4,300 digits, and the field, unlike the parser, can say which value is wrong.
- Nesting deeper than any input needs is refused before parsing (Python's parser would
  recurse until a RecursionError), naming the top-level field it is under.
- ``NaN`` and ``Infinity`` are not JSON and are refused, as DRF's parser refuses them.
"""

import json
import re
from decimal import Decimal
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import (  # type: ignore[attr-defined]  # the stubs lack it
    JSONParser,
    get_encoding,
)
from rest_framework.utils.json import strict_constant

# No input has more than three levels (a body, a list of ids or a map of identifiers).
MAX_DEPTH = 16
# More digits than any id (19) or amount (20) has.
LONGEST_INTEGER = 40
# What the depth check reads: strings (keys with their colon) and brackets; a bracket
# inside a string is not one.
TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[\[\]{}]', re.DOTALL)


class LedgerJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not valid {encoding}: {error}") from error
        refuse_deep_nesting(text)
        try:
            return json.loads(
                text, parse_float=Decimal, parse_int=integer, parse_constant=strict_constant
            )
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error


def integer(literal: str) -> int | Decimal:
    return int(literal) if len(literal.lstrip("-")) <= LONGEST_INTEGER else Decimal(literal)


def refuse_deep_nesting(text: str) -> None:
    """Raise a 400 naming the top-level field under which arrays and objects nest more
    than ``MAX_DEPTH`` levels deep (or a parse error if the body itself is the array)."""
    depth, field = 0, None
    for token in TOKENS.finditer(text):
        mark = token.group()
        if mark in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"Arrays and objects nest at most {MAX_DEPTH} levels deep."
                if field is None:
                    raise ParseError(message)
                raise ValidationError({field: [message]})
        elif mark in ("]", "}"):
            depth -= 1
        elif depth == 1 and mark.endswith(":"):
            field = key_of(mark)


def key_of(mark: str) -> str:
    """The key a ``"key":`` token names (its raw text if its escapes are broken)."""
    quoted = mark.rstrip(":").rstrip()
    try:
        return str(json.loads(quoted))
    except ValueError:
        return quoted[1:-1]
