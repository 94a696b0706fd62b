"""Benchmark of the IATI ingest into PostgreSQL against COPY (a script, not a test).

It writes a synthetic IATI 2.03 activity file of ``--transactions`` transactions (100,000
by default) into a temporary directory, streamed (the file is never built in memory),
and on its own database (``aidledger_bench_ingest`` unless ``--database-url`` names
another; dropped and created afresh through the server's ``postgres`` database, dropped
again at the end unless ``--keep``) it times:

- the first ingest, ``ingest.runner.ingest_location("iati", path)``: every transaction is
  created (checked: the run succeeded and created exactly N entries);
- the same file ingested again, unchanged: every transaction is found unchanged
  (checked: unchanged == N, created == 0). The runner sees that the first run landed this
  very content whole and does not read it again (``IngestRun.same_as``), which is what
  operators' scheduled re-runs get;
- the same file ingested again with ``full=True`` (``manage.py ingest --full``): read,
  parsed and compared record by record with the ledger, all unchanged; printed and added
  to the JSON line as ``rerun_full_per_s``;
- the physical baseline: the same N transactions' values, from the same deterministic
  generator (not parsed again), COPYed with psycopg's ``write_row`` into a scratch table
  shaped like ``ledger_ledgerentry``'s data columns, with no trigger, index or constraint
  (the floor of writing these rows at all; the time includes making the rows in Python).

Entries per second are N over the wall time of each; ``ratio_to_copy`` is the first
run's rate over COPY's. It ends with one JSON line of the figures.

Memory: both ingests run in a child process (this script with ``--child``), which starts
Django and does nothing but the two runs; ``peak_mb`` is that child's peak resident set
(``getrusage(RUSAGE_SELF).ru_maxrss``), so it is the ingest's peak (with Django's own
~70 MB), not the generator's or COPY's. The child also prints its peak after the first run.

The file: activities of ``TRANSACTIONS_PER_ACTIVITY`` (20) transactions (the last one may
have fewer), each reported by one of 200 donors (``XM-BENCH-001`` ... with names "Bench
Donor 001" ..., government bodies, larger donors reporting more: weight 1/rank^0.9), who
is also its funding participating-org; recipient-country UA (100%), activity-status 2,
actual start (activity-date type 2) from 2022-02-24 to mid-2025, default-finance-type
110; each transaction with a ``ref`` (unique in the file), type 2, 3 or 12 (commitment,
disbursement, pledge; 35/50/15 %), a value in the donor's own currency (80%) or EUR or
USD dated from the activity's start to 2025-12-31, and a description. Seeded, so the
same N gives the same file. Ukraine is created first (the default recipient, and the
country UA names); the donors are created by the ingest itself, unverified.

Run from the project root::

    .venv/bin/python bench/ingest.py                            # 100,000 transactions
    .venv/bin/python bench/ingest.py --transactions 1000000     # the memory target; minutes
    .venv/bin/python bench/ingest.py --profile                  # cProfile of the first run
    .venv/bin/python bench/ingest.py --check                    # a small file vs the XSD

With ``--profile`` both runs are timed under cProfile (about twice as slow, so the figures
then say so) and their top functions are printed; ``--profile-out FILE`` keeps the stats
for pstats (the re-run's in ``FILE.rerun``). The machine has 2 cores: other work on it
slows every figure, so the load average is printed with them.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from benchdb import (
    ROOT,
    create_database,
    database_settings,
    drop_database,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aidledger_bench_ingest"
DEFAULT_TRANSACTIONS = 100_000
SEED = 20220224
SCHEMA = ROOT / "ingest" / "data" / "iati" / "schemas" / "iati-activities-schema.xsd"
CHECK_TRANSACTIONS = 75
CHILD_RESULT = "BENCH-CHILD-RESULT "
PROFILE_TOP = 15

DONORS = 200
TRANSACTIONS_PER_ACTIVITY = 20
FIRST_DAY = date(2022, 2, 24)
LAST_START = date(2025, 6, 30)
LAST_DAY = date(2025, 12, 31)
GENERATED = "2026-01-15T09:00:00Z"
# IATI transaction type: (weight, the ledger's stage for it).
TRANSACTION_TYPES = {"2": (35, "commitment"), "3": (50, "disbursement"), "12": (15, "pledge")}
# Currency: (weight as a donor's own currency, rough units per euro, to size amounts).
CURRENCIES = {
    "EUR": (40, 1),
    "USD": (14, 1),
    "GBP": (10, 1),
    "JPY": (6, 160),
    "PLN": (8, 4),
    "CAD": (5, 1),
    "SEK": (6, 11),
    "NOK": (5, 11),
    "CHF": (3, 1),
    "DKK": (3, 7),
}
HOME_CURRENCY_SHARE = 0.8

# The scratch table of the COPY baseline: ledger_ledgerentry's data columns, bare.
COPY_TABLE = "bench_copy_entries"
COPY_COLUMNS = (
    "idempotency_key",
    "commitment_id",
    "stage",
    "amount",
    "currency",
    "value_date",
    "value_date_precision",
    "source_id",
    "note",
    "recorded_by",
)
COPY_TABLE_SQL = f"""
CREATE TABLE {COPY_TABLE} (
    idempotency_key varchar(200) NOT NULL,
    commitment_id bigint NOT NULL,
    stage varchar(16) NOT NULL,
    amount numeric(20, 4) NOT NULL,
    currency varchar(3) NOT NULL,
    value_date date NOT NULL,
    value_date_precision varchar(8) NOT NULL,
    source_id bigint NOT NULL,
    note text NOT NULL,
    recorded_by varchar(150) NOT NULL
)
"""


# --- The database --------------------------------------------------------------------


def prepare_database(settings: dict[str, Any]) -> None:
    """A new, migrated database holding only Ukraine, the default recipient."""
    from django.core.management import call_command

    drop_database(settings)
    create_database(settings)
    call_command("migrate", verbosity=0)

    from ledger.services import create_organization

    create_organization(name="Ukraine", kind="state", country_code="UA")


# --- The IATI file -------------------------------------------------------------------


@dataclass(frozen=True)
class Transaction:
    ref: str
    type_code: str
    amount: str
    currency: str
    value_date: date
    note: str


@dataclass(frozen=True)
class Activity:
    number: int
    identifier: str
    donor: int  # 1-based rank
    start: date
    transactions: list[Transaction]


def donor_ref(donor: int) -> str:
    return f"XM-BENCH-{donor:03d}"


def activities(count: int) -> Iterator[Activity]:
    """The ``count`` transactions of the file, activity by activity; the same each time."""
    rng = random.Random(SEED)
    currency_names = list(CURRENCIES)
    home = rng.choices(currency_names, [w for w, _ in CURRENCIES.values()], k=DONORS)
    donor_weights = [1 / rank**0.9 for rank in range(1, DONORS + 1)]
    type_codes = list(TRANSACTION_TYPES)
    type_weights = [w for w, _ in TRANSACTION_TYPES.values()]
    span = (LAST_START - FIRST_DAY).days
    written = number = 0
    while written < count:
        number += 1
        donor = rng.choices(range(1, DONORS + 1), donor_weights)[0]
        identifier = f"{donor_ref(donor)}-A{number:07d}"
        start = FIRST_DAY + timedelta(days=rng.randint(0, span))
        days_left = (LAST_DAY - start).days
        transactions = []
        for m in range(1, min(TRANSACTIONS_PER_ACTIVITY, count - written) + 1):
            pick = rng.random()
            currency = (
                home[donor - 1]
                if pick < HOME_CURRENCY_SHARE
                else "EUR"
                if pick < (1 + HOME_CURRENCY_SHARE) / 2
                else "USD"
            )
            amount = min(rng.lognormvariate(13.8, 1.5), 1e10) * CURRENCIES[currency][1]
            transactions.append(
                Transaction(
                    ref=f"T{written + m:08d}",
                    type_code=rng.choices(type_codes, type_weights)[0],
                    amount=f"{max(amount, 1):.2f}",
                    currency=currency,
                    value_date=start + timedelta(days=rng.randint(0, days_left)),
                    note=f"Tranche {m} of activity {number}",
                )
            )
        written += len(transactions)
        yield Activity(number, identifier, donor, start, transactions)


def activity_xml(activity: Activity) -> str:
    ref = quoteattr(donor_ref(activity.donor))
    name = escape(f"Bench Donor {activity.donor:03d}")
    lines = [
        '  <iati-activity xml:lang="en" default-currency="EUR" '
        f'last-updated-datetime="{GENERATED}">',
        f"    <iati-identifier>{escape(activity.identifier)}</iati-identifier>",
        f'    <reporting-org ref={ref} type="10"><narrative>{name}</narrative></reporting-org>',
        f"    <title><narrative>Synthetic activity {activity.number}</narrative></title>",
        "    <description><narrative>Generated by bench/ingest.py.</narrative></description>",
        f'    <participating-org ref={ref} role="1" type="10">'
        f"<narrative>{name}</narrative></participating-org>",
        '    <activity-status code="2"/>',
        f'    <activity-date type="2" iso-date="{activity.start.isoformat()}"/>',
        '    <recipient-country code="UA" percentage="100"/>',
        '    <default-finance-type code="110"/>',
    ]
    for tx in activity.transactions:
        day = tx.value_date.isoformat()
        lines += [
            f'    <transaction ref="{tx.ref}">',
            f'      <transaction-type code="{tx.type_code}"/>',
            f'      <transaction-date iso-date="{day}"/>',
            f'      <value currency="{tx.currency}" value-date="{day}">{tx.amount}</value>',
            f"      <description><narrative>{escape(tx.note)}</narrative></description>",
            "    </transaction>",
        ]
    lines.append("  </iati-activity>\n")
    return "\n".join(lines)


def write_file(path: Path, count: int) -> None:
    """The IATI file of ``count`` transactions, written activity by activity."""
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<iati-activities version="2.03" generated-datetime="{GENERATED}">\n')
        for activity in activities(count):
            out.write(activity_xml(activity))
        out.write("</iati-activities>\n")


def check(count: int) -> None:
    """A small generated file is valid IATI 2.03 and maps to ``count`` entries."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as directory:
        path = Path(directory) / "check.xml"
        write_file(path, count)
        document = etree.parse(str(path))
        if not schema.validate(document):
            raise SystemExit(f"The generated file is not valid IATI 2.03:\n{schema.error_log}")
        found = len(document.findall("iati-activity/transaction"))
        if found != count:
            raise SystemExit(f"The generated file has {found} transactions, not {count}.")
        print(
            f"A generated file of {count} transactions in "
            f"{len(document.findall('iati-activity'))} activities ({path.stat().st_size:,} "
            f"bytes) is valid against {SCHEMA.relative_to(ROOT)}."
        )


# --- The measurements ----------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident set so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingest(
    path: Path, profile_out: str | None, label: str, *, full: bool = False
) -> tuple[Any, float]:
    """One run over the file and its seconds; under cProfile if ``profile_out``."""
    from ingest.runner import ingest_location

    if profile_out is None:
        started = time.perf_counter()
        run = ingest_location("iati", str(path), full=full)
        return run, time.perf_counter() - started

    import cProfile
    import pstats

    profiler = cProfile.Profile()
    started = time.perf_counter()
    run = profiler.runcall(ingest_location, "iati", str(path), full=full)
    seconds = time.perf_counter() - started
    profiler.dump_stats(profile_out)
    stats = pstats.Stats(profile_out)
    print(f"cProfile of the {label} ({profile_out}), top {PROFILE_TOP} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(PROFILE_TOP)
    print(f"... and top {PROFILE_TOP} by own time:")
    stats.sort_stats("tottime").print_stats(PROFILE_TOP)
    sys.stdout.flush()
    return run, seconds


def describe(run: Any) -> str:
    return (
        f"run {run.pk} {run.status}: seen {run.seen:,}, created {run.created:,}, "
        f"unchanged {run.unchanged:,}, corrected {run.corrected:,}, rejected {run.rejected:,}"
        + (f"; {run.error}" if run.error else "")
    )


def first_rejections(run: Any) -> str:
    return "\n".join(f"  {r.position}: {r.reason}" for r in run.rejections.order_by("id")[:5])


def child(path: Path, count: int, profile_out: str | None) -> None:
    """The two ingests, in this process alone; prints the figures as one marked line."""
    from ingest.models import RunStatus

    run, first = ingest(path, profile_out, "first run")
    first_peak = peak_mb()
    print(f"  first run  {first:8.1f} s  {count / first:10,.0f} entries/s  {describe(run)}")
    print(f"             peak RSS so far {first_peak:.0f} MB", flush=True)
    if run.status != RunStatus.SUCCEEDED or run.created != count:
        raise SystemExit(
            f"The first run did not create {count:,} entries.\n{first_rejections(run)}"
        )

    rerun, again = ingest(path, profile_out and f"{profile_out}.rerun", "re-run")
    print(f"  re-run     {again:8.1f} s  {count / again:10,.0f} entries/s  {describe(rerun)}")
    if rerun.status != RunStatus.SUCCEEDED or rerun.unchanged != count or rerun.created:
        raise SystemExit(f"The re-run did not find {count:,} entries unchanged.")
    reread, again_full = ingest(
        path, profile_out and f"{profile_out}.full", "full re-run", full=True
    )
    print(
        f"  full re-run {again_full:7.1f} s  {count / again_full:10,.0f} entries/s  "
        f"{describe(reread)}"
    )
    if reread.same_as_id or reread.unchanged != count or reread.created:
        raise SystemExit(f"The full re-run did not read {count:,} entries unchanged.")
    figures = {
        "first_s": first,
        "rerun_s": again,
        "rerun_full_s": again_full,
        "first_peak_mb": first_peak,
        "peak_mb": peak_mb(),
    }
    print(CHILD_RESULT + json.dumps(figures), flush=True)


def run_child(path: Path, count: int, url: str, profile_out: str | None) -> dict[str, float]:
    """Run the ingests in a fresh process; echo its output, return its figures."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    command += ["--transactions", str(count), "--database-url", url]
    if profile_out is not None:
        command += ["--profile-out", profile_out]
    from django.db import connections

    connections.close_all()
    figures: dict[str, float] | None = None
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(CHILD_RESULT):
                figures = json.loads(line[len(CHILD_RESULT) :])
            else:
                print(line, end="", flush=True)
    if process.returncode or figures is None:
        raise SystemExit(f"The ingest process failed (exit status {process.returncode}).")
    return figures


def copy_rows(count: int) -> Iterator[tuple[Any, ...]]:
    """The values the ingest writes for each transaction, from the generator."""
    stages = {code: stage for code, (_, stage) in TRANSACTION_TYPES.items()}
    for activity in activities(count):
        for tx in activity.transactions:
            yield (
                f"iati:{activity.identifier}:{tx.ref}",
                activity.number,
                stages[tx.type_code],
                Decimal(tx.amount),
                tx.currency,
                tx.value_date,
                "day",
                1,
                tx.note,
                "bench copy",
            )


def copy_baseline(count: int) -> float:
    """Seconds to COPY the ``count`` rows into the scratch table, committed."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        cursor.execute(COPY_TABLE_SQL)
    sql = f"COPY {COPY_TABLE} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in copy_rows(count):
            copy.write_row(row)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {COPY_TABLE}")
        (copied,) = cursor.fetchone()
    if copied != count:
        raise SystemExit(f"COPY wrote {copied:,} rows, not {count:,}.")
    return seconds


def benchmark(url: str, count: int, *, profile_out: str | None, keep: bool) -> dict[str, Any]:
    settings = database_settings(url)
    setup_django(url)
    prepare_database(settings)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as directory:
        path = Path(directory) / "activities.xml"
        started = time.perf_counter()
        write_file(path, count)
        print(
            f"Wrote {count:,} transactions ({path.stat().st_size / 1e6:,.0f} MB) in "
            f"{time.perf_counter() - started:.1f} s: {path}"
        )
        print("Ingesting it twice in a child process ...", flush=True)
        figures = run_child(path, count, url, profile_out)
    copy_seconds = copy_baseline(count)
    started = time.perf_counter()
    for _ in copy_rows(count):
        pass
    making = time.perf_counter() - started
    first_per_s = count / figures["first_s"]
    rerun_per_s = count / figures["rerun_s"]
    rerun_full_per_s = count / figures["rerun_full_s"]
    copy_per_s = count / copy_seconds
    print(f"  COPY       {copy_seconds:8.1f} s  {copy_per_s:10,.0f} entries/s  (scratch table)")
    print(f"             of which {making:.1f} s making the rows in Python")
    profiled = " (under cProfile)" if profile_out else ""
    print(f"  first run {first_per_s:,.0f} entries/s{profiled}: target at least 10,000")
    print(f"  re-run {rerun_per_s / first_per_s:.1f}x faster than the first: target at least 5x")
    print(
        f"  full re-run (--full: read and compared again) "
        f"{rerun_full_per_s / first_per_s:.1f}x faster than the first"
    )
    print(f"  ratio first run/COPY: {first_per_s / copy_per_s:.3f}")
    print(f"  peak RSS of the ingest process: {figures['peak_mb']:.0f} MB: target under 500 MB")
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  load average (1, 5, 15 min) {load} on {os.cpu_count()} cores: other work slows all")
    if not keep:
        drop_database(settings)
    return {
        "transactions": count,
        "first_per_s": round(first_per_s),
        "rerun_per_s": round(rerun_per_s),
        "copy_per_s": round(copy_per_s),
        "ratio_to_copy": round(first_per_s / copy_per_s, 3),
        "peak_mb": round(figures["peak_mb"], 1),
        "rerun_full_per_s": round(rerun_full_per_s),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--transactions", type=int, default=DEFAULT_TRANSACTIONS, help="transactions in the file"
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--check", action="store_true", help="validate a small generated file and stop"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile both runs")
    parser.add_argument("--profile-out", help="where to keep the profile (implies --profile)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.transactions < 1:
        parser.error("--transactions must be positive")
    if args.check:
        check(CHECK_TRANSACTIONS)
        return
    if args.child is not None:
        setup_django(args.database_url)
        child(args.child, args.transactions, args.profile_out)
        return
    profile_out = args.profile_out
    if args.profile and profile_out is None:
        profile_out = str(Path(tempfile.gettempdir()) / "bench-ingest.prof")
    figures = benchmark(
        args.database_url, args.transactions, profile_out=profile_out, keep=args.keep
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
