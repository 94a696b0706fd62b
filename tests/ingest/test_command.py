"""``manage.py ingest`` runs the same code in the foreground, shows its progress and a
summary of the counts, and fails with a non-zero status when the run failed."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest.models import IngestRun, IngestSource, RunStatus
from ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

CSV = """\
donor,date,category,measure,amount,currency
Germany,2025-07-10,military,pledge,5,EUR
Germany,2025-07-11,military,teleported,5,EUR
"""


@pytest.fixture
def csv_file(tmp_path: Path) -> str:
    path = tmp_path / "pledges.csv"
    path.write_text(CSV)
    return str(path)


def ingest(*args: str) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


def test_a_file_is_ingested_with_a_summary_of_the_counts(csv_file, ukraine):
    output = ingest("--adapter", "csv", "--file", csv_file)

    run = IngestRun.objects.get()
    assert run.trigger == "command"
    assert f"Run {run.pk}: Partially succeeded" in output
    for name in ("seen", "created", "unchanged", "corrected", "rejected"):
        assert name in output
    assert "rejected line 3: teleported is not a measure" in output
    assert "100%" in output  # the progress bar ran to the end
    assert LedgerEntry.objects.count() == 1


def test_options_reach_the_adapter(tmp_path, ukraine):
    path = tmp_path / "no-donor.csv"
    path.write_text("date,category,measure,amount\n2025-07-10,military,pledge,5\n")

    ingest(
        "--adapter",
        "csv",
        "--file",
        str(path),
        "--option",
        "donor=Germany",
        "--option",
        "currency=EUR",
    )

    assert LedgerEntry.objects.get().commitment.donor.name == "Germany"


def test_a_failed_run_exits_non_zero(tmp_path, ukraine):
    with pytest.raises(CommandError, match="failed: Fetching failed") as error:
        ingest("--adapter", "csv", "--file", str(tmp_path / "absent.csv"))

    assert error.value.returncode == 1
    assert IngestRun.objects.get().status == RunStatus.FAILED


def test_a_configured_source_is_run_by_name(csv_file, ukraine):
    source = IngestSource.objects.create(name="German pledges", adapter="csv", location=csv_file)

    output = ingest("--source", "German pledges")

    run = IngestRun.objects.get()
    assert run.source == source
    assert f"Run {run.pk}" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "Nope"], r"No ingest source 'Nope' \(there are: none\)"),
        (["--file", "x.csv"], "--file needs --adapter"),
        (["--source", "S", "--adapter", "csv"], "--adapter and --option go with --file"),
        (["--adapter", "csv", "--file", "x.csv", "--option", "novalue"], "NAME=VALUE"),
    ],
)
def test_a_bad_command_line_is_explained(args, message):
    with pytest.raises(CommandError, match=message):
        ingest(*args)
    assert not IngestRun.objects.exists()
