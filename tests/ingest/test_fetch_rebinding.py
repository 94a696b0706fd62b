"""Fetching connects to the address it checked: a name that resolves to an accepted
address when checked and to another one right after (DNS rebinding) must not lead the
connection to the other one, on the first request or on a redirect.

Only loopback traffic: two real HTTP servers on 127.0.0.1 and 127.0.0.2 (same port), a
resolver that answers made-up names with one and then the other, and 127.0.0.1 standing
in for a public address (the only one the check accepts here)."""

import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ingest.fetch import Fetcher, FetchError

ACCEPTED, REBOUND = "127.0.0.1", "127.0.0.2"
real_getaddrinfo = socket.getaddrinfo


def _handler(body: bytes, redirect: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/start" and redirect:
                self.send_response(302)
                self.send_header("Location", redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class Servers:
    """One server on each address, on the same port; the accepted one redirects
    ``/start`` to ``redirect`` (set by the test)."""

    def __init__(self) -> None:
        self.redirect = ""
        self._servers: list[ThreadingHTTPServer] = []
        for _attempt in range(20):  # the port free on 127.0.0.1 may be taken on .2
            first = ThreadingHTTPServer((ACCEPTED, 0), self._handler(b"from the checked address"))
            self.port = first.server_address[1]
            try:
                second = ThreadingHTTPServer((REBOUND, self.port), self._handler(b"from ELSEWHERE"))
            except OSError:
                first.server_close()
                continue
            self._servers = [first, second]
            break
        for server in self._servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def _handler(self, body: bytes) -> Callable[..., BaseHTTPRequestHandler]:
        def make(*args: Any) -> BaseHTTPRequestHandler:
            return _handler(body, self.redirect)(*args)

        return make

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def servers() -> Iterator[Servers]:
    served = Servers()
    assert served._servers, "no port free on both 127.0.0.1 and 127.0.0.2"
    try:
        yield served
    finally:
        served.close()


@dataclass
class Resolver:
    """Answers made-up names from lists of addresses, one per lookup (the last one
    repeated), counting every lookup of them; other names go to the real resolver."""

    answers: dict[str, list[str]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)

    def getaddrinfo(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in self.answers:
            return real_getaddrinfo(host, port, *args, **kwargs)
        self.lookups.append(host)
        queue = self.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Resolver:
    """The made-up resolver in place of the system's; only 127.0.0.1 passes the check for
    a public address."""
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        ipaddress.IPv4Address, "is_global", property(lambda address: str(address) == ACCEPTED)
    )
    made_up = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", made_up.getaddrinfo)
    return made_up


def fetched(url: str) -> bytes:
    with Fetcher(timeout=5) as fetcher:
        return fetcher.fetch(url).path.read_bytes()


@pytest.mark.parametrize("allow_private", [False, True])
def test_the_connection_goes_to_the_address_that_was_checked(
    servers, resolver, settings, allow_private
):
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = allow_private
    resolver.answers["rebind.test"] = [ACCEPTED, REBOUND]

    body = fetched(f"http://rebind.test:{servers.port}/data")

    assert body == b"from the checked address"
    assert resolver.lookups == ["rebind.test"]  # resolved once, not again by httpx


def test_a_redirect_hop_connects_to_the_address_that_was_checked(servers, resolver):
    resolver.answers["origin.test"] = [ACCEPTED]
    resolver.answers["rebind.test"] = [ACCEPTED, REBOUND]
    servers.redirect = f"http://rebind.test:{servers.port}/data"

    body = fetched(f"http://origin.test:{servers.port}/start")

    assert body == b"from the checked address"
    assert resolver.lookups == ["origin.test", "rebind.test"]


def test_a_redirect_to_a_name_on_a_refused_address_is_refused(servers, resolver):
    resolver.answers["origin.test"] = [ACCEPTED]
    resolver.answers["inside.test"] = [REBOUND]
    servers.redirect = f"http://inside.test:{servers.port}/data"

    with pytest.raises(
        FetchError, match=r"inside\.test\S* is on a private address \(127\.0\.0\.2\)"
    ):
        fetched(f"http://origin.test:{servers.port}/start")


def _certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``name`` and its key, made by the openssl tool."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    certificate, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(key), "-out", str(certificate)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


@pytest.mark.parametrize("certified_name", ["rebind.test", "someone-else.test"])
def test_tls_still_names_and_verifies_the_host(tmp_path, resolver, monkeypatch, certified_name):
    """Connecting to the checked address does not connect to "an IP": the TLS handshake
    asks for the URL's host (SNI) and the certificate must be valid for that name."""
    certificate, key = _certificate(tmp_path, certified_name)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate))  # trust it, as a CA
    asked_for: list[str | None] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    context.sni_callback = lambda _socket, name, _context: asked_for.append(name)
    server = ThreadingHTTPServer((ACCEPTED, 0), _handler(b"over TLS", redirect=""))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    resolver.answers["rebind.test"] = [ACCEPTED, REBOUND]
    url = f"https://rebind.test:{server.server_address[1]}/data"
    try:
        if certified_name == "rebind.test":
            assert fetched(url) == b"over TLS"
        else:
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
                fetched(url)
    finally:
        server.shutdown()
        server.server_close()
    assert asked_for == ["rebind.test"]
