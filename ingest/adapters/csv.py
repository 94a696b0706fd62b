"""CSV files with columns close to the Kiel Institute's Ukraine Support Tracker.

One row is one amount at one stage of one commitment. Headers are matched leniently
(case, spaces, underscores and hyphens do not matter, and common synonyms are known);
columns in any order; UTF-8 (a BOM is fine), separated by commas, semicolons or tabs.

==================  =========================================================  ========
column              accepted headers                                           needed
==================  =========================================================  ========
donor               donor, donor country, country, countries                   yes [1]
announcement date   announcement date, announced on, announced, date           yes
aid category        aid category, category, type of aid general, aid type      yes
measure             measure, stage, status                                     yes
amount              amount, value, reported value, value in currency           yes
currency            currency, reported currency                                yes [1]
source URL          source url, source, url, link, source of information       no
explanation         explanation, description, item, comment                    no
id                  id, identifier, kiel id                                    no
recipient           recipient, recipient country                               no [1]
value date          value date, delivery date, date of delivery                no
==================  =========================================================  ========

[1] Or the source's options ``donor``, ``currency`` and ``recipient``; the recipient
    defaults to Ukraine.

Values: a measure is a stage (pledge, commitment, allocation, disbursement, cancellation;
also pledged, committed, allocated, delivered, delivery, disbursed, paid, cancelled); an
aid category is military, financial or humanitarian (or unspecified); an amount is a
positive decimal (thousands separated by commas, spaces or underscores are fine); dates
are ISO (2025-07-10, or 2025-07 and 2025 with that precision) or day first with dots
(10.07.2025).

Identity: a row with an ``id`` is the record ``csv:<id>`` (so an edited row is corrected)
and belongs to the commitment ``kiel:<id>``. A row without one is identified by a hash of
its values (and its occurrence, for identical rows), so an edited row is a new record; its
commitment is the one with the same donor, announcement date, category and explanation.
Each bad row is rejected with its line number; the others land.
"""

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from ingest.adapters.base import (
    Document,
    IncomingCommitment,
    IncomingEntry,
    IncomingSource,
    OrganizationRef,
    ReadContext,
    Record,
    Rejection,
)
from ledger.models import AidCategory, DatePrecision, IdentifierScheme, Stage

HEADERS = {
    "donor": ("donor", "donor country", "country", "countries"),
    "announced_on": ("announcement date", "announced on", "announced", "date"),
    "category": ("aid category", "category", "type of aid general", "aid type general", "aid type"),
    "measure": ("measure", "stage", "status"),
    "amount": ("amount", "value", "reported value", "value in currency"),
    "currency": ("currency", "reported currency"),
    "source_url": ("source url", "source", "url", "link", "source of information"),
    "explanation": ("explanation", "description", "item", "comment"),
    "id": ("id", "identifier", "kiel id"),
    "recipient": ("recipient", "recipient country"),
    "value_date": ("value date", "delivery date", "date of delivery"),
}
# Columns a file needs, unless an option supplies the value.
REQUIRED = ("donor", "announced_on", "category", "measure", "amount", "currency")
OPTION_DEFAULTS = ("donor", "currency", "recipient")

MEASURES = {
    **{stage: stage for stage in Stage.values},
    "pledged": Stage.PLEDGE,
    "committed": Stage.COMMITMENT,
    "allocated": Stage.ALLOCATION,
    "delivered": Stage.DISBURSEMENT,
    "delivery": Stage.DISBURSEMENT,
    "disbursed": Stage.DISBURSEMENT,
    "paid": Stage.DISBURSEMENT,
    "cancelled": Stage.CANCELLATION,
    "canceled": Stage.CANCELLATION,
}
CATEGORIES = {value: value for value in AidCategory.values}
_DAY_FIRST = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _normalized(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


def column_names(header: list[str]) -> dict[str, int]:
    """Which column holds which field; the first header that matches a field wins."""
    known = {_normalized(name): field for field, names in HEADERS.items() for name in names}
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        field = known.get(_normalized(name))
        if field and field not in columns:
            columns[field] = position
    return columns


def parse_date(text: str) -> tuple[date, str]:
    """A date and its precision; raises ValueError with a readable message."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), DatePrecision.YEAR
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return date.fromisoformat(f"{text}-01"), DatePrecision.MONTH
        day_first = _DAY_FIRST.match(text)
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            return date(year, month, day), DatePrecision.DAY
        return date.fromisoformat(text), DatePrecision.DAY
    except ValueError:
        pass
    raise ValueError(f"{text or '(empty)'} is not a date (use 2025-07-10, 2025-07 or 2025).")


def parse_amount(text: str) -> Decimal:
    cleaned = re.sub(r"[,_\s]", "", text)
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text or '(empty)'} is not an amount.") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"The amount must be a number greater than zero, not {text}.")
    return amount


class CsvAdapter:
    name = "csv"
    paged = False
    conditional = False

    def read(self, document: Document, context: ReadContext) -> Iterator[Record]:
        with document.open() as binary:
            text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
            try:
                yield from self._rows(text, context.options)
            except UnicodeDecodeError as error:
                yield Rejection("document", "", f"The file is not UTF-8 text: {error}.")

    def _rows(self, text: io.TextIOWrapper, options: Mapping[str, object]) -> Iterator[Record]:
        sample = text.read(8192)
        text.seek(0)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(text, dialect)
        header = next(reader, None)
        if header is None:
            return
        columns = column_names(header)
        missing = [
            field
            for field in REQUIRED
            if field not in columns and not (field in OPTION_DEFAULTS and options.get(field))
        ]
        if missing:
            yield Rejection(
                "line 1",
                ",".join(header),
                "Missing column(s): "
                + ", ".join(HEADERS[field][0] for field in missing)
                + f"; the header names {', '.join(header)}.",
            )
            return
        occurrences: Counter[str] = Counter()
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {
                field: row[position].strip() if position < len(row) else ""
                for field, position in columns.items()
            }
            for field in OPTION_DEFAULTS:
                if not values.get(field):
                    values[field] = str(options.get(field) or "")
            position = f"line {reader.line_num}"
            raw = _raw(row, dialect)
            try:
                yield self._entry(values, position=position, raw=raw, occurrences=occurrences)
            except ValueError as error:
                yield Rejection(position, raw, str(error))

    def _entry(
        self, values: dict[str, str], *, position: str, raw: str, occurrences: Counter[str]
    ) -> IncomingEntry:
        if not values["donor"]:
            raise ValueError("The donor is empty.")
        stage = MEASURES.get(values["measure"].lower())
        if stage is None:
            raise ValueError(
                f"{values['measure'] or '(empty)'} is not a measure; use one of "
                f"{', '.join(Stage.values)}."
            )
        category = CATEGORIES.get(values["category"].lower())
        if category is None:
            raise ValueError(
                f"{values['category'] or '(empty)'} is not an aid category; use one of "
                f"{', '.join(AidCategory.values)}."
            )
        announced_on, announced_precision = parse_date(values["announced_on"])
        value_date, value_precision = (
            parse_date(values["value_date"])
            if values.get("value_date")
            else (announced_on, announced_precision)
        )
        amount = parse_amount(values["amount"])
        currency = values["currency"].upper()
        explanation = values.get("explanation", "")
        donor = OrganizationRef(name=values["donor"])
        recipient = OrganizationRef(name=values["recipient"]) if values["recipient"] else None
        if values.get("id"):
            external_id = f"csv:{values['id']}"
            commitment_key = (IdentifierScheme.KIEL, values["id"])
        else:
            content = "\x1f".join(
                [
                    values["donor"],
                    values["announced_on"],
                    category,
                    stage,
                    str(amount),
                    currency,
                    values.get("value_date", ""),
                    explanation,
                    values["recipient"],
                ]
            )
            digest = hashlib.sha256(content.encode()).hexdigest()[:32]
            occurrences[digest] += 1
            external_id = f"csv:{digest}:{occurrences[digest]}"
            identity = "\x1f".join(
                [values["donor"], announced_on.isoformat(), category, explanation]
            )
            commitment_key = (
                IdentifierScheme.OTHER,
                "csv:" + hashlib.sha256(identity.encode()).hexdigest()[:32],
            )
        title = explanation or f"{category.capitalize()} aid announced {announced_on.isoformat()}"
        return IncomingEntry(
            external_id=external_id,
            position=position,
            raw=raw,
            commitment=IncomingCommitment(
                scheme=commitment_key[0],
                identifier=commitment_key[1],
                title=title,
                donor=donor,
                recipient=recipient or OrganizationRef(),
                category=category,
                announced_on=announced_on,
                announced_on_precision=announced_precision,
                description=explanation,
            ),
            stage=stage,
            amount=amount,
            currency=currency,
            value_date=value_date,
            value_date_precision=value_precision,
            note=explanation[:500],
            source=IncomingSource(url=values.get("source_url", "")),
        )


def _raw(row: list[str], dialect: type[csv.Dialect] | csv.Dialect) -> str:
    out = io.StringIO()
    csv.writer(out, dialect).writerow(row)
    return out.getvalue().rstrip("\r\n")


ADAPTER = CsvAdapter()
