"""Task: a school lead loads their own attendance export on the page, as a person would.

The demo school lead opens the attendance page in real Chromium, chooses an export the
test writes (its pupil column is headed "Learner", which no export list knows), matches
that heading in the page, sets the threshold to 85%, loads it and sees who is flagged.
Then they reload the page: the match is remembered (shown on the page, and chosen again
when the export is chosen again) and so is the threshold. A file of the wrong kind and a
bad date are refused with a plain message and nothing of them is shown.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.store import Store
from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_workbook, wait_for_page

pytestmark = pytest.mark.browser

DAYS = [dt.date(2024, 9, 2) + dt.timedelta(days=n) for n in range(5)]  # Monday to Friday
ABSENT = {"P-2001": 0, "P-2002": 2, "P-2003": 1}  # openings missed of ten: 100%, 80%, 90%


def export_text() -> str:
    """Ten half-day marks per pupil; the first openings of each absent pupil are missed."""
    lines = ["Learner,Date,Session,Attendance Code"]
    for pupil, missed in ABSENT.items():
        openings = [(day, session) for day in DAYS for session in ("AM", "PM")]
        for number, (day, session) in enumerate(openings):
            code = "31" if number < missed else "10"
            lines.append(f"{pupil},{day:%d/%m/%Y},{session},{code}")
    return "\n".join(lines) + "\n"


def lead_page(browser, server):
    """A tab signed in as the demo school lead (demo-lead), on a laptop-sized screen."""
    return signed_in_page(browser, server, "demo-lead", DEMO_PASSWORD,
                          viewport={"width": 1366, "height": 768})


def remembered(server) -> dict:
    store = Store(data=server.data)
    try:
        stored = store.get("demo", "attendance_settings", "export")
        return stored.data if stored else {}
    finally:
        store.close()


def choose_file(tab, path) -> None:
    """Press the page's file button and choose ``path`` in the file chooser it opens."""
    with tab.expect_file_chooser() as chooser:
        tab.locator(".jupyter-widget-upload, .widget-upload").first.click()
    chooser.value.set_files(str(path))


def test_a_lead_loads_an_export_maps_a_heading_and_finds_it_remembered(browser, server,
                                                                       tmp_path):
    export = tmp_path / "glenbrae-export.csv"
    export.write_text(export_text(), encoding="utf-8")
    tab = lead_page(browser, server)
    try:
        open_workbook(tab, server, "attendance")
        choose_file(tab, export)
        expect(tab.get_by_text("Match the headings of glenbrae-export.csv")).to_be_visible()
        pupil = tab.get_by_label("Pupil reference", exact=True)
        expect(pupil).to_have_value("— not in my file —")   # not recognised: the person says
        pupil.select_option("Learner")
        threshold = tab.get_by_label("Low attendance threshold (%)")
        threshold.fill("85")
        threshold.press("Enter")
        tab.get_by_role("button", name="Load the export and show who is flagged").click()
        expect(tab.get_by_text("✓ Loaded 3 pupils from glenbrae-export.csv: 1 at or below "
                               "85%")).to_be_visible()
        expect(tab.get_by_role("link", name="Map of P-2002")).to_be_visible()
        expect(tab.get_by_role("link", name="Map of P-2003")).to_have_count(0)
        settings = remembered(server)
        assert settings["columns"]["pupil"] == "Learner" and settings["threshold"] == 0.85

        tab.reload()
        wait_for_page(tab)
        note = tab.locator(".pk-help", has_text="Last time (glenbrae-export.csv)")
        expect(note).to_contain_text("Learner for pupil reference")
        expect(note).to_contain_text("at or below 85%")
        expect(tab.get_by_label("Low attendance threshold (%)")).to_have_value("85")
        choose_file(tab, export)
        expect(tab.get_by_label("Pupil reference", exact=True)).to_have_value("Learner")
        assert_no_traceback(tab)
    finally:
        tab.context.close()


def test_a_bad_file_is_refused_whole_with_a_plain_message(browser, server, tmp_path):
    wrong = tmp_path / "register.pdf"
    wrong.write_bytes(b"%PDF-1.4 not an export")
    bad_date = tmp_path / "bad-date.csv"
    bad_date.write_text(export_text().replace("03/09/2024,AM,10", "31/02/2024,AM,10", 1),
                        encoding="utf-8")
    tab = lead_page(browser, server)
    try:
        open_workbook(tab, server, "attendance")
        choose_file(tab, wrong)
        expect(tab.get_by_role("alert")).to_contain_text(
            "Nothing was loaded from register.pdf. register.pdf: this is not a CSV or Excel")
        choose_file(tab, bad_date)
        tab.get_by_label("Pupil reference", exact=True).select_option("Learner")
        tab.get_by_role("button", name="Load the export and show who is flagged").click()
        alert = tab.get_by_role("alert")
        expect(alert).to_contain_text("Nothing was loaded from bad-date.csv")
        expect(alert).to_contain_text("row 4")
        expect(alert).to_contain_text("'31/02/2024' is not a date")
        expect(tab.get_by_role("link", name="Map of P-2002")).to_have_count(0)
        assert_no_traceback(tab)
    finally:
        tab.context.close()
