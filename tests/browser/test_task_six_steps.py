"""Task: a school lead records progress on a step of the plan, as a person would.

The demo school lead opens step 5 of the partnership plan in real Chromium (a browser set
to American English: the date box still reads day/month/year), opens item 5.2 and types
its owner, the action taken (its evidence) and a due date key by key as 02/10/2026 is
written in Scotland, then marks the item done. The store then holds exactly those
values, and the item's history holds no date but the finished one (nothing typed on the
way was saved). The step's PDF, as ``partnerkit render`` makes it from the store, states
the due date as "2 October 2026".
"""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.records.plan import PlanSettings
from partnerkit.reports.text import format_date
from partnerkit.six_steps import plan_report_html
from partnerkit.store import Store
from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_section, open_workbook, status_of

pytestmark = pytest.mark.browser

ITEM = "six_steps.5.2"  # not in the demo plan; no other browser test edits it
OWNER = "Ms Ferguson (family learning)"
ACTION = "Joint home visits agreed with the Family Learning Team"
TYPING_DELAY_MS = 60


def stored(server) -> tuple[dict | None, list]:
    """The item's progress record (its data) and its history, as the store holds them."""
    store = Store(data=server.data)
    try:
        record = store.get("demo", "checklist_progress", ITEM)
        return (record.data if record else None,
                store.history("demo", "checklist_progress", ITEM))
    finally:
        store.close()


def wait_for(server, check, timeout: float = 60) -> dict:
    """Wait until the item's stored data passes ``check`` (the kernel saved it)."""
    deadline = time.monotonic() + timeout
    while True:
        data, _ = stored(server)
        if data is not None and check(data):
            return data
        assert time.monotonic() < deadline, f"the store never held what was typed: {data}"
        time.sleep(0.2)


def due_day(server) -> dt.date:
    """A due date some weeks into the plan (a due date before the plan starts is refused)."""
    store = Store(data=server.data)
    try:
        start = PlanSettings.model_validate(store.get("demo", "plan_settings", "plan").data).start
    finally:
        store.close()
    day = start + dt.timedelta(days=75)
    return day if day.day > 12 else day + dt.timedelta(days=13)   # day and month differ


def step_pdf_text(server) -> str:
    """The text of step 5's PDF, made from the store as ``partnerkit render`` makes it."""
    store = Store(data=server.data)
    try:
        pdf = reports.html_to_pdf(plan_report_html(store, "demo", step=5))
    finally:
        store.close()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_a_lead_records_an_item_done_with_an_owner_and_a_british_due_date(browser, server):
    day = due_day(server)
    tab = signed_in_page(browser, server, "demo-lead", DEMO_PASSWORD, locale="en-US",
                         viewport={"width": 1366, "height": 768})
    try:
        open_workbook(tab, server, "six_steps", step="5")
        open_section(tab, "Record progress on item 5.2")   # built when opened
        item = tab.locator(".pk-item").filter(has=tab.locator(f"[id='{ITEM}']"))
        form = item.locator(".pk-form")
        owner = item.get_by_label("Owner", exact=True)
        owner.press_sequentially(OWNER, delay=10)
        item.get_by_label("Evidence", exact=True).fill(ACTION)
        due = item.get_by_label("Due date", exact=True)
        expect(due).to_have_attribute("placeholder", "dd/mm/yyyy")
        due.focus()
        due.press_sequentially(day.strftime("%d/%m/%Y"), delay=TYPING_DELAY_MS)
        due.press("Tab")                                     # leaves the box: now it counts
        expect(due).to_have_value(day.strftime("%d/%m/%Y"))
        item.get_by_label("Status", exact=True).select_option(label="Done")
        data = wait_for(server, lambda d: d["status"] == "done")
        expect(status_of(form)).to_contain_text("Saved at")
        assert (data["owner"], data["evidence"], data["due"]) == (OWNER, ACTION, day.isoformat())

        _, history = stored(server)
        assert {change.get("due") for entry in history
                for change in (entry.before, entry.after) if change} <= {None, day.isoformat()}
        assert history[-1].after["status"] == "done" and history[-1].author == "demo-lead"
        assert_no_traceback(tab)
    finally:
        tab.context.close()

    text = step_pdf_text(server)
    assert format_date(day) in text              # "2 October 2026", as a person writes it
    assert day.isoformat() not in text and day.strftime("%d/%m/%Y") not in text
    assert OWNER in text and "Done" in text


def test_a_date_that_is_not_one_is_refused_and_says_how_to_write_it(browser, server):
    before, _ = stored(server)
    tab = signed_in_page(browser, server, "demo-lead", DEMO_PASSWORD)
    try:
        open_workbook(tab, server, "six_steps", step="5")
        open_section(tab, "Record progress on item 5.3")
        item = tab.locator(".pk-item").filter(has=tab.locator("[id='six_steps.5.3']"))
        due = item.get_by_label("Due date", exact=True)
        due.fill("31/02/2027")
        due.press("Tab")
        message = item.locator(".pk-field").filter(
            has=tab.get_by_label("Due date", exact=True)).locator(".pk-error")
        expect(message).to_contain_text("'31/02/2027' is not a date: February 2027 has 28 days")
        expect(message).to_contain_text("for example 02/10/2026")
        expect(status_of(item.locator(".pk-form"))).to_contain_text("Not saved")
        assert_no_traceback(tab)
    finally:
        tab.context.close()
    store = Store(data=server.data)
    try:
        assert store.get("demo", "checklist_progress", "six_steps.5.3") is None
    finally:
        store.close()
    assert stored(server)[0] == before
