"""Task: a practitioner answers two reflective questions and finds them in their log.

The demo teacher opens the module page in real Chromium, opens "Reflective Task:
Effective collaboration" and answers its first two questions ("What works well?" and
the next), leaving each box. The store holds both answers, written by the teacher, and
no one else. Reloaded, the module page shows them again, and so does the teacher's
reflective log page. Another practitioner of the same school (the demo youth worker)
finds neither on the module page nor in their own log (the isolation helpers read the
store as an admin would).
"""

from __future__ import annotations

import base64
import re
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit.content import load_content
from partnerkit.demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import signed_in_page
from tests.helpers.isolation import records_holding, wait_for_widgets
from tests.helpers.served_pages import (
    assert_no_traceback,
    form_of,
    open_section,
    open_workbook,
    status_of,
    wait_for_page,
)

pytestmark = pytest.mark.browser

TASK = "module6.task_effective_collaboration"
SECTION = load_content().item(TASK).title or ""


def answers() -> tuple[str, str]:
    """Two answers no other test types (a marker of this run in each)."""
    mark = uuid.uuid4().hex[:8]
    return (f"Shared lunches with the youth workers [{mark}-1]",
            f"A weekly note to families through the app [{mark}-2]")


def boxes(tab):
    """The section's first two "Your reflection" boxes (its first two questions)."""
    section = open_section(tab, SECTION)   # built when opened
    box = section.get_by_label("Your reflection", exact=True)
    return box.nth(0), box.nth(1)


def log_text(tab) -> str:
    """The text of the reflective log page's document (shown in a frame)."""
    frame = tab.frame_locator("iframe[title='Reflective log']").first
    return frame.locator("body").inner_text()


def assert_made_when_asked(tab, *texts: str) -> None:
    """The log page makes its documents when its button is pressed; they hold ``texts``."""
    links = tab.get_by_role("link", name=re.compile(r"^download reflective-log-"))
    expect(links).to_have_count(0)
    tab.get_by_role("button", name="Make my log (Word, PDF and web page)").click()
    expect(links).to_have_count(3, timeout=60_000)
    pdf = tab.get_by_role("link", name=re.compile(r"\.pdf$"))
    assert pdf.get_attribute("href").startswith("data:application/pdf;base64,JVBERi")
    web = tab.get_by_role("link", name=re.compile(r"\.html$")).get_attribute("href")
    page = base64.b64decode(web.split(",", 1)[1]).decode("utf-8")
    assert all(text in page for text in texts)


def test_a_practitioners_answers_are_kept_and_only_theirs(browser, server):
    first, second = answers()
    teacher = signed_in_page(browser, server, "demo-teacher", DEMO_PASSWORD)
    other = signed_in_page(browser, server, "demo-partner", DEMO_PASSWORD)
    try:
        open_workbook(teacher, server, "collaborative_working")
        for box, text in zip(boxes(teacher), (first, second), strict=True):
            box.fill(text)
            box.press("Tab")
            expect(status_of(form_of(teacher, box))).to_contain_text("Saved at")
        for text, prompt in ((first, f"{TASK}.1"), (second, f"{TASK}.2")):
            (found,) = records_holding(server.data, "demo", "log_entry", text)
            assert found.data["task"] == prompt and found.data["text"] == text
            assert (found.updated_by, found.last_author) == ("demo-teacher", "demo-teacher")

        teacher.reload()
        wait_for_page(teacher)
        one, two = boxes(teacher)
        expect(one).to_have_value(first)
        expect(two).to_have_value(second)
        open_workbook(teacher, server, "reflective_log")
        wait_for_widgets(teacher)
        shown = log_text(teacher)
        assert first in shown and second in shown
        assert_made_when_asked(teacher, first, second)

        open_workbook(other, server, "collaborative_working")
        one, two = boxes(other)
        expect(one).not_to_have_value(first)
        expect(two).not_to_have_value(second)
        open_workbook(other, server, "reflective_log")
        wait_for_widgets(other)
        assert first not in log_text(other) and second not in log_text(other)
        assert first not in other.content() and second not in other.content()
        assert_no_traceback(teacher)
        assert_no_traceback(other)
    finally:
        teacher.context.close()
        other.context.close()
