"""An editor's review in a real browser, against the service as `make run` serves it:
open the review queue, open a candidate, accept it, and find it recorded.

The served app holds the seed scenario; the five seed articles' candidates (shaped by
``tests.news.admin_seed`` from what the scenario says they report, when the shared
fixtures are beside the project) fill the queue, and one pledge of our own, which the
ledger does not hold yet, is the one accepted. Screenshots are kept in the test's folder.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SHARED
from tests.e2e.test_admin_layout import LAYOUT_PROBLEMS, log_in
from tests.served import PROJECT, Served, embedded_env

# Recorded in the served app's own database, once per session.
CREATE_CANDIDATES = f"""
from decimal import Decimal
from ledger import scenario
from ledger.selectors import find_organization
from news.models import Candidate
from tests.news import admin_rows, admin_seed
folder = {str(SHARED / "fixtures" / "news")!r}
import pathlib
if pathlib.Path(folder).is_dir():
    admin_seed.build(pathlib.Path(folder))
ours = Candidate.objects.filter(fingerprint="e2e-pledge").first() or admin_rows.pledge(
    admin_rows.make_article(url="https://news.example.org/e2e-review"),
    fingerprint="e2e-pledge",
    donor=find_organization(scenario.UNITED_KINGDOM),
    recipient=find_organization(scenario.UKRAINE),
    currency="GBP",
    amount=Decimal("1500000000"),
)
print(ours.pk)
"""


@pytest.fixture(scope="module")
def candidate_id(served: Served) -> int:
    created = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CREATE_CANDIDATES],
        cwd=PROJECT,
        env=embedded_env(served.log.parent),
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    return int(created.stdout.strip().splitlines()[-1])


def test_an_editor_accepts_a_candidate_from_the_queue(
    page: Page, served: Served, candidate_id: int, tmp_path: Path
):
    page.set_viewport_size({"width": 1400, "height": 900})
    log_in(page, served)
    page.goto(f"{served.base_url}/admin/news/candidate/")
    queue = page.locator("#result_list")
    expect(queue.locator("tr.article-group").first).to_be_visible()
    row = queue.locator("tbody tr").filter(has_text="1,500,000,000 GBP")
    expect(row).to_have_count(1)
    page.screenshot(path=tmp_path / "queue.png", full_page=True)
    assert page.evaluate(LAYOUT_PROBLEMS) == [], f"see {tmp_path / 'queue.png'}"

    row.locator("th a").click()
    expect(page.locator("mark#evidence-" + str(candidate_id))).to_contain_text("$12 billion")
    expect(page.locator(".duplicates")).to_contain_text("None found")
    page.screenshot(path=tmp_path / "candidate.png", full_page=True)
    assert page.evaluate(LAYOUT_PROBLEMS) == [], f"see {tmp_path / 'candidate.png'}"

    with page.expect_navigation():
        page.click("input[name=_accept]")
    if page.get_by_role("heading", name="Server Error (500)").count():
        log = served.log.read_text(errors="replace")
        pytest.fail(f"accepting answered 500; the server's log:\n{log[-4000:]}")
    expect(page.locator("ul.messagelist")).to_contain_text("Accepted")
    expect(
        page.locator("#result_list tbody tr").filter(has_text="1,500,000,000 GBP")
    ).to_have_count(0)

    page.goto(f"{served.base_url}/admin/news/candidate/{candidate_id}/change/")
    decided = page.locator("fieldset", has_text="Decision")
    expect(decided).to_contain_text(served.username)
    expect(decided).to_contain_text("Commitment")  # what it became, linked
    page.screenshot(path=tmp_path / "accepted.png", full_page=True)
