"""Fetching a source's content safely: only http, https and local files, with timeouts
and a size limit, streamed to a temporary file while it is hashed (so a large file is
never held in memory, and the run records exactly what it read).

URLs whose host is a private, loopback or link-local address are refused unless
``INGEST_ALLOW_PRIVATE_ADDRESSES`` is set: content fetched from the internet names further
pages (FTS's ``nextLink``), and must not make a worker read the services beside it. Each
host is resolved once per connection, redirects included, and the connection goes to the
address that was checked (see ``_PinnedBackend``).
"""

import hashlib
import ipaddress
import shutil
import socket
import tempfile
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import httpcore
import httpx
from django.conf import settings

CHUNK = 1 << 16


class FetchError(Exception):
    """The content cannot be fetched; trying again will not help."""


class TransientFetchError(FetchError):
    """The content could not be fetched now (a timeout, a refused connection, a server
    error or a rate limit); a retry later may succeed."""


def _checked_addresses(host: str, port: int) -> list[str]:
    """The addresses of ``host``, resolved once; refused if any is not public (unless
    private addresses are allowed). The connection goes to one of these very addresses:
    letting the HTTP client resolve the name again would let a DNS answer that changed in
    between (DNS rebinding) send it to an address that was never checked."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise TransientFetchError(f"{host} cannot be resolved: {error}") from error
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not settings.INGEST_ALLOW_PRIVATE_ADDRESSES:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise FetchError(
                    f"{host} is on a private address ({address}); set "
                    "INGEST_ALLOW_PRIVATE_ADDRESSES to fetch from internal hosts."
                )
    return addresses


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens each connection (the first request's and every redirect's) to an address
    ``_checked_addresses`` resolved and checked. TLS still names the host: httpcore
    starts TLS on the stream with the URL's host as server name, so SNI and certificate
    verification are for the real name, and the Host header is the URL's."""

    def __init__(self) -> None:
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in _checked_addresses(host, port):
            try:
                return self._backend.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:  # try the host's next address
                failure = error
        raise failure or httpcore.ConnectError(f"{host} has no address.")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.NetworkStream:
        raise FetchError("Fetching does not use Unix sockets.")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport, its connection pool given the pinning network backend (httpx
    does not take a backend itself; ``_pool`` is what it sends requests through). Passing
    a transport also keeps httpx from using proxies from the environment, whose own
    resolving would escape the check."""

    def __init__(self) -> None:
        super().__init__()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), network_backend=_PinnedBackend()
        )


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version it sent (``ETag``, ``Last-Modified``):
    sent back on the next fetch, they let it answer 304 Not Modified, with no body."""

    etag: str = ""
    last_modified: str = ""

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def headers(self) -> dict[str, str]:
        headers = {"If-None-Match": self.etag} if self.etag else {}
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class FetchedDocument:
    url: str
    path: Path
    sha256: str
    size: int
    _opened: IO[bytes] | None = None
    # The server's validators for this version; ``not_modified`` when it answered 304 to
    # the validators given (the document is then empty: the caller has the content).
    validators: Validators = field(default_factory=Validators)
    not_modified: bool = False

    def open(self) -> IO[bytes]:
        self._opened = self.path.open("rb")
        return self._opened

    def share_read(self) -> float | None:
        """How much of the document the adapter has read so far, for progress bars."""
        if self._opened is None or self._opened.closed or not self.size:
            return None
        return min(self._opened.tell() / self.size, 1.0)


def check_location(location: str) -> None:
    """Refuse a location that is neither http(s), a file URL nor a path."""
    if not location.strip():
        raise FetchError("Give a URL or a path.")
    local_path(location)


def local_path(location: str) -> Path | None:
    """The file a location names (None for an http(s) URL); refuses other schemes."""
    try:
        parts = urlsplit(location)
    except ValueError as error:  # an unclosed "[" of an IPv6 host, say
        raise FetchError(f"{location} is not a URL: {error}.") from error
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise FetchError(f"{location}: file URLs must name a local file.")
        return Path(unquote(parts.path))
    if parts.scheme in ("http", "https"):
        return None
    if parts.scheme and len(parts.scheme) > 1:  # a one-letter scheme is a Windows drive
        raise FetchError(f"{location}: only http, https and file locations are fetched.")
    return Path(location)


class _HashingWriter:
    """Writes to ``file`` and feeds each digest the same bytes, so the content is hashed
    as it arrives rather than read back."""

    def __init__(self, file: IO[bytes], *digests: "hashlib._Hash") -> None:
        self.file = file
        self.digests = digests

    def write(self, chunk: bytes) -> int:
        for digest in self.digests:
            digest.update(chunk)
        return self.file.write(chunk)


class Fetcher:
    """Fetches documents into temporary files, which it deletes when closed; ``sha256``
    hashes everything fetched, in order (a run whose fetching fails records no hash)."""

    def __init__(self, *, max_bytes: int | None = None, timeout: float | None = None) -> None:
        self.max_bytes = max_bytes or settings.INGEST_MAX_BYTES
        self.timeout = timeout or settings.INGEST_FETCH_TIMEOUT
        self._hash = hashlib.sha256()
        self._stack = ExitStack()
        self._directory = Path(self._stack.enter_context(tempfile.TemporaryDirectory()))
        self._count = 0
        self._client: httpx.Client | None = None

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def fetch(self, location: str, *, validators: Validators | None = None) -> FetchedDocument:
        """The document at ``location``; with ``validators`` (an http(s) URL's, from an
        earlier fetch) the request is conditional, and a 304 answer gives an empty
        document marked ``not_modified``."""
        self._count += 1
        target = self._directory / f"document-{self._count}"
        local = local_path(location)
        digest = hashlib.sha256()
        answered: Validators | None = Validators()
        with target.open("wb") as file:
            out = _HashingWriter(file, digest, self._hash)
            if local is not None:
                self._copy_file(local, out)
            else:
                answered = self._download(location, out, validators or Validators())
        return FetchedDocument(
            url=location,
            path=target,
            sha256=digest.hexdigest(),
            size=target.stat().st_size,
            validators=(validators or Validators()) if answered is None else answered,
            not_modified=answered is None,
        )

    def _http(self) -> httpx.Client:
        """One client for all the fetcher's requests: a feed's hundred links then cost
        one TLS context (loading the CA bundle takes tens of milliseconds) and reuse
        their connections (each opened to an address that was checked)."""
        if self._client is None:
            self._client = self._stack.enter_context(
                httpx.Client(
                    timeout=self.timeout,
                    follow_redirects=True,
                    max_redirects=5,
                    transport=_PinnedTransport(),
                )
            )
        return self._client

    def _too_large(self, location: str) -> FetchError:
        return FetchError(f"{location} is larger than the limit of {self.max_bytes:,} bytes.")

    def _copy_file(self, path: Path, out: _HashingWriter) -> None:
        try:
            if not path.is_file():
                raise FetchError(f"{path} is not a file.")
            if path.stat().st_size > self.max_bytes:
                raise self._too_large(str(path))
            with path.open("rb") as source:
                shutil.copyfileobj(source, out, CHUNK)
        except OSError as error:
            raise FetchError(f"{path}: {error.strerror or error}") from error

    def _download(self, url: str, out: _HashingWriter, validators: Validators) -> Validators | None:
        """Stream ``url`` into ``out``: the answer's validators, None for 304 Not Modified."""
        try:
            with self._http().stream(
                "GET", url, headers={"User-Agent": "aidledger-ingest", **validators.headers()}
            ) as response:
                if response.url.scheme not in ("http", "https"):
                    raise FetchError(f"{url} redirected to {response.url}, which is not http(s).")
                if response.status_code in (408, 425, 429) or response.status_code >= 500:
                    raise TransientFetchError(f"{url} answered {response.status_code}.")
                if response.status_code >= 400:
                    raise FetchError(f"{url} answered {response.status_code}.")
                if response.status_code == 304 and validators:
                    return None
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(url)
                received = 0
                for chunk in response.iter_bytes(CHUNK):
                    received += len(chunk)
                    if received > self.max_bytes:
                        raise self._too_large(url)
                    out.write(chunk)
                return Validators(
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                )
        except httpx.InvalidURL as error:  # not an HTTPError
            raise FetchError(f"{url} is not a URL that can be fetched: {error}") from error
        except httpx.TooManyRedirects as error:
            raise FetchError(f"{url}: too many redirects.") from error
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise TransientFetchError(f"{url}: {error.__class__.__name__}: {error}") from error
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {error}") from error
