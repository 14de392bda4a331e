"""Only finished values reach the store: a date and a number typed key by key in Chromium.

Each save moves the record's version on by one, even a save that amends the last history
entry, so the version counts every value that reached the store: a date typed key by
key (day/month/year, in a British browser) must move it by exactly one, and the history
must hold no value but the old and the finished one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerkit.records.plan import PlanSettings
from partnerkit.reports.text import format_date
from partnerkit.store import Store
from tests.helpers.served_pages import open_section, open_workbook, status_of, wait_for_page
from tests.serve.running import free_port, wait_until_up

pytestmark = pytest.mark.browser

ITEM = "six_steps.4.1"  # in progress in the demo plan, with a due date; no other test edits it
REPO = Path(__file__).resolve().parents[2]
TYPING_DELAY_MS = 120  # between keys: quicker than the form's pause, as a person types


def progress(server) -> tuple[int, dt.date | None, list]:
    """The item's version, due date and history as the store holds them now."""
    store = Store(data=server.data)
    try:
        record = store.get("demo", "checklist_progress", ITEM)
        history = store.history("demo", "checklist_progress", ITEM)
        due = record.data["due"]
        return record.version, due and dt.date.fromisoformat(due), history
    finally:
        store.close()


def wait_for_due(server, day: dt.date, timeout: float = 60) -> None:
    """Wait until the store holds ``day`` as the item's due date (the kernel saved it)."""
    deadline = time.monotonic() + timeout
    while progress(server)[1] != day:
        assert time.monotonic() < deadline, f"{day} never reached the store"
        time.sleep(0.2)


def plan_start(server) -> dt.date:
    store = Store(data=server.data)
    try:
        return PlanSettings.model_validate(store.get("demo", "plan_settings", "plan").data).start
    finally:
        store.close()


def type_date(field, day: str) -> None:
    """Type a date over what a date box holds, one key at a time, and leave the box.

    The box reads day/month/year (``02/10/2026``), whatever the browser's locale.
    """
    field.focus()
    field.press("Control+A")
    field.press_sequentially(day, delay=TYPING_DELAY_MS)
    field.press("Tab")


def test_a_due_date_typed_key_by_key_reaches_the_store_only_when_finished(page, server):
    version, old_due, history_before = progress(server)
    wanted = plan_start(server) + dt.timedelta(days=45)
    if wanted == old_due:
        wanted += dt.timedelta(days=1)
    later = wanted + dt.timedelta(days=40 if wanted.day != 10 else 41)
    open_workbook(page, server, "six_steps", step="4")
    open_section(page, "Record progress on item 4.1")  # built when opened
    item = page.locator(".pk-item").filter(has=page.locator(f"[id='{ITEM}']"))
    due = item.get_by_label("Due date", exact=True)
    message = item.locator(".pk-field").filter(
        has=page.get_by_label("Due date", exact=True)).locator(".pk-error")
    status = status_of(item.locator(".pk-form"))

    # Left in the middle of the year: nothing saved, and the form says what is kept.
    type_date(due, "01/01/202")
    expect(message).to_contain_text("the year is not finished")
    expect(status).to_contain_text(f"The stored value is still {format_date(old_due)}")
    assert progress(server)[:2] == (version, old_due)

    # Typed in full, twice: each date saved once, when left, and nothing between.
    # (Typing the second over the first passes through whole dates such as the new
    # day with the old month and year, and the years 2, 20 and 202.)
    for number, day in enumerate((wanted, later), start=1):
        type_date(due, day.strftime("%d/%m/%Y"))
        expect(due).to_have_value(day.strftime("%d/%m/%Y"))
        wait_for_due(server, day)  # any value on the way would have been saved before it
        assert progress(server)[:2] == (version + number, day)
        expect(status).to_contain_text("Saved at")
        expect(message).to_have_count(0)

    # The 01/01/2020: before the plan starts, so refused, and nothing on the way.
    type_date(due, "01/01/2020")
    expect(message).to_contain_text("before the plan starts")
    expect(status).to_contain_text(f"The stored value is still {format_date(later)}")
    now_version, now_due, history = progress(server)
    assert (now_version, now_due) == (version + 2, later)
    # (Ada's saves within minutes share one history entry, so ``wanted`` may be amended.)
    assert dues_in(history) <= dues_in(history_before) | {wanted.isoformat(), later.isoformat()}
    assert history[-1].after["due"] == later.isoformat()


def dues_in(history: list) -> set[str]:
    """Every due date a history holds, before or after any of its changes."""
    return {change.get("due") for c in history for change in (c.before, c.after)
            if change and change.get("due")}


# --- a number field, in a page of its own (no workbook has one yet) --------------------

NUMBER_NOTEBOOK = '''
from pydantic import Field
from partnerkit.forms import record_form
from partnerkit.records.base import Record
from partnerkit.store import Store

class Tally(Record):
    kind = "test_tally"
    sessions: int = Field(0, title="Sessions attended", ge=0, le=500)
    def record_key(self):
        return "tally"

store = Store(data={data!r})
store.ensure_workspace("school")
record_form(Tally, store=store, workspace="school", author="Ann")
'''


@pytest.fixture(scope="module")
def number_page_url(tmp_path_factory, chromium_path):
    """Plain Voilà serving one form with a number field, over a store in ``data``."""
    root = tmp_path_factory.mktemp("number")
    data = root / "data"
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None,
                           "source": NUMBER_NOTEBOOK.format(data=str(data))}],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                            "language": "python"}},
                "nbformat": 4, "nbformat_minor": 5}
    (root / "tally.ipynb").write_text(json.dumps(notebook))
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])}
    with (root / "voila.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "voila", "tally.ipynb", "--no-browser", f"--port={port}",
             "--Voila.ip=127.0.0.1"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_up(url, process)
        yield url, data
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_number_typed_digit_by_digit_is_saved_once_when_left(browser, number_page_url):
    url, data = number_page_url
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(url, timeout=180_000)
        wait_for_page(tab)
        field = tab.get_by_label("Sessions attended", exact=True)
        field.focus()
        field.press_sequentially("125", delay=TYPING_DELAY_MS)
        field.press("Tab")
        expect(status_of(tab.locator(".pk-form"))).to_contain_text("Saved at")
        store = Store(data=data)
        try:
            record = store.get("school", "test_tally", "tally")
            history = store.history("school", "test_tally", "tally")
        finally:
            store.close()
        assert record.data["sessions"] == 125
        assert record.version == 1  # one save: not 1, then 12, then 125
        assert [(c.before, c.after["sessions"]) for c in history] == [(None, 125)]
    finally:
        context.close()
