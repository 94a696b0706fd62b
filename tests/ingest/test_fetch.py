"""Fetching is limited to http(s) and local files, bounded in size and time, and says
which failures are worth retrying; all against a real server on loopback."""

import hashlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.fetch import Fetcher, FetchError, TransientFetchError, check_location


def test_a_local_file_and_a_url_are_fetched_and_hashed(tmp_path, loopback_server):
    (loopback_server.root / "a.csv").write_bytes(b"hello")
    local = tmp_path / "b.csv"
    local.write_bytes(b"world")

    with Fetcher() as fetcher:
        remote = fetcher.fetch(loopback_server.url("a.csv"))
        from_path = fetcher.fetch(str(local))
        from_file_url = fetcher.fetch(local.as_uri())
        assert remote.open().read() == b"hello"
        assert from_path.open().read() == from_file_url.open().read() == b"world"
        assert remote.sha256 == hashlib.sha256(b"hello").hexdigest()
        # The run's hash covers everything fetched, in order.
        assert fetcher.sha256 == hashlib.sha256(b"helloworldworld").hexdigest()
        kept = remote.path
    assert not kept.exists()  # temporary copies go with the fetcher


@pytest.mark.parametrize(
    "location",
    ["ftp://example.org/data.xml", "gopher://example.org/", "data:text/plain,hi", "   "],
)
def test_other_schemes_are_refused(location):
    with pytest.raises(FetchError, match=r"only http, https and file|Give a URL"):
        check_location(location)
    with Fetcher() as fetcher, pytest.raises(FetchError):
        fetcher.fetch(location)


def test_a_file_url_on_another_host_is_refused():
    with Fetcher() as fetcher, pytest.raises(FetchError, match="local file"):
        fetcher.fetch("file://example.org/etc/passwd")


def test_content_over_the_size_limit_is_refused(tmp_path, loopback_server):
    (loopback_server.root / "big.xml").write_bytes(b"x" * 2048)
    local = tmp_path / "big.xml"
    local.write_bytes(b"x" * 2048)

    with Fetcher(max_bytes=1024) as fetcher:
        with pytest.raises(FetchError, match="larger than the limit of 1,024 bytes"):
            fetcher.fetch(loopback_server.url("big.xml"))
        with pytest.raises(FetchError, match="larger than the limit"):
            fetcher.fetch(str(local))


def test_server_errors_and_rate_limits_are_transient_client_errors_are_not(loopback_server):
    loopback_server.status = {"busy": 503, "slow-down": 429, "gone": 404, "no": 403}
    with Fetcher() as fetcher:
        for name in ("busy", "slow-down"):
            with pytest.raises(TransientFetchError, match="answered"):
                fetcher.fetch(loopback_server.url(name))
        for name in ("gone", "no"):
            with pytest.raises(FetchError, match="answered") as error:
                fetcher.fetch(loopback_server.url(name))
            assert not isinstance(error.value, TransientFetchError)


def test_a_missing_local_file_is_a_permanent_error(tmp_path):
    with Fetcher() as fetcher, pytest.raises(FetchError, match="is not a file") as error:
        fetcher.fetch(str(tmp_path / "absent.xml"))
    assert not isinstance(error.value, TransientFetchError)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A server on loopback that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_server_that_does_not_answer_times_out_as_a_transient_error(silent_server, settings):
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = True
    with Fetcher(timeout=0.5) as fetcher, pytest.raises(TransientFetchError, match="Timeout"):
        fetcher.fetch(f"http://127.0.0.1:{silent_server}/data.xml")


def test_a_refused_connection_is_transient(unused_tcp_port: int, settings):
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = True
    with Fetcher() as fetcher, pytest.raises(TransientFetchError):
        fetcher.fetch(f"http://127.0.0.1:{unused_tcp_port}/data.xml")


@pytest.fixture
def unused_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_fetched_documents_report_how_much_was_read(tmp_path: Path):
    path = tmp_path / "ten.txt"
    path.write_bytes(b"0123456789")
    with Fetcher() as fetcher:
        document = fetcher.fetch(str(path))
        assert document.share_read() is None
        stream = document.open()
        stream.read(4)
        assert document.share_read() == 0.4
        stream.close()


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "10.1.2.3", "169.254.169.254", "[::1]", "192.168.0.1"]
)
def test_private_addresses_are_refused_unless_allowed(host, settings):
    settings.INGEST_ALLOW_PRIVATE_ADDRESSES = False
    with Fetcher(timeout=0.5) as fetcher, pytest.raises(FetchError, match="private address"):
        fetcher.fetch(f"http://{host}/latest/meta-data/")


def test_every_redirect_is_checked_like_the_first_request(loopback_server, settings):
    (loopback_server.root / "data.csv").write_bytes(b"data")
    loopback_server.redirects["moved"] = loopback_server.url("data.csv")
    with Fetcher() as fetcher:
        assert fetcher.fetch(loopback_server.url("moved")).size == 4  # followed while allowed

        # Everything here is on loopback: withdraw the allowance as the server answers the
        # first request, and the redirect it answers with is refused.
        def withdraw(name: str) -> None:
            settings.INGEST_ALLOW_PRIVATE_ADDRESSES = False

        loopback_server.on_request = withdraw
        with pytest.raises(FetchError, match="private address"):
            fetcher.fetch(loopback_server.url("moved"))
    assert loopback_server.requests == ["moved", "data.csv", "moved"]
