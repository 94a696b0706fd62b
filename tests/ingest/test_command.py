"""``manage.py ingest`` runs the same code in the foreground, shows its progress and a
summary of the counts, and fails with a non-zero status when the run failed."""

import shutil
import socket
import subprocess
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ingest.models import IngestRun, IngestSource, RunStatus
from ledger.models import LedgerEntry
from tests import served
from tests.ingest.conftest import OPT_PAGES

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
        (
            ["--source", "S", "--adapter", "csv"],
            "--adapter, --option and --follow-next go with --file",
        ),
        (["--adapter", "csv", "--file", "x.csv", "--option", "novalue"], "NAME=VALUE"),
        (["--adapter", "csv", "--file", "x.csv", "--option", "donor=\udcff"], "lone surrogate"),
        (["--adapter", "csv", "--file", "pledges-\udcff.csv"], "lone surrogate"),
        (["--source", "S\udcff"], r"lone surrogate \(U\+DCFF\)"),
    ],
)
def test_a_bad_command_line_is_explained(args, message):
    with pytest.raises(CommandError, match=message):
        ingest(*args)
    assert not IngestRun.objects.exists()


# --- fetch errors: one line, no traceback --------------------------------------------------


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unresolvable(monkeypatch: pytest.MonkeyPatch) -> str:
    """A host name the resolver does not know (answered here, so no query leaves)."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "nowhere.test":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return "nowhere.test"


@pytest.mark.parametrize("problem", ["unresolvable host", "refused connection", "HTTP error"])
def test_a_fetch_error_fails_with_one_line(
    problem, unresolvable, closed_port, loopback_server, ukraine
):
    url, message = {
        "unresolvable host": (
            "http://nowhere.test/flows.json",
            "Fetching failed: nowhere.test cannot be resolved: "
            f"[Errno {socket.EAI_NONAME}] Name or service not known",
        ),
        "refused connection": (
            f"http://127.0.0.1:{closed_port}/flows.json",
            f"Fetching failed: http://127.0.0.1:{closed_port}/flows.json: ConnectError: "
            "[Errno 111] Connection refused",
        ),
        "HTTP error": (
            loopback_server.url("flows.json"),
            f"Fetching failed: {loopback_server.url('flows.json')} answered 404.",
        ),
    }[problem]

    with pytest.raises(CommandError) as error:
        ingest("--adapter", "fts", "--file", url)

    run = IngestRun.objects.get()
    assert str(error.value) == f"Run {run.pk} failed: {message}"
    assert error.value.returncode == 1
    assert run.status == RunStatus.FAILED


def test_the_command_line_prints_one_line_for_a_refused_connection(tmp_path, closed_port):
    """As an operator runs it: exit status 1 and one line on stderr, no traceback."""
    env = served.embedded_env(tmp_path) | {"INGEST_ALLOW_PRIVATE_ADDRESSES": "true"}
    manage = [str(served.BIN / "python"), str(served.PROJECT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)

    done = subprocess.run(
        [*manage, "ingest", "--adapter", "fts", "--file", f"http://127.0.0.1:{closed_port}/x"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"CommandError: Run 1 failed: Fetching failed: http://127.0.0.1:{closed_port}/x: "
        "ConnectError: [Errno 111] Connection refused"
    ]


def test_follow_next_follows_a_local_files_link_to_the_web(tmp_path, served_pages, ukraine):
    first = tmp_path / OPT_PAGES[0]
    shutil.copy(served_pages.root / OPT_PAGES[0], first)

    alone = ingest("--adapter", "fts", "--file", str(first))
    followed = ingest("--adapter", "fts", "--file", str(first), "--follow-next")

    assert (
        f"Stopped before page 2: its link {served_pages.url(OPT_PAGES[1])} was not followed"
        in " ".join(alone.split())
    )
    assert "Stopped before" not in followed
    first_run, second_run = IngestRun.objects.order_by("id")
    assert (first_run.seen, second_run.seen) == (200, 424)
    assert second_run.options == {"follow_next_link": True}
    assert served_pages.requests == OPT_PAGES[1:]
