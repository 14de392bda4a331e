"""Page checks on every served workbook, as staff would see it in a real browser.

Each workbook is opened once (one server, one signed-in browser) and looked at at three
widths without reloading: a 1366x768 laptop, 683 px (that laptop at 200% zoom) and
320 px (a phone, or the laptop at 400% zoom). At each width:

- no text is cut off by its box: a button, label, table cell or section header whose
  content is wider than the box (scrollWidth > clientWidth) fails;
- the page does not scroll sideways;
- at 1366x768 the first field (the first thing to fill in or open) is on the first
  screen, the page opens with "How to use this page" and the introduction is closed
  under "What this is";
- at 1366 and 320 px axe-core finds no serious or critical accessibility violation;
- no answer box is in a monospace font, every link is underlined, and no heading is
  said twice in a row.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnerkit import catalog
from tests.helpers.accessibility import serious_violations
from tests.helpers.served_pages import (
    MAIN_PART,
    OPENED_BY_ROLE,
    PARAMS,
    assert_no_traceback,
    open_workbook,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
ZOOM_200 = {"width": 683, "height": 384}
PHONE = {"width": 320, "height": 640}
FIRST_FIELD = ("#rendered_cells input:not([type=hidden]), #rendered_cells textarea, "
               "#rendered_cells select, #rendered_cells .jupyter-widget-Collapse-header, "
               "#rendered_cells .jupyter-button")
"""What counts as a page's first field: the first thing to fill in, press or open that is
not part of the page's header (the "How to use" and "What this is" parts)."""
FIRST_PART = "#rendered_cells .jp-OutputArea-output"
READING_PAGES = {
    "reflective_log": "a page to read: its first part, the entries at a glance",
    "attendance": "its first part (the file as read) until the page takes an upload",
}
"""Pages with nothing to fill in at the top: their first part must be on the first screen."""
TWO_LINES = 48

CLIPPED = """() => {
  const boxes = document.querySelectorAll(
    "#rendered_cells button, #rendered_cells td, #rendered_cells th, " +
    "#rendered_cells .widget-label, #rendered_cells .jupyter-widget-Collapse-header, " +
    "#rendered_cells summary");
  const cut = [];
  for (const box of boxes) {
    if (!box.offsetParent || box.clientWidth === 0) continue;  // not on show
    const style = getComputedStyle(box);
    if (style.overflowX === "auto" || style.overflowX === "scroll") continue;  // scrolls
    if (box.scrollWidth > box.clientWidth + 1) {
      cut.push(box.tagName + ": " + box.textContent.trim().slice(0, 60) +
               " (" + box.scrollWidth + " > " + box.clientWidth + ")");
    }
  }
  return cut;
}"""

SIDEWAYS = """() => {
  const cells = document.querySelector("#rendered_cells");
  return Math.max(cells.scrollWidth - cells.clientWidth,
                  document.documentElement.scrollWidth - document.documentElement.clientWidth);
}"""

FIRST_BOTTOM = """(selector) => {
  const header = document.querySelector(".pk-page-top");
  for (const field of document.querySelectorAll(selector)) {
    if (!field.offsetParent || (header && header.contains(field))) continue;
    if (field.closest("details:not([open])")) continue;
    const box = field.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    return {top: box.top, bottom: box.bottom, what: field.outerHTML.slice(0, 120)};
  }
  return null;
}"""


LOOKS = """() => {
  const faults = [];
  const shown = (e) => e.offsetParent && e.getBoundingClientRect().width > 0;
  for (const box of document.querySelectorAll("#rendered_cells input, #rendered_cells textarea")) {
    if (shown(box) && /mono|courier/i.test(getComputedStyle(box).fontFamily)) {
      faults.push("an answer box in a monospace font: " + getComputedStyle(box).fontFamily);
    }
  }
  for (const link of document.querySelectorAll("#rendered_cells a[href]")) {
    if (shown(link) && !getComputedStyle(link).textDecorationLine.includes("underline")) {
      faults.push("a link that does not look like one: " + link.textContent.trim().slice(0, 40));
    }
  }
  const headings = [...document.querySelectorAll("#rendered_cells h1, #rendered_cells h2, " +
    "#rendered_cells h3, #rendered_cells h4")].filter(shown)
    .map(h => h.textContent.replace(/¶/g, "").trim());
  headings.forEach((text, i) => {
    if (i > 0 && text && text === headings[i - 1]) faults.push("a heading said twice: " + text);
  });
  return faults;
}"""
"""Looks staff were let down by: monospace answer boxes, links that look like grey
text, the same heading twice in a row."""


def look_at(page, viewport: dict, axe: bool) -> list[str]:
    """Every fault at one width: text cut off, sideways scrolling, axe's serious ones."""
    page.set_viewport_size(viewport)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    width = viewport["width"]
    faults = [f"{width} px: cut off: {cut}" for cut in page.evaluate(CLIPPED)]
    sideways = page.evaluate(SIDEWAYS)
    if sideways > 1:
        faults.append(f"{width} px: the page scrolls sideways by {sideways} px")
    if axe:
        faults += [f"{width} px: axe: {v}" for v in serious_violations(page)]
    return faults


def the_first_field_is_on_the_first_screen(page, workbook: str) -> None:
    found = page.evaluate(FIRST_BOTTOM, FIRST_PART if workbook in READING_PAGES else FIRST_FIELD)
    assert found is not None, "the page has no field, button or section to open"
    # A field wholly on the screen; of a part to read, its first two lines (48 px).
    end = found["top"] + TWO_LINES if workbook in READING_PAGES else found["bottom"]
    assert end <= LAPTOP["height"], (
        f"the first field ends {end:.0f} px down, below a 1366x768 screen: {found['what']}")


@pytest.mark.parametrize("workbook", [w.name for w in catalog.available()])
def test_every_page_fits_its_boxes_and_screen_at_every_width_and_is_accessible(
        browser, server, workbook):
    from tests.browser.conftest import signed_in_page
    from tests.serve.people import ADA, DEE

    person = DEE if workbook in OPENED_BY_ROLE else ADA
    page = signed_in_page(browser, server, person, viewport=LAPTOP)
    try:
        open_workbook(page, server, workbook, **PARAMS.get(workbook, {}))
        expect(page.locator(MAIN_PART[workbook]).first).to_be_visible()
        assert_no_traceback(page)
        expect(page.locator("details#pk-how > summary")).to_have_text("How to use this page")
        expect(page.locator("details#pk-how")).to_have_attribute("open", "")
        what = page.locator("details#pk-what")
        expect(what.locator("> summary")).to_have_text("What this is")
        assert what.get_attribute("open") is None, "the introduction is open"
        the_first_field_is_on_the_first_screen(page, workbook)
        page.wait_for_selector("html[data-pk-tidy]", state="attached")  # settled
        faults = page.evaluate(LOOKS)
        faults += look_at(page, LAPTOP, axe=True)
        faults += look_at(page, ZOOM_200, axe=False)
        faults += look_at(page, PHONE, axe=True)
        assert faults == []
    finally:
        page.context.close()


def test_a_link_in_a_forms_error_summary_takes_the_keyboard_to_the_field(page, server):
    open_workbook(page, server, "mapping_tool", pupil="P-1005")
    stage = page.get_by_label("Stage", exact=True)
    stage.fill("S2 and then some more words")
    summary = page.locator(".pk-error-summary").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name="Stage:")
    expect(link).to_contain_text("20")
    live = page.locator(".pk-form-status .widget-html-content[aria-live=polite]")
    expect(live.first).to_be_attached()
    page.get_by_label("Gender", exact=True).focus()
    link.click()
    expect(stage).to_be_focused()
    stage.fill("S3")
    expect(summary).to_have_count(0)


def test_a_field_without_help_shows_its_error_under_it_and_clears_it(page, server):
    # Gender has no help, so it has no line under it until it has something to say.
    open_workbook(page, server, "mapping_tool", pupil="P-1005")
    field = page.locator(".pk-field-gender")
    expect(field.locator(".widget-html")).to_have_count(0)
    page.get_by_label("Gender", exact=True).fill("x" * 101)
    expect(field.get_by_role("alert")).to_contain_text("Gender")
    page.get_by_label("Gender", exact=True).fill("Boy")
    expect(field.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Gender", exact=True)).to_have_value("Boy")


def test_the_how_to_use_part_stays_closed_once_closed(page, server):
    open_workbook(page, server, "principles")
    page.locator("details#pk-how > summary").click()
    expect(page.locator("details#pk-how")).not_to_have_attribute("open", "")
    open_workbook(page, server, "six_steps", **PARAMS["six_steps"])
    expect(page.locator("details#pk-how > summary")).to_be_visible()
    assert page.locator("details#pk-how").get_attribute("open") is None


def test_a_table_box_that_comes_to_scroll_becomes_a_keyboard_stop_without_a_content_change(
        page, server):
    # The cohort's table of activities fits a laptop; its box then narrows by a style
    # change alone (as when a font or a style sheet arrives late), with no element added
    # to the page. The box now scrolls sideways, so it must become a named stop for the
    # keyboard; when it fits again, it stops being one.
    page.set_viewport_size(LAPTOP)
    open_workbook(page, server, "cohort")
    box = page.locator(".pk-table-box").filter(has_text="Practitioners who completed each")
    expect(box).to_be_visible()
    page.wait_for_selector("html[data-pk-tidy]", state="attached")
    expect(box).not_to_have_attribute("tabindex", "0")
    box.evaluate("box => { box.style.width = '200px'; }")
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("aria-label", re.compile(r"\(scrolls sideways\)$"))
    box.evaluate("box => { box.style.width = ''; }")
    expect(box).not_to_have_attribute("tabindex", "0")
