"""IATI 2.03 activity XML: activities become commitments, transactions ledger entries.

Reading. The file is streamed (lxml ``iterparse``): each ``iati-activity`` is read when it
ends and then dropped, so memory stays flat however large the file. Entities are never
expanded and nothing is fetched. A document that declares a DTD (what billion-laughs and
external-entity attacks need) is refused before any record is yielded; so are malformed
XML (with lxml's message and line) and a root other than ``iati-activities``.

Checking. Each activity is validated against the IATI 2.03 activity schema; one that does
not match is rejected whole, with the schema's messages. The schema does not check codes,
so every code the mapping below reads is looked up in the IATI codelists (vendored with
the schema in ``ingest/data/iati``; see its NOTICE). An unknown activity-level code rejects
the activity; an unknown transaction-level code, the transaction. Codes the mapping does
not read (sectors, flow types, transaction finance types...) are not checked, since
nothing of them reaches the ledger. A rejected activity is one rejection, positioned
``/iati-activities/iati-activity[n] line L``, with its XML (up to 20,000 characters).

Activity -> commitment (scheme ``iati``, identified by ``iati-identifier``; an empty one
rejects the activity):
- title, description: the first narrative of ``title`` and of the first ``description``.
- donor: the first ``participating-org`` of role 1 (Funding) that names someone, else
  ``reporting-org``: first narrative as name, ``@ref`` as identifier, ``@type`` as kind:
  10, 11, 15 (government, local government, other public sector) -> government_body,
  because IATI publishers of these types are ministries and agencies, not the state
  itself; 21-24 (NGOs) -> ngo; 40 -> multilateral; 70-73 -> private; others -> other.
- recipient: the ``recipient-country`` of greatest ``@percentage`` (the first on a tie),
  as a state named as ISO 3166 names it. With none the runner uses the default recipient
  (Ukraine). Participating-org role 4 (Implementing) is not the recipient: it names who
  delivers the aid, not the country it is for. Transaction-level countries are not read.
- announced_on: ``activity-date`` type 2 (actual start), else type 1 (planned start),
  else the earliest value date of its transactions; with none usable the activity is
  rejected. (An activity without transactions records nothing, rejected or not, so
  ``last-updated-datetime`` is never needed as a fallback here.)
- category: humanitarian when the activity or any of its transactions says
  ``humanitarian`` true; else financial when ``default-aid-type`` (DAC vocabulary 1) is
  A01 or A02, budget support; else unspecified. Sectors are not read.
- instrument, from ``default-finance-type``: 110 -> grant; 410-414, 421, 431 (loans)
  -> loan; 1100 -> guarantee; else none. Transaction-level finance types are not read.
- ``activity-status`` 6 (suspended): the commitment is paused from the date of
  ``@last-updated-datetime`` (else the file's ``@generated-datetime``, else
  announced_on); the runner records the pause once.
- ``activity-status`` 5 (cancelled): after its transactions the activity yields, per
  currency, a cancellation of what its commitment transactions promised and its
  disbursement transactions did not deliver, when that is more than zero; identified
  ``iati:<activity>:cancelled:<currency>`` and dated ``activity-date`` type 4 (actual
  end), else the last-updated date, else its latest entry's value date.

Transaction -> entry:
- stage, from ``transaction-type``: 12 outgoing and 13 incoming pledge -> pledge; 2
  outgoing and 11 incoming commitment -> commitment; 3 disbursement and 4 expenditure ->
  disbursement. The other types (1 incoming funds, 5-10 interest, repayments, equity,
  credit guarantees) are rejected: they are not stages of aid the ledger keeps.
- amount: ``value``; zero or less is rejected (the ledger corrects by reversals it makes
  itself). currency: ``value/@currency``, else the activity's ``@default-currency``.
- value_date: ``value/@value-date`` (the schema requires it; ``transaction-date`` is when
  the transaction was booked, not the day its value is reckoned on).
- note: the first narrative of the transaction's ``description``.
- identity: ``iati:<activity>:<transaction @ref>``. Without a ref, a hash of its mapped
  fields and of how many identical ones came before it in the activity: a changed
  ref-less transaction is then a new record (and the old one stays), so only a ref lets a
  publisher correct a transaction.
- position: ``/iati-activities/iati-activity[n]/transaction[m] line L``; raw: its XML.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

import pycountry
from lxml import etree

from ingest.adapters.base import (
    ContentRefused,
    Document,
    IncomingCommitment,
    IncomingEntry,
    OrganizationRef,
    ReadContext,
    Record,
    Rejection,
)
from ledger.models import AidCategory, IdentifierScheme, Instrument, OrganizationKind, Stage

_DATA = Path(__file__).resolve().parent.parent / "data" / "iati"
_RAW_LIMIT = 20_000
_NOTE_LIMIT = 500
_SCHEMA_MESSAGES = 5
_TRUE = frozenset({"1", "true"})

_STAGES = {
    "12": Stage.PLEDGE,
    "13": Stage.PLEDGE,
    "2": Stage.COMMITMENT,
    "11": Stage.COMMITMENT,
    "3": Stage.DISBURSEMENT,
    "4": Stage.DISBURSEMENT,
}
_KINDS = {
    **dict.fromkeys(("10", "11", "15"), OrganizationKind.GOVERNMENT_BODY),
    **dict.fromkeys(("21", "22", "23", "24"), OrganizationKind.NGO),
    "40": OrganizationKind.MULTILATERAL,
    **dict.fromkeys(("70", "71", "72", "73"), OrganizationKind.PRIVATE),
}
_INSTRUMENTS = {
    "110": Instrument.GRANT,
    **dict.fromkeys(("410", "411", "412", "413", "414", "421", "431"), Instrument.LOAN),
    "1100": Instrument.GUARANTEE,
}
# A commitment adds to what a cancelled activity leaves undelivered; a disbursement takes away.
_UNDELIVERED_SIGN: dict[str, int] = {Stage.COMMITMENT: 1, Stage.DISBURSEMENT: -1}
_BUDGET_SUPPORT = frozenset({"A01", "A02"})
# (child element, attribute, codelist) of the activity-level codes the mapping reads,
# besides default-currency and default-aid-type.
_ACTIVITY_CODES = (
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("reporting-org", "type", "OrganisationType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("recipient-country", "code", "Country"),
    ("default-finance-type", "code", "FinanceType"),
)
_NUL_MESSAGE = re.compile(r"Char 0x0 out of allowed range|invalid xmlChar value 0\b")
_DTD_REFUSED = (
    "The document declares a DTD/entities; entity expansion and external entities are "
    "refused, so it is not read."
)


@cache
def _codelist(name: str) -> dict[str, str]:
    """The codes of a vendored IATI codelist, with their names; read once per process."""
    tree = etree.parse(str(_DATA / "codelists" / f"{name}.xml"))
    return {
        (item.findtext("code") or "").strip(): (item.findtext("name/narrative") or "").strip()
        for item in tree.iter("codelist-item")
    }


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(_DATA / "schemas" / "iati-activities-schema.xsd")))


class _Adapter:
    name = "iati"
    paged = False
    conditional = False

    def read(self, document: Document, context: ReadContext) -> Iterator[Record]:
        with document.open() as stream:
            for number, activity in _activities(stream):
                yield from _activity_records(activity, number)


ADAPTER = _Adapter()


def _activities(stream: IO[bytes]) -> Iterator[tuple[int, etree._Element]]:
    """Each ``iati-activity`` with its number, moved out of the document into a copy of
    the root element of its own (with the root's attributes: version, generated-datetime):
    the document then never holds more than one activity, and the activity is a document
    the schema can validate alone."""
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        tag=("iati-activities", "iati-activity"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    root: etree._Element | None = None
    number = 0
    try:
        for event, element in events:
            if root is None:
                root = _checked_root(element.getroottree())
            if event == "end" and element.tag == "iati-activity":
                number += 1
                alone = etree.Element(root.tag)
                alone.attrib.update(root.attrib)
                alone.append(element)
                del root[:]  # what was parsed before it: whitespace, comments
                yield number, element
        if root is None:  # no iati element at all: say why the file gave nothing
            _checked_root(events.root.getroottree())
    except etree.XMLSyntaxError as error:
        raise ContentRefused(_not_well_formed(error)) from error


def _not_well_formed(error: etree.XMLSyntaxError) -> str:
    """Why lxml refused the document, naming a NUL character (raw or ``&#0;``), which XML
    cannot carry, since libxml2's words for it ("Char 0x0 out of allowed range",
    "invalid xmlChar value 0") do not."""
    message = " ".join(str(error).split())  # libxml2's message may span lines
    if _NUL_MESSAGE.search(message):
        line, column = error.position
        return (
            "The document is not well-formed XML: it contains a NUL character (U+0000) at "
            f"line {line}, column {column}, which XML does not allow ({message})."
        )
    return f"The document is not well-formed XML: {message}"


def _checked_root(tree: etree._ElementTree) -> etree._Element:
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ContentRefused(_DTD_REFUSED)
    root = tree.getroot()
    if root.tag != "iati-activities":
        raise ContentRefused(
            f"The root element is <{root.tag}>, not <iati-activities>: "
            "this is not an IATI activity file."
        )
    return root


# An element's children by tag. Built in one pass because lxml's find() costs several
# microseconds a call, which in the per-transaction path would cost more than the parse.
_Children = dict[str, list[etree._Element]]


def _activity_records(activity: etree._Element, number: int) -> Iterator[Record]:
    path = f"/iati-activities/iati-activity[{number}]"
    position = f"{path} line {activity.sourceline}"
    children = _children(activity)
    root = activity.getparent()
    assert root is not None, "an activity comes in its own iati-activities element"
    problem = _activity_problem(activity, children, root)
    if problem:
        yield Rejection(position, _raw(activity)[:_RAW_LIMIT], problem)
        return
    transactions = children.get("transaction")
    if not transactions:
        return  # a commitment with no transaction has nothing for the ledger
    announced_on = (
        _activity_date(children, "2")
        or _activity_date(children, "1")
        or _earliest_value_date(transactions)
    )
    if announced_on is None:
        reason = "The activity has no start date and no transaction with a usable value date."
        yield Rejection(position, _raw(activity)[:_RAW_LIMIT], reason)
        return
    commitment = _commitment(activity, children, root, transactions, announced_on)
    default_currency = activity.get("default-currency", "")
    repeats: Counter[tuple[str, ...]] = Counter()
    entries: list[IncomingEntry] = []
    for m, tx in enumerate(transactions, 1):
        record = _transaction(tx, f"{path}/transaction[{m}]", commitment, default_currency, repeats)
        if isinstance(record, IncomingEntry):
            entries.append(record)
        yield record
    if entries and _code(children, "activity-status", "code") == "5":
        yield from _cancellations(activity, children, path, commitment, entries)


def _activity_problem(activity: etree._Element, children: _Children, root: etree._Element) -> str:
    """Why the whole activity is rejected (schema, empty identifier, unknown codes), or ""."""
    schema = _schema()
    if not schema.validate(root):
        messages = "; ".join(
            f"line {error.line}: {error.message}"
            for error in islice(cast("Iterable[Any]", schema.error_log), _SCHEMA_MESSAGES)
        )
        return f"The activity does not match the IATI 2.03 schema: {messages}"
    problems = [] if _identifier(children) else ["its iati-identifier is empty"]
    currency = activity.get("default-currency")
    if currency is not None and currency not in _codelist("Currency"):
        problems.append(_unknown("default-currency", currency, "Currency"))
    for tag, attribute, name in _ACTIVITY_CODES:
        for element in children.get(tag, ()):
            code = element.get(attribute)
            if code is not None and code not in _codelist(name):
                problems.append(_unknown(f"{tag}/@{attribute}", code, name))
    for aid_type in children.get("default-aid-type", ()):
        code = aid_type.get("code", "")
        if aid_type.get("vocabulary", "1") == "1" and code not in _codelist("AidType"):
            problems.append(_unknown("default-aid-type/@code", code, "AidType"))
    if not problems:
        return ""
    return f"The activity is rejected: {'; '.join(dict.fromkeys(problems))}."


def _transaction(
    tx: etree._Element,
    path: str,
    commitment: IncomingCommitment,
    default_currency: str,
    repeats: Counter[tuple[str, ...]],
) -> IncomingEntry | Rejection:
    type_code = note = ""
    value = None
    for child in tx:
        tag = child.tag
        if tag == "transaction-type":
            type_code = child.get("code", "")
        elif tag == "value":
            value = child
        elif tag == "description":
            note = _narrative(child)[:_NOTE_LIMIT]
    position = f"{path} line {tx.sourceline}"
    raw = _raw(tx)
    types = _codelist("TransactionType")
    if type_code not in types:
        reason = _unknown("transaction-type", type_code, "TransactionType")
        return Rejection(position, raw, f"{reason}.")
    stage = _STAGES.get(type_code)
    if stage is None:
        return Rejection(
            position,
            raw,
            f"Transaction type {type_code} ({types[type_code]}) is not an aid stage the "
            "ledger keeps.",
        )
    assert value is not None, "the schema requires one value"
    currency = value.get("currency") or default_currency
    if not currency:
        return Rejection(
            position, raw, "The value names no currency and the activity no default-currency."
        )
    if currency not in _codelist("Currency"):
        reason = _unknown("value/@currency", currency, "Currency")
        return Rejection(position, raw, f"{reason}.")
    amount = Decimal((value.text or "").strip())  # the schema checked it is an xs:decimal
    if amount <= 0:
        return Rejection(
            position,
            raw,
            f"The value {amount} is not positive: the ledger keeps positive amounts and "
            "makes corrections itself, by reversal.",
        )
    value_date = _date(value.get("value-date", ""))
    if value_date is None:
        return Rejection(position, raw, "The transaction has no usable value date.")
    ref = (tx.get("ref") or "").strip()
    if not ref:
        content = (type_code, str(amount), currency, value_date.isoformat(), note)
        repeats[content] += 1
        canonical = "\x1f".join((*content, str(repeats[content])))
        ref = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return IncomingEntry(
        external_id=f"iati:{commitment.identifier}:{ref}",
        position=position,
        raw=raw,
        commitment=commitment,
        stage=stage,
        amount=amount,
        currency=currency,
        value_date=value_date,
        note=note,
    )


def _commitment(
    activity: etree._Element,
    children: _Children,
    root: etree._Element,
    transactions: list[etree._Element],
    announced_on: date,
) -> IncomingCommitment:
    suspended_on = None
    if _code(children, "activity-status", "code") == "6":
        suspended_on = (
            _date(activity.get("last-updated-datetime", ""))
            or _date(root.get("generated-datetime", ""))
            or announced_on
        )
    return IncomingCommitment(
        scheme=IdentifierScheme.IATI,
        identifier=_identifier(children),
        title=_narrative(_first(children, "title")),
        description=_narrative(_first(children, "description")),
        donor=_donor(children),
        recipient=_recipient(children),
        category=_category(activity, children, transactions),
        instrument=_INSTRUMENTS.get(_code(children, "default-finance-type", "code"), ""),
        announced_on=announced_on,
        suspended_on=suspended_on,
    )


def _donor(children: _Children) -> OrganizationRef:
    for org in children.get("participating-org", ()):
        if org.get("role") == "1":
            funder = _organization(org)
            if funder:
                return funder
    reporting = _first(children, "reporting-org")
    return _organization(reporting) if reporting is not None else OrganizationRef()


def _organization(org: etree._Element) -> OrganizationRef:
    return OrganizationRef(
        name=_narrative(org),
        identifier=(org.get("ref") or "").strip(),
        kind=_KINDS.get(org.get("type", ""), OrganizationKind.OTHER),
    )


def _recipient(children: _Children) -> OrganizationRef:
    countries = children.get("recipient-country")
    if not countries:
        return OrganizationRef()
    code = max(countries, key=lambda c: Decimal(c.get("percentage") or 0)).get("code", "")
    country = pycountry.countries.get(alpha_2=code)
    if country is None:  # a code IATI adds to ISO 3166 (XK Kosovo): known by name only
        return OrganizationRef(name=_codelist("Country")[code], kind=OrganizationKind.STATE)
    name = getattr(country, "common_name", country.name)
    return OrganizationRef(name=name, kind=OrganizationKind.STATE, country_code=code)


def _category(
    activity: etree._Element, children: _Children, transactions: list[etree._Element]
) -> str:
    if activity.get("humanitarian") in _TRUE or any(
        tx.get("humanitarian") in _TRUE for tx in transactions
    ):
        return AidCategory.HUMANITARIAN
    for aid_type in children.get("default-aid-type", ()):
        if aid_type.get("vocabulary", "1") == "1" and aid_type.get("code") in _BUDGET_SUPPORT:
            return AidCategory.FINANCIAL
    return AidCategory.UNSPECIFIED


def _cancellations(
    activity: etree._Element,
    children: _Children,
    path: str,
    commitment: IncomingCommitment,
    entries: list[IncomingEntry],
) -> Iterator[IncomingEntry]:
    """A cancelled activity withdraws, per currency, what it committed and did not pay."""
    undelivered: dict[str, Decimal] = {}
    for record in entries:
        sign = _UNDELIVERED_SIGN.get(record.stage, 0)
        undelivered[record.currency] = undelivered.get(record.currency, 0) + sign * record.amount
    cancelled_on = (
        _activity_date(children, "4")
        or _date(activity.get("last-updated-datetime", ""))
        or max(record.value_date for record in entries)
    )
    status = _first(children, "activity-status")
    assert status is not None, "only a cancelled activity has cancellations"
    position = f"{path}/activity-status line {status.sourceline}"
    raw = _raw(status)
    for currency, amount in undelivered.items():
        if amount > 0:
            yield IncomingEntry(
                external_id=f"iati:{commitment.identifier}:cancelled:{currency}",
                position=position,
                raw=raw,
                commitment=commitment,
                stage=Stage.CANCELLATION,
                amount=amount,
                currency=currency,
                value_date=cancelled_on,
                note="Activity cancelled: the committed amount not disbursed.",
            )


def _children(element: etree._Element) -> _Children:
    children: _Children = {}
    for child in element:
        children.setdefault(child.tag, []).append(child)
    return children


def _attribute(element: etree._Element, path: str, name: str) -> str:
    child = element.find(path)
    return "" if child is None else child.get(name, "")


def _first(children: _Children, tag: str) -> etree._Element | None:
    found = children.get(tag)
    return found[0] if found else None


def _code(children: _Children, tag: str, attribute: str) -> str:
    element = _first(children, tag)
    return "" if element is None else element.get(attribute, "")


def _identifier(children: _Children) -> str:
    element = _first(children, "iati-identifier")
    return "" if element is None else (element.text or "").strip()


def _narrative(element: etree._Element | None) -> str:
    """The first narrative of ``element`` (in the activity's language, by IATI's rules)."""
    if element is None:
        return ""
    for child in element:
        if child.tag == "narrative":
            return (child.text or "").strip()
    return ""


def _earliest_value_date(transactions: list[etree._Element]) -> date | None:
    """When an activity without a start date began: its first transaction's value date."""
    days = (_date(_attribute(tx, "value", "value-date")) for tx in transactions)
    return min((day for day in days if day is not None), default=None)


def _activity_date(children: _Children, type_code: str) -> date | None:
    for element in children.get("activity-date", ()):
        if element.get("type") == type_code:
            return _date(element.get("iso-date", ""))
    return None


def _date(text: str) -> date | None:
    """The day of an xs:date or xs:dateTime (its time and zone do not matter here)."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _raw(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", with_tail=False)


def _unknown(what: str, code: str, codelist: str) -> str:
    return f"{what} {code!r} is not in the IATI {codelist} codelist"
