"""The IATI 2.03 activity adapter, through the runner into a real database: IATI's own
examples (``shared/fixtures/iati``), small files written here for what those lack, and
hostile XML that must record nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.models import IngestRun, RejectedRecord, RunStatus
from ingest.runner import ingest_location
from ledger.models import (
    AidCategory,
    Commitment,
    CommitmentIdentifier,
    Instrument,
    LedgerEntry,
    Organization,
    Pause,
    Stage,
)
from ledger.selectors.figures import totals

pytestmark = pytest.mark.django_db

# The line each should-pass example's iati-activity starts on (its rejection's position).
SHOULD_PASS_LINES = {
    "02-minimal-doc.xml": 4,
    "19-budget.xml": 4,
    "20-planned-disbursement.xml": 4,
    "21-transaction.xml": 7,
    "22-participating-org.xml": 4,
    "23-activity-status.xml": 4,
    "27-decimal-currency.xml": 5,
    "humanitarian_01-humanitarian-activity-flag.xml": 4,
    "humanitarian_02-humanitarian-transaction-flag.xml": 7,
    "humanitarian_03-humanitarian-scope.xml": 4,
}
# What the schema says about each should-fail example.
SHOULD_FAIL_MESSAGES = {
    "01-empty-activity.xml": "line 7: Element 'iati-activity': Missing child element(s).",
    "20-two-reporting-orgs.xml": "line 9: Element 'reporting-org': This element is not expected.",
    "26-two-activity-status.xml": (
        "line 18: Element 'activity-status': This element is not expected."
    ),
    "budget_12-non-decimal-value.xml": (
        "line 22: Element 'value': 'eryr' is not a valid value of the atomic type 'xs:decimal'."
    ),
    "budget_13-empty-decimal-value.xml": (
        "line 22: Element 'value': '' is not a valid value of the atomic type 'xs:decimal'."
    ),
    "humanitarian_02-humanitarian-transaction-validation-non-numerical.xml": (
        "line 27: Element 'transaction', attribute 'humanitarian': 'One' is not a valid value"
    ),
    "transaction_01-missing-transaction-type.xml": (
        "line 23: Element 'transaction-date': This element is not expected. "
        "Expected is ( transaction-type )."
    ),
    "transaction_02-missing-transaction-date.xml": (
        "line 26: Element 'value': This element is not expected. Expected is ( transaction-date )."
    ),
    "transaction_03-missing-value.xml": "Missing child element(s). Expected is ( value ).",
    "transaction_07-two-values.xml": "line 27: Element 'value': This element is not expected.",
}
DTD_REFUSED = "declares a DTD/entities; entity expansion and external entities are refused"


@pytest.fixture
def examples(shared_dir: Path) -> Path:
    return shared_dir / "fixtures" / "iati" / "examples"


def counts(run: IngestRun) -> tuple[int, int, int, int, int]:
    return run.seen, run.created, run.unchanged, run.corrected, run.rejected


def entry(key: str) -> LedgerEntry:
    return LedgerEntry.objects.select_related("commitment__donor", "commitment__recipient").get(
        idempotency_key=key
    )


def transaction(
    type_code: str,
    amount: str,
    *,
    ref: str | None = None,
    currency: str = "",
    day: str = "2024-02-01",
    note: str = "",
    humanitarian: bool = False,
) -> str:
    attributes = (f' ref="{ref}"' if ref is not None else "") + (
        ' humanitarian="1"' if humanitarian else ""
    )
    description = f"<description><narrative>{note}</narrative></description>" if note else ""
    value_currency = f' currency="{currency}"' if currency else ""
    return (
        f"<transaction{attributes}>"
        f'<transaction-type code="{type_code}"/><transaction-date iso-date="{day}"/>'
        f'<value value-date="{day}"{value_currency}>{amount}</value>{description}'
        "</transaction>"
    )


def activity(
    *transactions: str,
    identifier: str = "XM-TEST-1",
    status: str = "2",
    attributes: str = ' default-currency="EUR"',
    dates: str = '<activity-date iso-date="2024-01-15" type="2"/>',
    after_dates: str = "",
) -> str:
    """An activity the schema accepts; ``after_dates`` holds what comes between the dates
    and the transactions (recipient-country, default-finance-type...)."""
    return f"""
  <iati-activity last-updated-datetime="2024-05-02T10:00:00Z"{attributes}>
    <iati-identifier>{identifier}</iati-identifier>
    <reporting-org ref="XM-DAC-7" type="10"><narrative>Ministry of Examples</narrative>
    </reporting-org>
    <title><narrative>Winter support</narrative></title>
    <description><narrative>Generators and fuel</narrative></description>
    <participating-org ref="XM-DAC-7" role="1" type="10">
      <narrative>Ministry of Examples</narrative>
    </participating-org>
    <activity-status code="{status}"/>
    {dates}
    {after_dates}
    {"".join(transactions)}
  </iati-activity>"""


def write(path: Path, *activities: str) -> str:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<iati-activities version="2.03" generated-datetime="2024-06-01T08:00:00Z">'
        f"{''.join(activities)}\n</iati-activities>\n"
    )
    return str(path)


def test_the_annotated_example_is_read_and_its_incoming_funds_rejected(examples, ukraine):
    run = ingest_location("iati", str(examples / "activity-standard-example-annotated.xml"))

    assert counts(run) == (1, 0, 0, 0, 1)
    assert (run.status, run.error) == (RunStatus.FAILED, "Every record was rejected.")
    (rejected,) = RejectedRecord.objects.filter(run=run)
    assert rejected.position == "/iati-activities/iati-activity[1]/transaction[1] line 265"
    assert rejected.reason == (
        "Transaction type 1 (Incoming Funds) is not an aid stage the ledger keeps."
    )
    assert rejected.raw.startswith('<transaction ref="1234" humanitarian="1">')
    assert not LedgerEntry.objects.exists()
    assert not Commitment.objects.exists()


def test_the_annotated_example_as_a_disbursement_lands_fully_mapped(examples, ukraine, tmp_path):
    text = (examples / "activity-standard-example-annotated.xml").read_text()
    path = tmp_path / "disbursed.xml"
    path.write_text(text.replace('<transaction-type code="1" />', '<transaction-type code="3" />'))

    run = ingest_location("iati", str(path))

    assert counts(run) == (1, 1, 0, 0, 0)
    assert run.status == RunStatus.SUCCEEDED
    paid = entry("iati:AA-AAA-123456789-ABC123:1234")
    assert (paid.stage, paid.amount, paid.currency) == (Stage.DISBURSEMENT, 1000, "EUR")
    assert paid.value_date == date(2012, 1, 1)
    assert paid.note == "Transaction description text"
    commitment = paid.commitment
    assert CommitmentIdentifier.objects.get(commitment=commitment).value == (
        "AA-AAA-123456789-ABC123"
    )
    assert commitment.title == "Activity title"
    assert commitment.description.startswith("General activity description text.")
    assert commitment.category == AidCategory.HUMANITARIAN  # humanitarian="1"
    assert commitment.instrument == Instrument.GRANT  # default-finance-type 110
    assert commitment.announced_on == date(2012, 4, 28)  # actual start
    donor = commitment.donor  # the funding participating-org, not the reporting one
    assert (donor.name, donor.iati_identifier, donor.kind) == (
        "Name of Agency B",
        "BB-BBB-123456789",
        "multilateral",
    )
    assert not donor.is_verified
    recipient = commitment.recipient  # AF and AG at 25% each: the first
    assert (recipient.name, recipient.country_code, recipient.kind) == (
        "Afghanistan",
        "AF",
        "state",
    )
    assert not recipient.is_verified
    assert Organization.objects.count() == 3

    again = ingest_location("iati", str(path))

    assert counts(again) == (1, 0, 1, 0, 0)
    assert (LedgerEntry.objects.count(), Organization.objects.count()) == (1, 3)


@pytest.mark.parametrize("name", sorted(SHOULD_PASS_LINES))
def test_should_pass_examples_are_read_and_their_placeholder_codes_rejected(
    examples, ukraine, name
):
    """IATI's schema tests use placeholder codes ("xx", "X") and empty identifiers: the
    schema accepts them, the codelists do not, so each activity is one rejection."""
    run = ingest_location("iati", str(examples / "should-pass" / name))

    assert counts(run) == (1, 0, 0, 0, 1)
    assert run.status == RunStatus.FAILED
    (rejected,) = RejectedRecord.objects.filter(run=run)
    assert rejected.position == f"/iati-activities/iati-activity[1] line {SHOULD_PASS_LINES[name]}"
    assert rejected.reason.startswith("The activity is rejected: its iati-identifier is empty; ")
    assert "is not in the IATI ActivityStatus codelist" in rejected.reason
    assert rejected.raw.startswith("<iati-activity")
    assert not LedgerEntry.objects.exists()
    assert Organization.objects.count() == 1


def test_a_placeholder_activity_names_each_unknown_code_once(examples, ukraine):
    run = ingest_location("iati", str(examples / "should-pass" / "02-minimal-doc.xml"))

    assert RejectedRecord.objects.get(run=run).reason == (
        "The activity is rejected: its iati-identifier is empty; "
        "activity-status/@code 'xx' is not in the IATI ActivityStatus codelist; "
        "activity-date/@type 'xx' is not in the IATI ActivityDateType codelist; "
        "reporting-org/@type 'xx' is not in the IATI OrganisationType codelist; "
        "participating-org/@role 'xx' is not in the IATI OrganisationRole codelist."
    )


@pytest.mark.parametrize("name", sorted(SHOULD_FAIL_MESSAGES))
def test_should_fail_examples_are_rejected_with_the_schema_message(examples, ukraine, name):
    run = ingest_location("iati", str(examples / "should-fail" / name))

    assert counts(run) == (1, 0, 0, 0, 1)
    assert (run.status, run.error) == (RunStatus.FAILED, "Every record was rejected.")
    (rejected,) = RejectedRecord.objects.filter(run=run)
    assert rejected.position.startswith("/iati-activities/iati-activity[1] line ")
    assert rejected.reason.startswith("The activity does not match the IATI 2.03 schema: ")
    assert SHOULD_FAIL_MESSAGES[name] in rejected.reason
    assert rejected.raw.startswith("<iati-activity")
    assert not LedgerEntry.objects.exists()
    assert not Commitment.objects.exists()


def test_the_organisation_example_is_refused_as_no_activity_file(examples, ukraine):
    run = ingest_location("iati", str(examples / "organisation-standard-example-annotated.xml"))

    assert run.status == RunStatus.FAILED
    (rejected,) = RejectedRecord.objects.filter(run=run)
    assert (rejected.position, rejected.reason) == (
        "document",
        "The root element is <iati-organisations>, not <iati-activities>: "
        "this is not an IATI activity file.",
    )


def test_stages_currencies_and_dates_map_as_documented(ukraine, tmp_path):
    path = write(
        tmp_path / "stages.xml",
        activity(
            transaction("12", "5000", ref="P", day="2024-01-20"),
            transaction("13", "100", ref="P-IN", currency="USD"),
            transaction("2", "3000.25", ref="C", note="  First tranche  "),
            transaction("11", "700", ref="C-IN"),
            transaction("3", "1000", ref="D", day="2024-03-05"),
            transaction("4", "250", ref="E"),
            after_dates='<recipient-country code="UA"/><default-finance-type code="421"/>'
            '<default-aid-type code="A01" vocabulary="1"/>',
        ),
    )

    run = ingest_location("iati", path)

    assert counts(run) == (6, 6, 0, 0, 0)
    found = {
        e.idempotency_key: (e.stage, e.amount, e.currency, e.value_date, e.note)
        for e in LedgerEntry.objects.all()
    }
    assert found == {
        "iati:XM-TEST-1:P": (Stage.PLEDGE, 5000, "EUR", date(2024, 1, 20), ""),
        "iati:XM-TEST-1:P-IN": (Stage.PLEDGE, 100, "USD", date(2024, 2, 1), ""),
        "iati:XM-TEST-1:C": (
            Stage.COMMITMENT,
            Decimal("3000.25"),
            "EUR",
            date(2024, 2, 1),
            "First tranche",
        ),
        "iati:XM-TEST-1:C-IN": (Stage.COMMITMENT, 700, "EUR", date(2024, 2, 1), ""),
        "iati:XM-TEST-1:D": (Stage.DISBURSEMENT, 1000, "EUR", date(2024, 3, 5), ""),
        "iati:XM-TEST-1:E": (Stage.DISBURSEMENT, 250, "EUR", date(2024, 2, 1), ""),
    }
    commitment = Commitment.objects.get()
    assert commitment.recipient == ukraine  # recipient-country UA matches by its code
    assert (commitment.category, commitment.instrument) == (AidCategory.FINANCIAL, "loan")
    assert commitment.announced_on == date(2024, 1, 15)
    assert (commitment.donor.name, commitment.donor.kind) == (
        "Ministry of Examples",
        "government_body",
    )


def test_unknown_codes_reject_the_record_and_the_rest_lands(ukraine, tmp_path):
    path = write(
        tmp_path / "codes.xml",
        activity(
            transaction("3", "1000", ref="ok"),
            transaction("99", "1000", ref="type"),
            transaction("3", "1000", ref="currency", currency="XXQ"),
            transaction("3", "-40", ref="negative"),
            transaction("5", "10", ref="interest"),
        ),
        activity(
            transaction("3", "500", ref="ok"),
            identifier="XM-TEST-2",
            after_dates='<recipient-country code="QQ"/>',
        ),
        activity(transaction("3", "500", ref="no-currency"), identifier="XM-TEST-3", attributes=""),
    )

    run = ingest_location("iati", path)

    assert counts(run) == (7, 1, 0, 0, 6)
    assert run.status == RunStatus.PARTIALLY_SUCCEEDED
    assert entry("iati:XM-TEST-1:ok").amount == 1000
    reasons = {
        r.position.split(" line ")[0]: r.reason for r in RejectedRecord.objects.filter(run=run)
    }
    assert reasons == {
        "/iati-activities/iati-activity[1]/transaction[2]": (
            "transaction-type '99' is not in the IATI TransactionType codelist."
        ),
        "/iati-activities/iati-activity[1]/transaction[3]": (
            "value/@currency 'XXQ' is not in the IATI Currency codelist."
        ),
        "/iati-activities/iati-activity[1]/transaction[4]": (
            "The value -40 is not positive: the ledger keeps positive amounts and makes "
            "corrections itself, by reversal."
        ),
        "/iati-activities/iati-activity[1]/transaction[5]": (
            "Transaction type 5 (Interest Payment) is not an aid stage the ledger keeps."
        ),
        "/iati-activities/iati-activity[2]": (
            "The activity is rejected: recipient-country/@code 'QQ' is not in the IATI "
            "Country codelist."
        ),
        "/iati-activities/iati-activity[3]/transaction[1]": (
            "The value names no currency and the activity no default-currency."
        ),
    }
    assert not CommitmentIdentifier.objects.filter(value="XM-TEST-2").exists()


def test_a_changed_transaction_is_corrected_by_reversal(ukraine, tmp_path):
    path = tmp_path / "changing.xml"
    write(path, activity(transaction("2", "1000", ref="T-1"), transaction("3", "400", ref="T-2")))
    ingest_location("iati", str(path))

    write(path, activity(transaction("2", "1200", ref="T-1"), transaction("3", "400", ref="T-2")))
    run = ingest_location("iati", str(path))

    assert counts(run) == (2, 0, 1, 1, 0)
    original = entry("iati:XM-TEST-1:T-1")
    replacement = entry("iati:XM-TEST-1:T-1#r2")
    assert replacement.amount == 1200
    reversal = LedgerEntry.objects.get(reverses=original)
    assert reversal.amount == original.amount == 1000
    figures = totals(currency="EUR", commitments=Commitment.objects.all())
    assert (figures["committed"], figures["disbursed"]) == (1200, 400)


def test_ref_less_transactions_get_stable_identities(ukraine, tmp_path):
    twice = transaction("3", "250", note="Fuel")
    path = write(tmp_path / "ref-less.xml", activity(twice, twice, transaction("3", "260")))

    first = ingest_location("iati", path)
    again = ingest_location("iati", path)

    assert counts(first) == (3, 3, 0, 0, 0)
    assert counts(again) == (3, 0, 3, 0, 0)
    keys = set(LedgerEntry.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == 3
    assert all(len(key) == len("iati:XM-TEST-1:") + 32 for key in keys)


def test_without_a_start_date_the_first_value_date_announces(ukraine, tmp_path):
    path = write(
        tmp_path / "undated.xml",
        activity(
            transaction("2", "10", ref="a", day="2024-03-01"),
            transaction("3", "5", ref="b", day="2024-02-10"),
            dates='<activity-date iso-date="2024-12-31" type="3"/>',  # planned end only
        ),
    )

    ingest_location("iati", path)

    commitment = Commitment.objects.get()
    assert commitment.announced_on == date(2024, 2, 10)
    assert commitment.recipient == ukraine  # no recipient-country: the default recipient


def test_a_humanitarian_transaction_makes_its_commitment_humanitarian(ukraine, tmp_path):
    path = write(
        tmp_path / "flagged.xml",
        activity(
            transaction("2", "10", ref="a"), transaction("3", "5", ref="b", humanitarian=True)
        ),
    )

    ingest_location("iati", path)

    assert Commitment.objects.get().category == AidCategory.HUMANITARIAN


def test_a_suspended_activity_pauses_its_commitment_once(ukraine, tmp_path):
    path = write(tmp_path / "suspended.xml", activity(transaction("2", "900", ref="c"), status="6"))

    ingest_location("iati", path)
    ingest_location("iati", path)

    pause = Pause.objects.get()
    assert pause.commitment == Commitment.objects.get()
    assert pause.paused_on == date(2024, 5, 2)  # last-updated-datetime


def test_a_cancelled_activity_cancels_what_it_did_not_disburse(ukraine, tmp_path):
    path = write(
        tmp_path / "cancelled.xml",
        activity(
            transaction("2", "1000", ref="c1"),
            transaction("11", "500", ref="c2"),
            transaction("3", "400", ref="d1"),
            transaction("2", "300", ref="c3", currency="USD"),
            transaction("4", "300", ref="d2", currency="USD"),
            status="5",
            dates='<activity-date iso-date="2024-01-15" type="2"/>'
            '<activity-date iso-date="2024-04-30" type="4"/>',
        ),
    )

    run = ingest_location("iati", path)

    assert counts(run) == (6, 6, 0, 0, 0)
    cancelled = entry("iati:XM-TEST-1:cancelled:EUR")
    assert (cancelled.stage, cancelled.amount, cancelled.currency) == (
        Stage.CANCELLATION,
        1100,
        "EUR",
    )
    assert cancelled.value_date == date(2024, 4, 30)  # actual end
    assert not LedgerEntry.objects.filter(idempotency_key__endswith=":cancelled:USD").exists()
    figures = totals(currency="EUR", commitments=Commitment.objects.all())
    assert (figures["committed"], figures["outstanding"]) == (400, 0)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03">{activity}</iati-activities>
"""


def hostile(tmp_path: Path, name: str, doctype: str) -> str:
    body = activity(transaction("3", "1000", ref="x", note="&payload;"))
    path = tmp_path / name
    path.write_text(
        f'<?xml version="1.0"?>\n{doctype}\n<iati-activities version="2.03">{body}'
        "</iati-activities>\n"
    )
    return str(path)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE iati-activities [ <!ENTITY payload SYSTEM "file:///etc/passwd"> ]>',
        '<!DOCTYPE iati-activities [ <!ENTITY payload SYSTEM "http://127.0.0.1:9/x"> ]>',
        '<!DOCTYPE iati-activities SYSTEM "http://127.0.0.1:9/evil.dtd">',
    ],
    ids=["external-file-entity", "external-network-entity", "external-dtd"],
)
def test_documents_declaring_entities_record_nothing(ukraine, tmp_path, doctype):
    run = ingest_location("iati", hostile(tmp_path, "hostile.xml", doctype))

    assert run.status == RunStatus.FAILED
    assert counts(run) == (0, 0, 0, 0, 1)
    (rejected,) = RejectedRecord.objects.filter(run=run)
    assert rejected.position == "document"
    assert DTD_REFUSED in rejected.reason
    assert DTD_REFUSED in run.error
    assert "root:" not in rejected.reason + rejected.raw
    assert not LedgerEntry.objects.exists()
    assert not Commitment.objects.exists()
    assert list(Organization.objects.all()) == [ukraine]


def test_the_billion_laughs_file_is_refused(ukraine, tmp_path):
    path = tmp_path / "lol.xml"
    lol = activity(transaction("3", "1000", ref="x", note="&lol9;"))
    path.write_text(BILLION_LAUGHS.replace("{activity}", lol))

    run = ingest_location("iati", str(path))

    assert run.status == RunStatus.FAILED
    assert DTD_REFUSED in RejectedRecord.objects.get(run=run).reason
    assert not LedgerEntry.objects.exists()
    assert list(Organization.objects.all()) == [ukraine]


def test_malformed_xml_is_refused_with_its_line(ukraine, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<iati-activities version="2.03">'
        + activity(transaction("3", "1000", ref="x"))
        + "\n<iati-activity>\n</iati-activities>\n"
    )

    run = ingest_location("iati", str(path))

    assert run.status == RunStatus.FAILED
    reason = RejectedRecord.objects.get(run=run).reason
    assert reason.startswith("The document is not well-formed XML: ")
    assert "iati-activity line 17 and iati-activities, line 18, column 19" in reason
    assert not LedgerEntry.objects.exists()
