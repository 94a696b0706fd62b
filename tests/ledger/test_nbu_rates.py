"""``load_fx_rates --source nbu``: the NBU's official hryvnia rates from its JSON or CSV
export, each day's EUR line kept exactly as hryvnias per euro, bad lines named."""

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ledger.models import FxRate, Source
from tests.ledger.nbu_samples import (
    CSV_BAD_LINE,
    CSV_SAMPLE,
    JSON_BAD_LINE,
    JSON_SAMPLE,
    UAH_PER_EUR,
    load_nbu,
    write,
)

pytestmark = pytest.mark.django_db

SAMPLES = {"json": (JSON_SAMPLE, JSON_BAD_LINE), "csv": (CSV_SAMPLE, CSV_BAD_LINE)}


def stored_hryvnia_rates() -> dict[str, tuple[Decimal, str]]:
    return {
        rate.date.isoformat(): (rate.rate, rate.provider)
        for rate in FxRate.objects.filter(currency="UAH")
    }


@pytest.mark.parametrize("kind", SAMPLES)
def test_each_days_eur_line_becomes_hryvnias_per_euro(tmp_path: Path, kind: str) -> None:
    text, (bad_line, reason) = SAMPLES[kind]
    path = write(tmp_path, f"nbu.{kind}", text)
    out, err = StringIO(), StringIO()
    load_nbu(path, stdout=out, stderr=err)

    assert stored_hryvnia_rates() == {
        day: (Decimal(rate), "nbu") for day, rate in UAH_PER_EUR.items()
    }
    # Only the hryvnia is kept: other currencies convert through the ECB's euro rates.
    assert set(FxRate.objects.values_list("currency", flat=True)) == {"UAH"}
    (source,) = Source.objects.filter(fx_rates__isnull=False).distinct()
    assert source.publisher == "National Bank of Ukraine"
    assert err.getvalue().splitlines() == [f"nbu.{kind} line {bad_line}: {reason}"]
    assert "2 hryvnia-per-euro rates read" in out.getvalue()
    assert "2 new" in out.getvalue()
    assert "1 lines refused" in out.getvalue()


def test_a_second_load_writes_nothing(tmp_path: Path) -> None:
    json_file = write(tmp_path, "nbu.json", JSON_SAMPLE)
    load_nbu(json_file, stdout=StringIO(), stderr=StringIO())
    before = (
        list(FxRate.objects.values_list("id", "currency", "date", "rate", "provider", "source")),
        FxRate.history.count(),
        Source.objects.count(),
    )
    for path in (json_file, write(tmp_path, "nbu.csv", CSV_SAMPLE)):
        out = StringIO()
        load_nbu(path, stdout=out, stderr=StringIO())
        assert ", 0 new;" in out.getvalue()
    after = (
        list(FxRate.objects.values_list("id", "currency", "date", "rate", "provider", "source")),
        FxRate.history.count(),
        Source.objects.count(),
    )
    assert after == before


def test_since_leaves_out_earlier_days(tmp_path: Path) -> None:
    path = write(tmp_path, "nbu.json", JSON_SAMPLE)
    call_command(
        "load_fx_rates",
        "--source=nbu",
        f"--file={path}",
        "--since=2025-02-01",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    assert list(FxRate.objects.filter(currency="UAH").values_list("date", flat=True)) == [
        date(2025, 2, 3)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"cc": "USD", "rate": 41.9, "exchangedate": "06.01.2025"}]', "no usable EUR line"),
        ('[\n{"cc": "EUR", "rate": 41.9,\n "exchangedate": }\n]', "not JSON at line 3"),
        ("date;currency;value\n06.01.2025;EUR;43.6\n", "the header needs exchangedate, cc"),
        ("", "the header needs exchangedate, cc"),
    ],
)
def test_a_file_that_is_no_nbu_export_is_refused_whole(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "rates.txt", text)
    with pytest.raises(CommandError, match=message):
        load_nbu(path, stdout=StringIO(), stderr=StringIO())
    assert not FxRate.objects.exists()


def test_nbu_needs_a_file() -> None:
    with pytest.raises(CommandError, match="--source nbu needs --file"):
        call_command("load_fx_rates", "--source", "nbu")
    with pytest.raises(CommandError, match="does not exist"):
        load_nbu(Path("/nonexistent/nbu.json"))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('"cc":"EUR","rate":0,"exchangedate":"06.01.2025"', "rate 0 is not a positive number"),
        ('"cc":"EUR","rate":1.12345678901,"exchangedate":"06.01.2025"', "more digits"),
        ('"cc":"EUR","rate":true,"exchangedate":"06.01.2025"', "rate True is not a number"),
        ('"cc":"XXY","rate":1.5,"exchangedate":"06.01.2025"', "cc 'XXY' is not a foreign"),
        ('"cc":"EUR","rate":1.5,"exchangedate":"2025-01-06"', "is not a date as dd.mm.yyyy"),
        ('"cc":"EUR","rate":43.7,"exchangedate":"06.01.2025"', "EUR on 06.01.2025 is 43.6512"),
    ],
)
def test_each_bad_line_is_named_with_its_reason(tmp_path: Path, line: str, reason: str) -> None:
    good = '{"cc":"EUR","rate":43.6512,"exchangedate":"06.01.2025"}'
    path = write(tmp_path, "nbu.json", f"[\n{good},\n{{{line}}}\n]\n")
    err = StringIO()
    load_nbu(path, stdout=StringIO(), stderr=err)
    (message,) = err.getvalue().splitlines()
    assert message.startswith("nbu.json line 3: ")
    assert reason in message
    assert stored_hryvnia_rates() == {"2025-01-06": (Decimal("43.6512"), "nbu")}
