"""Task: a teacher records a stage of a pupil's staged support plan, as a person would.

A pupil of the demo school has a real name kept apart (an admin gave it). The demo
teacher opens that pupil's staged support plan in real Chromium, opens the "Review of
progress" stage, chooses the targeted level, writes the concern in its notes and types a
review date (day/month/year, key by key). The store then holds the stage, the concern
and the date, written by the teacher; the page names the pupil by their reference
only, never by the real name, and its plan table shows the date as "2 October 2026".
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect

from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.reports.text import format_date
from partnerkit.staged_support.rules import stage_item
from partnerkit.store import Store
from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_workbook, status_of

pytestmark = pytest.mark.browser

PUPIL = "P-1004"  # no other browser test changes this pupil's staged support
REAL_NAME = "Rowan Testname-Private"
STAGE = "review"
CONCERN = "Late on Mondays again since the bus route changed; check in with mum"
REVIEW = dt.date(2026, 11, 23)


@pytest.fixture
def named_pupil(server):
    """The pupil's real name kept apart in the store (as an admin sets it), then removed."""
    store = Store(data=server.data)
    try:
        store.set_real_name("demo", PUPIL, REAL_NAME, "demo-admin")
    finally:
        store.close()
    yield PUPIL
    store = Store(data=server.data)
    try:
        store.set_real_name("demo", PUPIL, None, "demo-admin")
    finally:
        store.close()


def stage_record(server) -> tuple[dict | None, str | None]:
    """The stage's stored data and who wrote it last, or (None, None)."""
    store = Store(data=server.data)
    try:
        record = store.get("demo", "staged_support_plan", f"{PUPIL}/{STAGE}")
        return (record.data, record.updated_by) if record else (None, None)
    finally:
        store.close()


def wait_for_stage(server, timeout: float = 60) -> tuple[dict, str]:
    deadline = time.monotonic() + timeout
    while True:
        data, by = stage_record(server)
        if data and (data["level"], data["notes"], data["review_date"]) == (
                "targeted", CONCERN, REVIEW.isoformat()):
            return data, by
        assert time.monotonic() < deadline, f"the store holds {data}, not what was entered"
        time.sleep(0.2)


def test_a_teacher_records_a_stage_a_concern_and_a_review_date(browser, server, named_pupil):
    item = stage_item(STAGE)
    tab = signed_in_page(browser, server, "demo-teacher", DEMO_PASSWORD,
                         viewport={"width": 1366, "height": 768})
    try:
        open_workbook(tab, server, "staged_support", pupil=named_pupil)
        header = tab.locator(".jupyter-widget-Collapse-header").filter(
            has_text=f"{item.number} — {item.text}")
        header.click()
        stage = header.locator("xpath=..").locator(".jupyter-widget-Collapse-contents")
        form = stage.locator(".pk-form").first
        form.get_by_role("radio", name=re.compile("targeted", re.IGNORECASE)).check()
        notes = form.get_by_label("Notes", exact=True)
        notes.press_sequentially(CONCERN, delay=5)
        review = form.get_by_label("Review date", exact=True)
        review.focus()
        review.press_sequentially(REVIEW.strftime("%d/%m/%Y"), delay=60)
        review.press("Tab")
        data, by = wait_for_stage(server)
        assert (data["pupil"], data["stage"], by) == (PUPIL, STAGE, "demo-teacher")
        expect(status_of(form)).to_contain_text("Saved at")

        open_workbook(tab, server, "staged_support", pupil=named_pupil)   # opened again
        table = tab.locator("table").filter(has_text="Review date").first
        expect(table).to_contain_text(format_date(REVIEW))      # "23 November 2026"
        expect(tab.locator("body")).to_contain_text(PUPIL)
        assert REAL_NAME not in tab.content()
        assert "Testname" not in tab.locator("body").inner_text()
        assert_no_traceback(tab)
    finally:
        tab.context.close()
