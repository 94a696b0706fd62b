"""The public pages in a real browser, served as `make run` serves them, on the seed scenario.

Each page (overview, timeline, coordination, the United States' donor page and its
commitment's page) must load with no console error and no failed request, hold its
layout on a phone (375 px) and a wide screen (1400 px): nothing past the window's edge
but inside a box that scrolls itself (a table may scroll sideways in its own frame, the
page may not), and pass axe-core (vendored, ``tests/e2e/vendor/``) with no serious or
critical violation. A screenshot of each page at each width is kept in the test's folder
(``tmp_path``: pytest keeps the last runs' folders), named ``<page>-<width>.png``.

The controls are used as a reader would: the currency changed in the form changes the
overview's headline figures; the date changed on the timeline puts the July 2025 U.S.
pause in force (5 July) or over (8 July).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from tests.e2e.conftest import STEP_TIMEOUT_MS
from tests.served import Served, get_json

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
WIDTHS = (1400, 375)
# The seed scenario's pages with the most on them: the United States' (its commitment and
# the July 2025 pause) and the Rome conference's pledge (an entry, so a chart).
US_COMMITMENT = "scenario:biden-every-dollar-2024"
ROME_PLEDGE = "scenario:rome-urc-2025"

# Everything that reaches past the window's left or right edge without a box of its own
# that scrolls or clips it (an empty list: nothing). Hidden elements and those moved wholly
# off-screen to the left (a skip link's usual hiding place) do not count.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const width = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth > width)
    problems.push(`the page scrolls sideways (${doc.scrollWidth} > ${width} px)`);
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `${el.classList.length ? '.' + [...el.classList].join('.') : ''}`;
  // A box between the element and the body that scrolls or clips sideways contains it;
  // but an absolutely placed element escapes every such box up to its containing block
  // (the nearest placed ancestor), and a fixed one escapes them all.
  const contained = (el) => {
    let placing = getComputedStyle(el).position;
    if (placing === 'fixed') return false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      const holds = placing !== 'absolute' || style.position !== 'static';
      if (holds && style.overflowX !== 'visible') return true;
      if (holds) placing = style.position;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.left < -1 || r.right > width + 1) && !contained(el))
      problems.push(`${name(el)} reaches past the window ` +
        `(${Math.round(r.left)} to ${Math.round(r.right)} px of ${width})`);
  }
  return problems.slice(0, 15);
}
"""

# axe-core's serious and critical violations, each with a few of the elements at fault.
AXE_VIOLATIONS = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact}: ${v.id} (${v.help}) at ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; '));
}
"""


@dataclass
class Trouble:
    """What went wrong while a page loaded: console errors, script errors, failed requests."""

    problems: list[str] = field(default_factory=list)

    def on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status} from {response.url}")


@pytest.fixture(scope="module")
def urls(served: Served) -> dict[str, str]:
    def commitment(identifier: str) -> dict:
        found = get_json(f"{served.base_url}/api/v1/commitments/?identifier={identifier}")
        (row,) = found["results"]
        return row

    return {
        "overview": "/",
        "timeline": "/timeline/",
        "coordination": "/coordination/",
        "donor": f"/donors/{commitment(US_COMMITMENT)['donor']['id']}/",
        "commitment": f"/commitments/{commitment(ROME_PLEDGE)['id']}/",
    }


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Trouble]]:
    """A page whose console errors, script errors and failed requests are collected."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    trouble = Trouble()
    page.on(
        "console",
        lambda message: (
            trouble.problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: trouble.problems.append(f"script error: {error}"))
    page.on(
        "requestfailed",
        lambda request: trouble.problems.append(f"failed: {request.url} ({request.failure})"),
    )
    page.on("response", trouble.on_response)
    try:
        yield page, trouble
    finally:
        context.close()


def check_page(page: Page, folder: Path, name: str) -> list[str]:
    """The page's problems at each width (layout, then axe-core), screenshots kept."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot = folder / f"{name}-{width}.png"
        page.screenshot(path=shot, full_page=True)
        problems += [f"{width} px: {p} (see {shot})" for p in page.evaluate(LAYOUT_PROBLEMS)]
    page.add_script_tag(path=AXE)
    problems += [f"axe-core: {v}" for v in page.evaluate(AXE_VIOLATIONS)]
    return problems


@pytest.mark.parametrize("name", ["overview", "timeline", "coordination", "donor", "commitment"])
def test_page_loads_cleanly_and_holds_its_layout(
    watched: tuple[Page, Trouble], served: Served, urls: dict[str, str], name: str, tmp_path
):
    page, trouble = watched
    response = page.goto(served.base_url + urls[name], wait_until="networkidle")
    assert response is not None
    assert response.status == 200, served.log.read_text(errors="replace")[-4000:]
    expect(page.locator("h1")).to_be_visible()
    problems = check_page(page, tmp_path, name)
    assert trouble.problems + problems == []


def submit_controls(page: Page, **values: str) -> None:
    """Fill the page's control form as a reader would and submit it."""
    form = page.locator("form").filter(has=page.locator("[name=currency]")).first
    for name, value in values.items():
        control = form.locator(f"[name={name}]")
        if control.evaluate("(el) => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit], button:not([type])").first.click()


def test_the_currency_control_changes_the_headline_figures(
    watched: tuple[Page, Trouble], served: Served
):
    page, trouble = watched
    page.goto(f"{served.base_url}/?currency=USD")
    headline = page.locator("dl.headline")
    in_dollars = headline.inner_text()
    submit_controls(page, currency="EUR")
    assert "currency=EUR" in page.url
    expect(page.locator(".lede")).to_contain_text("in EUR")
    in_euros = headline.inner_text()
    # The seed scenario's amounts are in dollars: in euros each nonzero figure changes.
    pledged = headline.locator("[data-measure=pledged]")
    expect(pledged).not_to_have_text("0")
    assert in_euros != in_dollars
    assert trouble.problems == []


def test_the_date_control_puts_the_july_2025_pause_in_force_or_over(
    watched: tuple[Page, Trouble], served: Served
):
    page, trouble = watched
    page.goto(f"{served.base_url}/timeline/")
    pause = page.locator("li.pause").filter(has_text="weapons shipments")

    submit_controls(page, as_of="2025-07-05")
    assert "as_of=2025-07-05" in page.url
    expect(pause).to_have_count(1)
    expect(pause.locator(".status.in-force")).to_have_count(1)

    submit_controls(page, as_of="2025-07-08")
    assert "as_of=2025-07-08" in page.url
    expect(pause).to_have_count(1)
    expect(pause.locator(".status.in-force")).to_have_count(0)
    expect(pause).to_contain_text("7 Jul 2025")  # resumed on Monday 7 July
    assert trouble.problems == []
