"""Fetching a source's content safely: only http, https and local files, with timeouts
and a size limit, streamed to a temporary file while it is hashed (so a large file is
never held in memory, and the run records exactly what it read).

URLs whose host is a private, loopback or link-local address are refused unless
``INGEST_ALLOW_PRIVATE_ADDRESSES`` is set: content fetched from the internet names further
pages (FTS's ``nextLink``), and must not make a worker read the services beside it.
"""

import hashlib
import ipaddress
import shutil
import socket
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

import httpx
from django.conf import settings

CHUNK = 1 << 16


class FetchError(Exception):
    """The content cannot be fetched; trying again will not help."""


class TransientFetchError(FetchError):
    """The content could not be fetched now (a timeout, a refused connection, a server
    error or a rate limit); a retry later may succeed."""


def _check_host(request: httpx.Request) -> None:
    """Refuse a request (the first or a redirect) to a host that is not public."""
    if settings.INGEST_ALLOW_PRIVATE_ADDRESSES:
        return
    host = request.url.host
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise TransientFetchError(f"{host} cannot be resolved: {error}") from error
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise FetchError(
                f"{request.url} is on a private address ({address}); set "
                "INGEST_ALLOW_PRIVATE_ADDRESSES to fetch from internal hosts."
            )


@dataclass
class FetchedDocument:
    url: str
    path: Path
    sha256: str
    size: int
    _opened: IO[bytes] | None = None

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
    _local_path(location)


def _local_path(location: str) -> Path | None:
    parts = urlsplit(location)
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

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def fetch(self, location: str) -> FetchedDocument:
        self._count += 1
        target = self._directory / f"document-{self._count}"
        local = _local_path(location)
        digest = hashlib.sha256()
        with target.open("wb") as file:
            out = _HashingWriter(file, digest, self._hash)
            if local is not None:
                self._copy_file(local, out)
            else:
                self._download(location, out)
        return FetchedDocument(
            url=location, path=target, sha256=digest.hexdigest(), size=target.stat().st_size
        )

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

    def _download(self, url: str, out: _HashingWriter) -> None:
        try:
            with (
                httpx.Client(
                    timeout=self.timeout,
                    follow_redirects=True,
                    max_redirects=5,
                    event_hooks={"request": [_check_host]},
                ) as client,
                client.stream("GET", url, headers={"User-Agent": "aidledger-ingest"}) as response,
            ):
                if response.url.scheme not in ("http", "https"):
                    raise FetchError(f"{url} redirected to {response.url}, which is not http(s).")
                if response.status_code in (408, 425, 429) or response.status_code >= 500:
                    raise TransientFetchError(f"{url} answered {response.status_code}.")
                if response.status_code >= 400:
                    raise FetchError(f"{url} answered {response.status_code}.")
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large(url)
                received = 0
                for chunk in response.iter_bytes(CHUNK):
                    received += len(chunk)
                    if received > self.max_bytes:
                        raise self._too_large(url)
                    out.write(chunk)
        except httpx.TooManyRedirects as error:
            raise FetchError(f"{url}: too many redirects.") from error
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise TransientFetchError(f"{url}: {error.__class__.__name__}: {error}") from error
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: {error}") from error
