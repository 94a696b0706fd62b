"""The OCHA FTS flows adapter, on OCHA's own API responses (``shared/fixtures/fts``),
through the runner into a real database, and over a real HTTP server for paging."""

import hashlib
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urljoin

import pytest

from ingest.models import IngestRun, RejectedRecord, RunStatus
from ingest.runner import ingest_location
from ledger import services
from ledger.models import (
    AidCategory,
    Commitment,
    CommitmentIdentifier,
    LedgerEntry,
    Organization,
    Stage,
)
from tests.ingest.conftest import GITHUB_PREFIX, OPT_PAGES

JORDAN_PAGE = "custom-search-locationid-114-year-2020-page-3.json"
ZERO_AMOUNT_FLOWS = ["226614", "226617", "226620", "226623", "226626"]

pytestmark = pytest.mark.django_db


def entry(flow_id: str, revision: int = 1) -> LedgerEntry:
    key = f"fts:{flow_id}" if revision == 1 else f"fts:{flow_id}#r{revision}"
    return LedgerEntry.objects.select_related("commitment__donor", "commitment__recipient").get(
        idempotency_key=key
    )


def write_page(path: Path, flows: list, next_link: str | None = None) -> Path:
    meta: dict = {"language": "en", "count": len(flows)}
    if next_link:
        meta["nextLink"] = next_link
    path.write_text(json.dumps({"status": "ok", "data": {"flows": flows}, "meta": meta}))
    return path


def jordan_flows(fts_dir: Path) -> list[dict]:
    return json.loads((fts_dir / JORDAN_PAGE).read_text())["data"]["flows"]


def counts(run: IngestRun) -> tuple[int, int, int, int, int]:
    return run.seen, run.created, run.unchanged, run.corrected, run.rejected


def test_a_page_of_flows_lands_and_a_rerun_changes_nothing(fts_dir, ukraine):
    run = ingest_location("fts", str(fts_dir / JORDAN_PAGE))

    assert run.status == RunStatus.PARTIALLY_SUCCEEDED
    assert counts(run) == (78, 73, 0, 0, 5)
    assert run.content_hash == hashlib.sha256((fts_dir / JORDAN_PAGE).read_bytes()).hexdigest()
    rejected = RejectedRecord.objects.filter(run=run).order_by("id")
    assert [r.position for r in rejected] == [
        f"page 1, flows[{index}] (id {flow_id})"
        for index, flow_id in zip([44, 46, 48, 50, 52], ZERO_AMOUNT_FLOWS, strict=True)
    ]
    assert all("no positive amount" in r.reason for r in rejected)
    assert json.loads(rejected[0].raw)["id"] == "226614"

    pledge = entry("226741")  # Kuwait's pledge, reported in dinars
    assert (pledge.stage, pledge.amount, pledge.currency) == (Stage.PLEDGE, Decimal(25312), "KWD")
    assert pledge.value_date == date(2020, 4, 14)
    assert "FTS flow 226741 version 1" in pledge.note
    kuwait = pledge.commitment.donor
    assert (kuwait.name, kuwait.kind, kuwait.country_code) == ("Kuwait", "state", "KW")
    assert not kuwait.is_verified
    assert pledge.commitment.recipient.name == "Kuwaiti Social Reform Society"
    assert pledge.commitment.recipient.kind == "private"
    assert pledge.commitment.category == AidCategory.HUMANITARIAN
    assert CommitmentIdentifier.objects.get(scheme="fts", value="226741").commitment_id == (
        pledge.commitment_id
    )

    paid = entry("224759")  # Saudi riyals to the government of Jordan
    assert (paid.stage, paid.amount, paid.currency) == (Stage.DISBURSEMENT, 1029000, "SAR")
    assert paid.commitment.recipient.country_code == "JO"
    assert paid.commitment.title.startswith("Emergency relief food")

    in_dollars = entry("224934")  # no original amount: amountUSD
    assert (in_dollars.amount, in_dollars.currency) == (Decimal(105500), "USD")

    parked = entry("225636")  # a commitment to Jordan naming no organization
    assert (parked.stage, parked.commitment.recipient.name) == (Stage.COMMITMENT, "Jordan")

    assert not Commitment.objects.filter(recipient=ukraine).exists()
    organizations, entries = Organization.objects.count(), LedgerEntry.objects.count()
    assert entries == 73

    again = ingest_location("fts", str(fts_dir / JORDAN_PAGE))

    assert counts(again) == (78, 0, 73, 0, 5)
    assert (Organization.objects.count(), LedgerEntry.objects.count()) == (organizations, entries)
    assert Commitment.objects.count() == 73


def test_donors_and_recipients_match_by_country_code_and_alias(fts_dir, ukraine):
    netherlands = services.create_organization(
        name="Kingdom of the Netherlands", kind="state", country_code="NL"
    )
    unhcr = services.create_organization(
        name="UNHCR",
        kind="multilateral",
        aliases=["United Nations High Commissioner for Refugees"],
    )

    ingest_location("fts", str(fts_dir / JORDAN_PAGE))

    dutch = entry("224934")
    assert (dutch.commitment.donor, dutch.commitment.recipient) == (netherlands, unhcr)
    assert not Organization.objects.filter(name__icontains="High Commissioner").exists()


def test_pages_are_followed_over_http(fts_dir, ukraine, loopback_server):
    for name in OPT_PAGES:
        shutil.copy(fts_dir / name, loopback_server.root / name)
    for name in OPT_PAGES[:2]:
        loopback_server.rewrite[name] = lambda content: content.replace(
            GITHUB_PREFIX, loopback_server.url("").encode()
        )
    served = b"".join(
        loopback_server.rewrite.get(name, bytes)((loopback_server.root / name).read_bytes())
        for name in OPT_PAGES
    )
    count = json.loads((fts_dir / OPT_PAGES[0]).read_text())["meta"]["count"]

    run = ingest_location("fts", loopback_server.url(OPT_PAGES[0]))

    assert run.status == RunStatus.PARTIALLY_SUCCEEDED, run.error
    assert run.seen == count == 424
    assert run.created + run.rejected == 424
    assert loopback_server.requests == OPT_PAGES
    assert run.content_hash == hashlib.sha256(served).hexdigest()
    last_page = RejectedRecord.objects.filter(run=run, position__startswith="page 3,")
    assert {r.position for r in last_page} == {
        "page 3, flows[6] (id 228274)",
        "page 3, flows[8] (id 228276)",
    }
    assert all("no source organization" in r.reason for r in last_page)
    assert entry("227063").stage == Stage.PLEDGE  # Malta's pledge, on page 2

    again = ingest_location("fts", loopback_server.url(OPT_PAGES[0]))

    assert counts(again) == (424, 0, run.created, 0, run.rejected)
    assert len(loopback_server.requests) == 6


def test_paging_options_stop_early_or_fail(fts_dir, ukraine, loopback_server):
    for name in OPT_PAGES:
        shutil.copy(fts_dir / name, loopback_server.root / name)
        loopback_server.rewrite[name] = lambda content: content.replace(
            GITHUB_PREFIX, loopback_server.url("").encode()
        )

    first_only = ingest_location(
        "fts", loopback_server.url(OPT_PAGES[0]), options={"follow_next_link": False}
    )
    capped = ingest_location("fts", loopback_server.url(OPT_PAGES[0]), options={"max_pages": 2})

    assert first_only.seen == 200
    assert first_only.status == RunStatus.PARTIALLY_SUCCEEDED
    assert capped.status == RunStatus.FAILED
    assert "more than 2 pages (option max_pages)" in capped.error
    assert loopback_server.requests == [OPT_PAGES[0], *OPT_PAGES[:2]]


def test_a_page_linking_to_itself_is_read_once(fts_dir, ukraine, loopback_server):
    write_page(
        loopback_server.root / "loop.json",
        jordan_flows(fts_dir)[:3],
        next_link=loopback_server.url("loop.json"),
    )

    run = ingest_location("fts", loopback_server.url("loop.json"))

    assert counts(run) == (3, 3, 0, 0, 0)
    assert run.status == RunStatus.SUCCEEDED
    assert loopback_server.requests == ["loop.json"]


@pytest.mark.parametrize("link", ["file:///etc/passwd", "../secrets.json", "/etc/passwd"])
def test_a_local_file_linking_to_a_file_elsewhere_is_refused_after_its_page(
    fts_dir, ukraine, tmp_path, link
):
    (tmp_path / "secrets.json").write_text("{}")
    (tmp_path / "pages").mkdir()
    page = write_page(tmp_path / "pages" / "page.json", jordan_flows(fts_dir)[:2], next_link=link)

    run = ingest_location("fts", str(page))

    assert run.status == RunStatus.FAILED
    assert counts(run) == (2, 2, 0, 0, 1)  # the page's flows, and the refusal of its link
    assert f"page 1 links to {urljoin(str(page), link)}, which is not a file beside " in run.error
    assert run.stopped_at_page == 2


def test_a_web_page_linking_to_a_local_file_is_refused_after_its_page(
    fts_dir, ukraine, loopback_server
):
    write_page(
        loopback_server.root / "page.json",
        jordan_flows(fts_dir)[:2],
        next_link="file:///etc/passwd",
    )

    run = ingest_location("fts", loopback_server.url("page.json"))

    assert run.status == RunStatus.FAILED
    assert counts(run) == (2, 2, 0, 0, 1)
    assert "page 1 links to file:///etc/passwd, not http(s)" in run.error
    assert RejectedRecord.objects.get(run=run).position == "page 2"


def test_a_changed_flow_is_corrected(fts_dir, ukraine, tmp_path):
    flows = jordan_flows(fts_dir)
    page = write_page(tmp_path / JORDAN_PAGE, flows)
    ingest_location("fts", str(page))
    pledge = next(flow for flow in flows if flow["id"] == "226741")
    pledge.update(originalAmount=30000, amountUSD=96157, versionId=2)
    write_page(page, flows)

    run = ingest_location("fts", str(page))

    assert counts(run) == (78, 0, 72, 1, 5)
    original, revised = entry("226741"), entry("226741", revision=2)
    reversal = LedgerEntry.objects.get(reverses=original)
    assert (reversal.amount, reversal.currency) == (Decimal(25312), "KWD")
    assert (revised.amount, revised.currency, revised.stage) == (30000, "KWD", Stage.PLEDGE)
    assert revised.commitment_id == original.commitment_id
    assert "version 2" in revised.note


def test_bad_flows_are_rejected_while_the_others_land(fts_dir, ukraine, tmp_path):
    first, no_amount, refunded, last = (dict(flow) for flow in jordan_flows(fts_dir)[:4])
    del no_amount["amountUSD"], no_amount["originalAmount"]
    refunded["status"] = "refunded"
    page = write_page(tmp_path / "flows.json", [first, no_amount, refunded, "not a flow", last])

    run = ingest_location("fts", str(page))

    assert counts(run) == (5, 2, 0, 0, 3)
    assert run.status == RunStatus.PARTIALLY_SUCCEEDED
    reasons = dict(RejectedRecord.objects.filter(run=run).values_list("position", "reason"))
    assert reasons == {
        f"page 1, flows[1] (id {no_amount['id']})": "The flow has no positive amount: "
        "originalAmount None, amountUSD None.",
        f"page 1, flows[2] (id {refunded['id']})": "The status 'refunded' is not one of "
        "pledge, commitment, paid.",
        "page 1, flows[3]": "The flow is not an object with an id.",
    }
    assert LedgerEntry.objects.filter(idempotency_key=f"fts:{first['id']}").exists()
    assert LedgerEntry.objects.filter(idempotency_key=f"fts:{last['id']}").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body>Service unavailable</body></html>", "is not JSON"),
        (b"[" * 100_000, "is not JSON"),
        (None, "is not an FTS flow search: no data.flows list"),
    ],
)
def test_a_document_that_is_no_flow_search_is_refused(fts_dir, ukraine, tmp_path, content, reason):
    if content is None:  # the locations list: JSON, but not flows
        document = fts_dir / "1-public-location.json"
    else:
        document = tmp_path / "page.json"
        document.write_bytes(content)

    run = ingest_location("fts", str(document))

    assert run.status == RunStatus.FAILED
    assert run.error.startswith("The content was refused: ")
    assert reason in run.error
    assert RejectedRecord.objects.get(run=run).position == "document"
    assert not LedgerEntry.objects.exists()
    assert not Commitment.objects.exists()


def test_a_page_larger_than_the_limit_is_refused_unread(fts_dir, ukraine):
    run = ingest_location("fts", str(fts_dir / JORDAN_PAGE), options={"max_page_bytes": 10_000})

    assert run.status == RunStatus.FAILED
    assert "is larger than 10,000 bytes (option max_page_bytes)" in run.error
    assert not LedgerEntry.objects.exists()


def test_a_next_page_answering_500_fails_the_run_leaving_the_first_page(
    fts_dir, ukraine, loopback_server, settings
):
    settings.INGEST_BATCH_SIZE = 50
    for name in OPT_PAGES:
        shutil.copy(fts_dir / name, loopback_server.root / name)
        loopback_server.rewrite[name] = lambda content: content.replace(
            GITHUB_PREFIX, loopback_server.url("").encode()
        )
    loopback_server.status[OPT_PAGES[1]] = 500

    failed = ingest_location("fts", loopback_server.url(OPT_PAGES[0]))

    assert failed.status == RunStatus.FAILED
    assert failed.error == (
        f"Fetching failed: {loopback_server.url(OPT_PAGES[1])} answered 500. Stopped at page 2 "
        f"({loopback_server.url(OPT_PAGES[1])}); the pages before it landed."
    )
    assert (failed.stopped_at_page, failed.stopped_at_url) == (2, loopback_server.url(OPT_PAGES[1]))
    assert counts(failed) == (200, 180, 0, 0, 20)  # page 1, whole

    del loopback_server.status[OPT_PAGES[1]]
    retried = ingest_location("fts", loopback_server.url(OPT_PAGES[0]))

    assert retried.unchanged == failed.created
    assert retried.created + retried.unchanged + retried.rejected == 424
    assert retried.stopped_at_page is None
