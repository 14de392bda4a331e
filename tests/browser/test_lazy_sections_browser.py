"""Sections built when opened, in a real browser: by keyboard, saved, and there again.

The mapping page's reflective questions are sections: each shows its question as a
heading (a keyboard button that says whether it is open) and builds its answer form
only when it is opened. The map is drawn only when its section is opened.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit.content import load_content
from partnerkit.mapping_tool import views
from partnerkit.store import Store
from tests.helpers.served_pages import open_workbook, section_header, status_of, wait_for_page

pytestmark = pytest.mark.browser

PUPIL = "P-1005"
QUESTION = "mapping_tool.question.2"


def answer_stored(server) -> str | None:
    store = Store(data=server.data)
    try:
        record = store.get("demo", "answer", f"{PUPIL}/{QUESTION}")
        return None if record is None else record.data["text"]
    finally:
        store.close()


def wait_until_stored(server, text: str, timeout: float = 60) -> None:
    """Wait until the store holds ``text`` as the answer (the page's kernel saved it)."""
    deadline = time.monotonic() + timeout
    while answer_stored(server) != text:
        assert time.monotonic() < deadline, f"{text!r} never reached the store"
        time.sleep(0.2)


def question_header(page):
    """The heading of the second reflective question, once the page has drawn it."""
    item = load_content().item(QUESTION)
    header = section_header(page, f"{item.number}. {item.text}")
    expect(header).to_be_visible(timeout=120_000)
    return header


def mark_of(header) -> str:
    """The mark drawn before a heading: ▸ closed, ▾ open (what "How to use" points to)."""
    return header.locator("i").evaluate(
        "i => getComputedStyle(i, '::before').content.replaceAll('\"', '')")


def open_by_keyboard(page, header) -> None:
    """Check the heading is a closed keyboard button marked ▸, focus it, open it with
    Enter; it is then marked ▾.

    (The page makes headings keyboard buttons once it has been still for a moment.)
    """
    expect(header).to_have_attribute("role", "button")
    expect(header).to_have_attribute("aria-expanded", "false")
    assert mark_of(header) == "▸"
    header.focus()
    expect(header).to_be_focused()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-expanded", "true")
    expect(header).to_be_focused()          # focus stays on the heading it opened
    assert mark_of(header) == "▾"


def test_a_section_opened_by_keyboard_builds_its_form_and_the_answer_is_saved(page, server):
    open_workbook(page, server, "mapping_tool", pupil=PUPIL)
    header = question_header(page)
    body = header.locator("xpath=..").locator(".jupyter-widget-Collapse-contents")
    assert body.locator("textarea").count() == 0, "nothing is built before it opens"
    open_by_keyboard(page, header)
    answer = body.locator("textarea")
    expect(answer).to_be_visible()
    page.keyboard.press("Tab")              # Tab goes on into the section's form
    expect(answer).to_be_focused()
    text = f"Ask the school nurse to the next review {uuid.uuid4().hex[:6]}"
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(status_of(body.locator(".pk-form"))).to_contain_text("Saved at")
    wait_until_stored(server, text)

    page.reload()
    wait_for_page(page)
    header = question_header(page)
    open_by_keyboard(page, header)
    body = header.locator("xpath=..").locator(".jupyter-widget-Collapse-contents")
    expect(body.locator("textarea")).to_have_value(text)


def test_the_map_is_drawn_when_its_section_opens_with_alternative_text(page, server):
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    header = section_header(page, views.MAP_SECTION)
    expect(header).to_be_visible(timeout=120_000)
    body = header.locator("xpath=..").locator(".jupyter-widget-Collapse-contents")
    assert body.locator("img").count() == 0, "nothing is drawn before it opens"
    open_by_keyboard(page, header)
    drawing = body.locator("img.pk-figure")
    expect(drawing).to_be_visible(timeout=120_000)
    expect(drawing).to_have_attribute("alt", re.compile(r"\S"))
