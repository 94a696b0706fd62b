"""Fixtures for ingest tests: a real HTTP server on loopback that serves files."""

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


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
