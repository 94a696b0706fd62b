"""Read the National Bank of Ukraine's official hryvnia rates from a file the operator
downloaded: the JSON of its API (``NBUStatService/v1/statdirectory/exchange?json``, a
list of objects with ``r030``, ``txt``, ``rate``, ``cc`` and ``exchangedate`` as
dd.mm.yyyy) or of its rate archive (which adds ``units`` and ``rate_per_unit``), or the
CSV export with the same columns.

Each line quotes hryvnias per unit of a foreign currency on the day the rate is in force.
The ledger keeps rates per euro, so the EUR line of each day is exactly the hryvnias per
euro it needs, taken as published; the other lines are read and checked but not kept
(other currencies convert through the ECB's euro rates).
"""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ledger.money import BASE_CURRENCY, RATE_DECIMAL_PLACES, RATE_MAX_DIGITS, is_currency_code

HRYVNIA = "UAH"


class UnreadableFile(ValueError):
    """The file as a whole is not an NBU export (no row of it can be trusted)."""


@dataclass
class NbuReading:
    """What a file gave: hryvnias per euro by day, and the lines refused with why."""

    uah_per_euro: dict[date, Decimal] = field(default_factory=dict)
    refused: list[tuple[int, str]] = field(default_factory=list)
    other_currency_lines: int = 0


def read_nbu_file(path: Path) -> NbuReading:
    text = _decoded(path.read_bytes())
    records = _json_records(text) if text.lstrip().startswith("[") else _csv_records(text)
    reading = NbuReading()
    for line, record in records:
        try:
            currency, day, rate = _parsed(record)
        except ValueError as error:
            reading.refused.append((line, str(error)))
            continue
        if currency != BASE_CURRENCY:
            reading.other_currency_lines += 1
            continue
        known = reading.uah_per_euro.setdefault(day, rate)
        if known != rate:
            reading.refused.append((line, f"EUR on {day:%d.%m.%Y} is {known} on an earlier line"))
    return reading


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")  # the NBU's older exports are in Windows Cyrillic


def _json_records(text: str) -> Iterator[tuple[int, Any]]:
    """Each element of the top-level list with the line it starts on."""
    decoder = json.JSONDecoder(parse_float=Decimal)
    position = _skip_space(text, 0) + 1  # past the "["
    position = _skip_space(text, position)
    if text[position : position + 1] == "]":
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise UnreadableFile(f"not JSON at line {error.lineno}: {error.msg}") from error
        yield text.count("\n", 0, position) + 1, value
        position = _skip_space(text, end)
        separator = text[position : position + 1]
        if separator == "]":
            return
        if separator != ",":
            line = text.count("\n", 0, position) + 1
            raise UnreadableFile(f"not JSON at line {line}: expected ',' or ']'")
        position = _skip_space(text, position + 1)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    first_line = text.partition("\n")[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
    missing = {"exchangedate", "cc"} - set(reader.fieldnames)
    if missing or not {"rate", "rate_per_unit"} & set(reader.fieldnames):
        raise UnreadableFile(
            "not an NBU CSV export: the header needs exchangedate, cc and rate "
            f"(found {', '.join(reader.fieldnames) or 'no header'})"
        )
    for row in reader:
        yield reader.line_num, row


def _parsed(record: Any) -> tuple[str, date, Decimal]:
    """(currency, day, hryvnias per unit) of one record, or ``ValueError`` saying why not."""
    if not isinstance(record, dict):
        raise ValueError("not an object with cc, rate and exchangedate")
    currency = str(record.get("cc") or "").strip().upper()
    if not is_currency_code(currency) or currency == HRYVNIA:
        raise ValueError(f"cc {record.get('cc')!r} is not a foreign ISO 4217 currency code")
    day = _day(record.get("exchangedate"))
    # The archive quotes some currencies per 10 or 100 units and gives the rate per unit.
    name = "rate_per_unit" if record.get("rate_per_unit") not in (None, "") else "rate"
    return currency, day, _rate(record.get(name), name=name)


def _day(value: Any) -> date:
    try:
        return datetime.strptime(str(value or "").strip(), "%d.%m.%Y").date()
    except ValueError:
        raise ValueError(f"exchangedate {value!r} is not a date as dd.mm.yyyy") from None


def _rate(value: Any, *, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"{name} {value!r} is not a number")
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Ukrainian spreadsheets write it
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{name} {value!r} is not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError(f"{name} {value!r} is not a positive number")
    exponent = int(rate.as_tuple().exponent)
    whole_digits = len(rate.as_tuple().digits) + exponent
    if -exponent > RATE_DECIMAL_PLACES or whole_digits > RATE_MAX_DIGITS - RATE_DECIMAL_PLACES:
        raise ValueError(f"{name} {value!r} has more digits than the ledger stores exactly")
    return rate
