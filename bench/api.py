"""Benchmark of the read API on a synthetic ledger in PostgreSQL (a script, not a test).

It fills its own database (``aidledger_bench`` unless ``--database-url`` names another)
with 200 donors, 5,000 commitments and ``--entries`` ledger entries (100,000 by default)
through COPY with the ledger's triggers on, loads the ECB rates, then times through
Django's test client:

- ``summary/?group_by=donor,category&currency=USD&as_of=2025-06-30``,
- a filtered ``entries/`` page (the largest donor's disbursements),
- a ``commitments/`` page with its figures in USD,

and the same summary as one hand-written SQL statement, whose rows are first checked
against the API's (so the baseline computes the same figures). It prints the medians and
90th percentiles, the ratio API/SQL, and ends with one JSON line of the figures.

Run from the project root::

    .venv/bin/python bench/api.py                      # 100,000 entries
    .venv/bin/python bench/api.py --entries 1000000    # the 1M targets; fills in minutes
    .venv/bin/python bench/api.py --refill             # drop and refill the database

A database that already holds the requested number of entries is reused as it is; one
holding another number is dropped and filled again.
"""

import argparse
import json
import math
import random
import statistics
import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from benchdb import (
    create_database,
    database_settings,
    drop_database,
    setup_django,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aidledger_bench"
DEFAULT_ENTRIES = 100_000
DEFAULT_RUNS = 15
WARMUP_RUNS = 2
SEED = 20220224

DONORS = 200
COMMITMENTS = 5_000
SOURCES = 100
FIRST_DAY = date(2022, 2, 24)
LAST_DAY = date(2025, 12, 31)
LAST_ANNOUNCEMENT = date(2025, 10, 31)
RATES_SINCE = "2022-01-01"
REVERSAL_SHARE = 0.01
# Rows per COPY statement: the insert trigger stamps recorded_at per statement.
COPY_BATCH = 1_000

AS_OF = date(2025, 6, 30)
CURRENCY = "USD"
PAGE_SIZE = 50
# Category: weight among commitments.
CATEGORIES = {"military": 40, "financial": 35, "humanitarian": 25}
INSTRUMENTS = ("grant", "loan", "in_kind", "")
# Stage: weight among entries.
STAGES = {"pledge": 18, "commitment": 30, "allocation": 14, "disbursement": 34, "cancellation": 4}
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
# Pauses: (donor rank, scope: a category, "" for all aid or "commitment", paused, resumed).
PAUSES = (
    (1, "military", date(2025, 3, 3), date(2025, 3, 12)),
    (1, "military", date(2025, 6, 2), None),
    (2, "", date(2024, 1, 15), date(2024, 4, 20)),
    (3, "financial", date(2025, 5, 1), date(2025, 9, 1)),
    (5, "", date(2025, 6, 10), None),
    (10, "humanitarian", date(2025, 7, 15), None),
    (4, "commitment", date(2024, 11, 4), None),
    (6, "commitment", date(2025, 2, 1), date(2025, 8, 1)),
    (7, "commitment", date(2023, 5, 5), date(2023, 9, 9)),
    (8, "commitment", date(2025, 1, 20), None),
    (12, "commitment", date(2025, 6, 30), None),
    (20, "commitment", date(2022, 8, 1), None),
)
MONEY = ("pledged", "committed", "allocated", "disbursed", "outstanding", "on_hold")
COUNTS = ("entry_count", "unconverted_entries")
GROUP_COLUMNS = ("donor", "donor_name", "category")

# The summary's first page and its count, as figures(group_by=["donor", "category"],
# as_of=..., currency=...) computes them, in one statement. Each entry converts exactly as
# the selector converts it (signed, times the target's rate, over the rate of its own
# currency, each of the value date or the nearest earlier day; the euro at 1), so the
# rounded sums are equal. But each rate is looked up once per distinct key (a Memoize
# over the lateral lookups) instead of once per entry and per measure, each entry is
# converted once and summed once per (commitment, stage), and the pauses are judged once
# per commitment.
SUMMARY_SQL = """
WITH per_stage AS (
    SELECT e.commitment_id,
           e.stage,
           sum(CASE
               WHEN e.currency = %(currency)s
                   THEN CASE WHEN e.reverses_id IS NULL THEN e.amount ELSE e.amount * -1 END
               ELSE CASE WHEN e.reverses_id IS NULL THEN e.amount ELSE e.amount * -1 END
                    * CASE WHEN %(currency)s = 'EUR' THEN 1 ELSE tgt.rate END
                    / CASE WHEN e.currency = 'EUR' THEN 1 ELSE src.rate END
           END) AS total,
           count(*) AS entry_count,
           count(*) FILTER (
               WHERE e.currency <> %(currency)s
                 AND ((%(currency)s <> 'EUR' AND tgt.rate IS NULL)
                      OR (e.currency <> 'EUR' AND src.rate IS NULL))
           ) AS unconverted
    FROM ledger_ledgerentry e
    LEFT JOIN LATERAL (
        SELECT r.rate FROM ledger_fxrate r
        WHERE r.currency = e.currency AND r.date <= e.value_date
        ORDER BY r.date DESC LIMIT 1
    ) src ON true
    LEFT JOIN LATERAL (
        SELECT r.rate FROM ledger_fxrate r
        WHERE r.currency = %(currency)s AND r.date <= e.value_date
        ORDER BY r.date DESC LIMIT 1
    ) tgt ON true
    WHERE e.value_date <= %(as_of)s
    GROUP BY e.commitment_id, e.stage
),
paused AS (
    SELECT DISTINCT c.id
    FROM ledger_commitment c
    JOIN ledger_pause z
      ON z.donor_id = c.donor_id
     AND (z.commitment_id = c.id OR (z.commitment_id IS NULL AND z.category IN ('', c.category)))
    WHERE z.paused_on <= %(as_of)s
      AND NOT (z.resumed_on IS NOT NULL AND z.resumed_on <= %(as_of)s)
),
sums AS (
    SELECT c.donor_id,
           c.category,
           coalesce(sum(p.total) FILTER (WHERE p.stage = 'pledge'), 0) AS pledge,
           coalesce(sum(p.total) FILTER (WHERE p.stage = 'commitment'), 0) AS commitment,
           coalesce(sum(p.total) FILTER (WHERE p.stage = 'allocation'), 0) AS allocation,
           coalesce(sum(p.total) FILTER (WHERE p.stage = 'disbursement'), 0) AS disbursement,
           coalesce(sum(p.total) FILTER (WHERE p.stage = 'cancellation'), 0) AS cancellation,
           coalesce(sum(p.total) FILTER (WHERE z.id IS NOT NULL AND p.stage = 'commitment'), 0)
               AS held,
           coalesce(sum(p.total) FILTER (WHERE z.id IS NOT NULL AND p.stage = 'cancellation'), 0)
               AS held_cancelled,
           coalesce(sum(p.total) FILTER (WHERE z.id IS NOT NULL AND p.stage = 'disbursement'), 0)
               AS held_disbursed,
           sum(p.entry_count) AS entry_count,
           sum(p.unconverted) AS unconverted
    FROM per_stage p
    JOIN ledger_commitment c ON c.id = p.commitment_id
    LEFT JOIN paused z ON z.id = p.commitment_id
    GROUP BY c.donor_id, c.category
)
SELECT s.donor_id AS donor,
       o.name AS donor_name,
       s.category,
       round(s.pledge, 2) AS pledged,
       round(s.commitment - s.cancellation, 2) AS committed,
       round(s.allocation, 2) AS allocated,
       round(s.disbursement, 2) AS disbursed,
       round(s.commitment - s.cancellation - s.disbursement, 2) AS outstanding,
       round(s.held - s.held_cancelled - s.held_disbursed, 2) AS on_hold,
       s.entry_count::bigint AS entry_count,
       s.unconverted::bigint AS unconverted_entries,
       count(*) OVER () AS group_count
FROM sums s
JOIN ledger_organization o ON o.id = s.donor_id
ORDER BY s.donor_id, o.name, s.category
LIMIT %(page_size)s
"""


# --- The database --------------------------------------------------------------------


def migrate_and_load_rates() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_fx_rates", f"--since={RATES_SINCE}")


def prepare_database(url: str, *, entries: int, refill: bool) -> None:
    """The bench database with ``entries`` entries: reused if it has them, else filled."""
    settings = database_settings(url)
    # A long run would meet the anonymous throttle (429); its cache lookups still run. The
    # test client speaks plain HTTP, which production settings redirect to HTTPS.
    setup_django(  # connects to nothing yet
        url, API_ANON_THROTTLE_RATE="1000000/minute", SECURE_SSL_REDIRECT="false"
    )
    if refill:
        drop_database(settings)
    create_database(settings)
    migrate_and_load_rates()

    from ledger.models import LedgerEntry

    present = LedgerEntry.objects.count()
    if present == entries:
        print(f"The database already holds {entries:,} entries: not filling it again.")
        return
    if present:
        print(f"The database holds {present:,} entries, not {entries:,}: filling it again.")
        drop_database(settings)
        create_database(settings)
        migrate_and_load_rates()
    started = time.perf_counter()
    fill(entries)
    print(f"Filled in {time.perf_counter() - started:.0f} s; analysing.")
    vacuum_analyze()


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# --- The synthetic ledger ------------------------------------------------------------


def copy_rows(table: str, columns: Iterable[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """COPY ``rows`` into ``table``, ``COPY_BATCH`` rows per statement."""
    from django.db import connection

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == COPY_BATCH:
                copy_batch(raw, sql, batch)
                batch = []
        if batch:
            copy_batch(raw, sql, batch)


def copy_batch(raw: Any, sql: str, batch: list[tuple[Any, ...]]) -> None:
    with raw.copy(sql) as copy:
        for row in batch:
            copy.write_row(row)


def insert_returning_ids(
    table: str, columns: Iterable[str], rows: list[tuple[Any, ...]]
) -> list[int]:
    """Multi-row INSERTs; the new ids in the order of ``rows``."""
    from django.db import connection

    columns = list(columns)
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), COPY_BATCH):
            chunk = rows[start : start + COPY_BATCH]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES {', '.join([placeholders] * len(chunk))} RETURNING id",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def make_sources() -> list[int]:
    return insert_returning_ids(
        "ledger_source",
        ["url", "publisher", "title", "published_on", "excerpt", "created_at"],
        [
            (
                f"https://example.org/bench/{i:03d}",
                "Bench Gazette",
                f"Synthetic source {i:03d}",
                FIRST_DAY + timedelta(days=i),
                f"Figure {i:03d}.",
                "now",
            )
            for i in range(SOURCES)
        ],
    )


def make_organizations() -> tuple[list[int], int]:
    """200 donor states ("Donor 001" the largest) with real country codes, and Ukraine."""
    import pycountry

    codes = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != "UA")[:DONORS]
    columns = ["name", "kind", "country_code", "iati_identifier", "is_verified", "created_at"]
    donors = insert_returning_ids(
        "ledger_organization",
        columns,
        [(f"Donor {i + 1:03d}", "state", code, "", True, "now") for i, code in enumerate(codes)],
    )
    (ukraine,) = insert_returning_ids(
        "ledger_organization", columns, [("Ukraine", "state", "UA", "", True, "now")]
    )
    return donors, ukraine


def make_commitments(
    rng: random.Random, donors: list[int], ukraine: int, sources: list[int]
) -> list[tuple[int, int, date]]:
    """5,000 commitments, every donor at least one, larger donors many; returns
    (id, donor, announced_on) each."""
    donor_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(donors))]
    categories, category_weights = list(CATEGORIES), list(CATEGORIES.values())
    rows = []
    for i in range(COMMITMENTS):
        donor = donors[i] if i < len(donors) else rng.choices(donors, donor_weights)[0]
        rows.append(
            (
                donor,
                ukraine,
                f"Synthetic package {i + 1:04d}",
                "",
                rng.choices(categories, category_weights)[0],
                rng.choice(INSTRUMENTS),
                day_between(rng, FIRST_DAY, LAST_ANNOUNCEMENT),
                rng.choice(sources),
                "now",
            )
        )
    ids = insert_returning_ids(
        "ledger_commitment",
        [
            "donor_id",
            "recipient_id",
            "title",
            "description",
            "category",
            "instrument",
            "announced_on",
            "source_id",
            "created_at",
        ],
        rows,
    )
    return [(pk, row[0], row[6]) for pk, row in zip(ids, rows, strict=True)]


def make_entries(
    rng: random.Random,
    count: int,
    commitments: list[tuple[int, int, date]],
    donors: list[int],
    sources: list[int],
) -> None:
    """``count`` entries, about 1% of them reversals, inserted with explicit ids: the
    originals in value-date order (as the ledger would learn of them), then the
    reversals, each mirroring its original."""
    currency_names = list(CURRENCIES)
    home = dict(
        zip(
            donors,
            rng.choices(currency_names, [w for w, _ in CURRENCIES.values()], k=len(donors)),
            strict=True,
        )
    )
    stages, stage_weights = list(STAGES), list(STAGES.values())
    weights = [rng.lognormvariate(0, 1) for _ in commitments]
    reversals = round(count * REVERSAL_SHARE)
    originals = []
    for commitment, donor, announced in rng.choices(commitments, weights, k=count - reversals):
        stage = rng.choices(stages, stage_weights)[0]
        pick = rng.random()
        currency = home[donor] if pick < 0.85 else "EUR" if pick < 0.95 else "USD"
        if stage == "pledge":
            value_date = min(announced + timedelta(days=rng.randint(0, 60)), LAST_DAY)
        else:
            value_date = day_between(rng, announced, LAST_DAY)
        amount = min(rng.lognormvariate(math.log(2e6), 1.6), 1e10) * CURRENCIES[currency][1]
        originals.append(
            (commitment, stage, f"{max(amount, 1):.2f}", currency, value_date, rng.choice(sources))
        )
    originals.sort(key=lambda row: row[4])
    columns = [
        "id",
        "commitment_id",
        "stage",
        "amount",
        "currency",
        "value_date",
        "source_id",
        "idempotency_key",
        "reverses_id",
        "note",
        "recorded_by",
    ]
    copy_rows(
        "ledger_ledgerentry",
        columns,
        (
            (pk, *row[:5], row[5], f"bench-{pk}", None, "", "bench")
            for pk, row in enumerate(originals, start=1)
        ),
    )
    reversed_ids = sorted(rng.sample(range(1, len(originals) + 1), reversals))
    copy_rows(
        "ledger_ledgerentry",
        columns,
        (
            (
                len(originals) + n,
                *originals[original - 1][:5],
                originals[original - 1][5],
                f"bench-reversal-{original}",
                original,
                "Entered twice.",
                "bench",
            )
            for n, original in enumerate(reversed_ids, start=1)
        ),
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('ledger_ledgerentry', 'id'), "
            "(SELECT max(id) FROM ledger_ledgerentry))"
        )


def make_pauses(
    rng: random.Random, commitments: list[tuple[int, int, date]], donors: list[int], source: int
) -> None:
    first_commitment: dict[int, int] = {}
    for pk, donor, _ in commitments:
        first_commitment.setdefault(donor, pk)
    rows = []
    for n, (rank, scope, paused_on, resumed_on) in enumerate(PAUSES, start=1):
        donor = donors[rank - 1]
        rows.append(
            (
                donor,
                first_commitment[donor] if scope == "commitment" else None,
                "" if scope == "commitment" else scope,
                "Synthetic pause",
                "",
                paused_on,
                source,
                resumed_on,
                source if resumed_on else None,
                f"bench-pause-{n}",
            )
        )
    insert_returning_ids(
        "ledger_pause",
        [
            "donor_id",
            "commitment_id",
            "category",
            "description",
            "reason",
            "paused_on",
            "source_id",
            "resumed_on",
            "resumption_source_id",
            "idempotency_key",
        ],
        rows,
    )


def fill(entries: int) -> None:
    """The synthetic ledger, in one transaction: an interrupted fill leaves none of it."""
    from django.db import transaction

    rng = random.Random(SEED)
    print(f"Filling {entries:,} entries, {COMMITMENTS:,} commitments, {DONORS} donors.")
    with transaction.atomic():
        sources = make_sources()
        donors, ukraine = make_organizations()
        commitments = make_commitments(rng, donors, ukraine, sources)
        make_pauses(rng, commitments, donors, sources[0])
        make_entries(rng, entries, commitments, donors, sources)


# --- The measurements ----------------------------------------------------------------


def sql_summary() -> list[dict[str, Any]]:
    """The first page of the summary, each row with the number of groups."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_SQL, {"currency": CURRENCY, "as_of": AS_OF, "page_size": PAGE_SIZE})
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def get_json(client: Any, url: str) -> dict[str, Any]:
    response = client.get(url, HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}: {response.content[:500]!r}")
    return response.json()


def check_sql_matches_api(client: Any, summary_url: str) -> int:
    """The hand-written SQL gives the API's first page, row for row, and its count."""
    page = get_json(client, summary_url)
    rows = sql_summary()
    api_rows = [
        {k: row[k] for k in GROUP_COLUMNS + COUNTS} | {k: Decimal(row[k]) for k in MONEY}
        for row in page["results"]
    ]
    sql_rows = [{k: row[k] for k in GROUP_COLUMNS + MONEY + COUNTS} for row in rows]
    for number, (api, sql) in enumerate(zip(api_rows, sql_rows, strict=False), start=1):
        if api != sql:
            raise SystemExit(f"Row {number} differs:\nAPI {api}\nSQL {sql}")
    if len(api_rows) != len(sql_rows) or not api_rows:
        raise SystemExit(f"The API's page has {len(api_rows)} rows, the SQL's {len(sql_rows)}.")
    if page["count"] != rows[0]["group_count"]:
        raise SystemExit(
            f"The API counts {page['count']} groups, the SQL {rows[0]['group_count']}."
        )
    return len(api_rows)


def time_runs(measurements: dict[str, Callable[[], Any]], runs: int) -> dict[str, list[float]]:
    """Milliseconds per run of each measurement, interleaved so that noise spreads evenly."""
    for _ in range(WARMUP_RUNS):
        for measure in measurements.values():
            measure()
    timings: dict[str, list[float]] = {name: [] for name in measurements}
    for _ in range(runs):
        for name, measure in measurements.items():
            started = time.perf_counter()
            measure()
            timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def benchmark(entries: int, runs: int) -> dict[str, Any]:
    from django.test import Client

    from ledger.models import Organization

    client = Client()
    summary_url = "/api/v1/summary/?" + urlencode(
        {
            "group_by": "donor,category",
            "currency": CURRENCY,
            "as_of": AS_OF.isoformat(),
            "page_size": PAGE_SIZE,
        }
    )
    donor = Organization.objects.get(name="Donor 001")
    entries_url = "/api/v1/entries/?" + urlencode(
        {"donor": donor.pk, "stage": "disbursement", "page_size": PAGE_SIZE}
    )
    commitments_url = "/api/v1/commitments/?" + urlencode(
        {"page_size": PAGE_SIZE, "currency": CURRENCY}
    )
    checked = check_sql_matches_api(client, summary_url)
    print(f"The hand-written SQL gives the API's rows ({checked} rows of the first page).")

    measurements: dict[str, Callable[[], Any]] = {
        "summary": lambda: get_json(client, summary_url),
        "sql": sql_summary,
        "entries_page": lambda: get_json(client, entries_url),
        "commitments_page": lambda: get_json(client, commitments_url),
    }
    labels = {
        "summary": f"GET {summary_url}",
        "sql": "the same summary, hand-written SQL",
        "entries_page": f"GET {entries_url}",
        "commitments_page": f"GET {commitments_url}",
    }
    print(f"Timing {runs} runs of each after {WARMUP_RUNS} warm-up runs ...")
    timings = time_runs(measurements, runs)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, values in timings.items():
        print(f"  median {medians[name]:9.1f} ms   p90 {p90(values):9.1f} ms   {labels[name]}")
    ratio = medians["summary"] / medians["sql"]
    print(f"  ratio summary API/SQL: {ratio:.2f}")
    return {
        "entries": entries,
        "summary_ms": round(medians["summary"], 1),
        "sql_ms": round(medians["sql"], 1),
        "ratio": round(ratio, 2),
        "entries_page_ms": round(medians["entries_page"], 1),
        "commitments_page_ms": round(medians["commitments_page"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=DEFAULT_ENTRIES, help="ledger entries")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs of each")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--refill", action="store_true", help="drop and refill the database")
    args = parser.parse_args()
    if args.entries < 1 or args.runs < 1:
        parser.error("--entries and --runs must be positive")
    prepare_database(args.database_url, entries=args.entries, refill=args.refill)
    figures = benchmark(args.entries, args.runs)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
