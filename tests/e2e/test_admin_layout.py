"""The admin laid out at the widths editors use (1400 and 1024 px), in a real browser.

A commitment with a long title is added to the served app; its page, the
commitments list and the reported totals list must show every element inside its box:
no object-tool button over the title, no cell or input spilling out of its table or its
cell, no list that scrolls sideways. Screenshots of each are kept in the test's folder.
"""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import STEP_TIMEOUT_MS
from tests.served import PROJECT, Served, embedded_env

WIDTHS = [1400, 1024]
LONG_TITLE = (
    "Presidential drawdown package of air defence interceptors, artillery ammunition, "
    "armoured vehicles and spare parts for the Armed Forces of Ukraine, announced together "
    "with a multi-year programme of training, maintenance and industrial cooperation"
)

# Every problem of layout on the page, as sentences (an empty list: none).
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
  const outside = (inner, outer) => inner.left < outer.left - 1 || inner.right > outer.right + 1;
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth)
    problems.push(`the page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth} px)`);
  const main = document.querySelector('#content-main');
  const box = main.getBoundingClientRect();
  for (const el of main.querySelectorAll('*')) {
    if (visible(el) && outside(el.getBoundingClientRect(), box))
      problems.push(`${name(el)} reaches out of #content-main`);
  }
  for (const el of main.querySelectorAll('.results, .inline-group, fieldset')) {
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth} px)`);
  }
  for (const cell of main.querySelectorAll('td, th')) {
    const r = cell.getBoundingClientRect();
    for (const el of cell.querySelectorAll('*')) {
      if (visible(el) && getComputedStyle(el).position !== 'absolute' &&
          outside(el.getBoundingClientRect(), r))
        problems.push(`${name(el)} spills out of its cell ${name(cell)}`);
    }
  }
  const titles = [...document.querySelectorAll('#content > h1, #content > h2')];
  for (const tool of document.querySelectorAll('.object-tools li')) {
    const t = tool.getBoundingClientRect();
    for (const title of titles) {
      // The title's text, line by line: its block spans the page whatever its length.
      const text = document.createRange();
      text.selectNodeContents(title);
      for (const h of text.getClientRects()) {
      const apart = t.right <= h.left || t.left >= h.right ||
        t.bottom <= h.top || t.top >= h.bottom;
      if (!apart)
        problems.push(`the object tool "${tool.innerText.trim()}" covers the ${title.tagName}`);
      }
    }
  }
  return problems;
}
"""


# Recorded through the services, in the served app's own database.
CREATE_LONG_COMMITMENT = f"""
from datetime import date
from ledger import scenario, services
from ledger.models import Commitment, Source
from ledger.selectors import find_organization
existing = Commitment.objects.filter(title={LONG_TITLE!r}).first()
commitment = existing or services.create_commitment(
    donor=find_organization(scenario.UNITED_STATES), title={LONG_TITLE!r},
    category="military", announced_on=date(2025, 1, 2), source=Source.objects.first(),
)
print(commitment.pk)
"""


@pytest.fixture(scope="module")
def long_commitment_url(served: Served) -> str:
    """The page of a commitment with a long title."""
    env = embedded_env(served.log.parent)
    created = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CREATE_LONG_COMMITMENT],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    pk = int(created.stdout.strip().splitlines()[-1])
    return f"{served.base_url}/admin/ledger/commitment/{pk}/change/"


def log_in(page: Page, served: Served) -> None:
    page.goto(f"{served.base_url}/admin/login/")
    page.fill("#id_username", served.username)
    page.fill("#id_password", served.password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(served.username)


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def admin_page(request: pytest.FixtureRequest, browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    context.set_default_navigation_timeout(STEP_TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, served)
        yield page
    finally:
        context.close()


def assert_laid_out(page: Page, url: str, screenshot: Path) -> None:
    page.goto(url)
    page.screenshot(path=screenshot, full_page=True)
    assert page.evaluate(LAYOUT_PROBLEMS) == [], f"see {screenshot}"


def test_a_commitment_with_a_long_title(admin_page: Page, long_commitment_url: str, tmp_path):
    assert_laid_out(admin_page, long_commitment_url, tmp_path / "commitment.png")
    expect(admin_page.locator("#content > h2")).to_contain_text(LONG_TITLE)
    expect(admin_page.locator(".object-tools")).to_contain_text("Pause deliveries")
    # The empty entry row has no repr of the database's default under "Recorded at".
    expect(admin_page.locator("#entries-group")).not_to_contain_text("object at 0x")


def test_the_commitments_list(admin_page: Page, served: Served, long_commitment_url, tmp_path):
    assert_laid_out(
        admin_page, f"{served.base_url}/admin/ledger/commitment/", tmp_path / "commitments.png"
    )
    expect(admin_page.locator("#result_list")).to_contain_text(LONG_TITLE)


def test_the_reported_totals_list(admin_page: Page, served: Served, tmp_path):
    assert_laid_out(
        admin_page, f"{served.base_url}/admin/ledger/reportedtotal/", tmp_path / "totals.png"
    )
    expect(admin_page.locator("td.field-reported_amount")).to_have_text("40,000,000,000 USD")


# At 1024 px the entries list still needs more width than it has (see the report of
# issue 10): only 1400 px is held to it so far.
@pytest.mark.parametrize("admin_page", [1400], indirect=True, ids=["1400px"])
def test_the_entries_list(admin_page: Page, served: Served, tmp_path):
    assert_laid_out(
        admin_page, f"{served.base_url}/admin/ledger/ledgerentry/", tmp_path / "entries.png"
    )
