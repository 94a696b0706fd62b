"""What an adapter is: something that turns fetched content into ledger records.

An adapter reads one document (and, through ``ReadContext.fetch``, any further pages it
links to) and yields, in document order, an ``IncomingEntry`` for each record it can map
or a ``Rejection`` saying why it cannot, and a ``PageEnd`` after each page if it is
paged. It writes nothing: the runner resolves the organizations and commitments the
records name and writes them through the services, so every adapter gets exactly-once
ingest and batching for free. A document it cannot read at all (hostile XML, not JSON)
raises ``ContentRefused``.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any, Protocol

from ledger.models import DatePrecision, OrganizationKind


class ContentRefused(Exception):
    """The whole document is refused (nothing of it is recorded); the message says why."""


@dataclass(frozen=True)
class OrganizationRef:
    """An organization as a record names it: by name, and perhaps by an identifier (an
    IATI organisation identifier or an ISO country code) that matches more surely."""

    name: str = ""
    identifier: str = ""
    kind: str = OrganizationKind.OTHER
    country_code: str = ""

    def __bool__(self) -> bool:
        return bool(self.name or self.identifier)


@dataclass(frozen=True)
class IncomingCommitment:
    """The commitment a record belongs to, identified in its own system (``scheme``,
    ``identifier``: e.g. iati and the activity's iati-identifier)."""

    scheme: str
    identifier: str
    title: str
    donor: OrganizationRef
    category: str
    announced_on: date
    announced_on_precision: str = DatePrecision.DAY
    recipient: OrganizationRef = field(default_factory=OrganizationRef)
    instrument: str = ""
    description: str = ""
    # IATI activity-status 6: deliveries suspended since that day (a pause).
    suspended_on: date | None = None


@dataclass(frozen=True)
class IncomingSource:
    """The document a record cites, where it names its own (a CSV row's source URL);
    otherwise the record cites the dataset it came from."""

    url: str = ""
    title: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class IncomingEntry:
    """One record that becomes one ledger entry.

    ``external_id`` is its stable identity across runs (its system's own id, or a hash of
    its content where it has none); ``position`` says where it is in the document.
    """

    external_id: str
    position: str
    raw: str
    commitment: IncomingCommitment
    stage: str
    amount: Decimal
    currency: str
    value_date: date
    value_date_precision: str = DatePrecision.DAY
    note: str = ""
    source: IncomingSource | None = None


@dataclass(frozen=True)
class Rejection:
    position: str
    raw: str
    reason: str


Record = IncomingEntry | Rejection


@dataclass(frozen=True)
class PageEnd:
    """Yielded by a paged adapter after the last record of a page: the runner commits the
    page's records then, so a later page that cannot be read leaves the earlier ones.

    ``next_url`` is the page that follows ("" if none); ``followed`` says whether the
    adapter goes on to read it (False: the paging ends here by the adapter's choice,
    e.g. a local file's link to the web that no option asked to follow)."""

    number: int
    next_url: str = ""
    followed: bool = False


@dataclass(frozen=True)
class IncomingArticle:
    """A news article as read (the news adapter's record): stored once, with the
    candidate updates found in its text, for review; nothing of it enters the ledger."""

    position: str
    raw: str
    text: str
    url: str = ""
    title: str = ""
    publisher: str = ""
    published_on: date | None = None
    date_found_by: str = ""
    language: str = ""


@dataclass(frozen=True)
class StoredLink:
    """A feed item whose article is stored already: not fetched again (unchanged)."""

    position: str
    url: str


Item = Record | PageEnd | IncomingArticle | StoredLink


@dataclass
class ReadContext:
    """What an adapter may use besides the document: its options (from the source) and
    ``fetch`` for a further page it links to, with the same safety limits."""

    options: Mapping[str, Any]
    location: str
    fetch: Callable[[str], "Document"]
    # The number of the first document's page: more than 1 when a run resumes the paging
    # where an earlier attempt stopped.
    first_page: int = 1
    # Whether a link's content is recorded already (the news adapter then skips it).
    known: Callable[[str], bool] = lambda url: False


class Document(Protocol):
    """A fetched document: a binary stream and where it came from."""

    url: str

    def open(self) -> IO[bytes]: ...


class Adapter(Protocol):
    name: str
    # Whether a document may lead to further ones (pages): then the first document alone
    # does not tell whether the content changed since an earlier run.
    paged: bool
    # Whether a run sends the validators (ETag, Last-Modified) of the last run that landed
    # the same location whole, so that an unchanged document costs one empty answer.
    conditional: bool

    def read(self, document: Document, context: ReadContext) -> Iterator[Item]: ...
