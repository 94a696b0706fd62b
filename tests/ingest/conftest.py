"""Fixtures for ingest tests: a real HTTP server on loopback that serves files, the FTS
pages that link to each other, and the committed data that tests with real Celery workers
need."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

# The three oPt pages of the shared FTS fixtures, linked by meta.nextLink: 424 flows.
OPT_PAGES = [
    "custom-search-locationid-171-year-2020.json",
    "custom-search-locationid-171-year-2020-page-2.json",
    "custom-search-locationid-171-year-2020-page-3.json",
]
# Where the scraper's test harness pointed meta.nextLink (see SOURCES.md).
GITHUB_PREFIX = b"https://github.com/OCHA-DAP/hdx-scraper-fts/raw/main/tests/fixtures/input/"


@dataclass
class LoopbackServer:
    """Serves ``root`` over HTTP on 127.0.0.1; ``rewrite`` maps a file name to the bytes
    to answer instead (to point a fixture's links at this server), ``status`` to an HTTP
    status to answer with, ``redirects`` to a URL to redirect to; ``on_request`` is called
    with each file name asked for, and ``requests`` lists them."""

    root: Path
    port: int = 0
    rewrite: dict[str, Callable[[bytes], bytes]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    on_request: Callable[[str], None] | None = None
    requests: list[str] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


def _handler(server: LoopbackServer) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            name = self.path.lstrip("/").split("?")[0]
            server.requests.append(name)
            if server.on_request is not None:
                server.on_request(name)
            if name in server.status:
                self.send_error(server.status[name])
                return
            if name in server.redirects:
                self.send_response(302)
                self.send_header("Location", server.redirects[name])
                self.end_headers()
                return
            if name in server.rewrite:
                body = server.rewrite[name]((server.root / name).read_bytes())
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def loopback_server(tmp_path: Path, settings: Any) -> Iterator[LoopbackServer]:
    """A real HTTP server on loopback serving files from a fresh directory (fetching from
    private addresses allowed, as it is on loopback)."""
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = True
    root = tmp_path / "served"
    root.mkdir()
    server = LoopbackServer(root=root)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_handler(server), directory=str(root)))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def _reset_maintenance(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Set up before the database fixtures, so torn down after their flush: the session
    forgets the maintenance switch again, and the ledger refuses TRUNCATE as before."""
    yield
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("RESET aidledger.maintenance")


@pytest.fixture
def live_db(
    _reset_maintenance: None, transactional_db: None, django_db_serialized_rollback: None
) -> Iterator[None]:
    """Committed data, which the worker's processes see; the test's flush empties the
    append-only ledger tables, which it may only once the session declares maintenance
    (see ledger/migrations/sql/0003_refuse_emptying.postgresql.sql). Serialized rollback
    restores what the migrations created (the editor and viewer groups) for later tests."""
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET aidledger.maintenance = 'on'")


@pytest.fixture(scope="module")
def test_database(django_db_setup: None) -> str:
    return str(connection.settings_dict["NAME"])


@pytest.fixture
def fts_dir(shared_dir: Path) -> Path:
    return shared_dir / "fixtures" / "fts"


def copy_opt_pages(fts_dir: Path, folder: Path, links_to: str) -> list[Path]:
    """The three oPt pages in ``folder``, their nextLinks pointing under ``links_to``."""
    folder.mkdir(exist_ok=True)
    copies = []
    for name in OPT_PAGES:
        content = (fts_dir / name).read_bytes().replace(GITHUB_PREFIX, links_to.encode())
        (folder / name).write_bytes(content)
        copies.append(folder / name)
    return copies


@pytest.fixture
def served_pages(fts_dir: Path, loopback_server: LoopbackServer) -> LoopbackServer:
    """The oPt pages on the loopback server, linking on to it."""
    copy_opt_pages(fts_dir, loopback_server.root, loopback_server.url(""))
    return loopback_server
