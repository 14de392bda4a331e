"""The data-protection page in a real browser: a correction, a retention erase and a backup.

Its own server: the demo school (one workspace, so the data-protection lead may take a
backup of the whole store away) with Dee as its data-protection lead, P-1005 left in 2015
(everything of theirs is due) and P-1004 left in 2015 under a legal hold (skipped, and
named). Dee corrects P-1001's stage, erases what is due and makes a backup she downloads.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from partnerkit import accounts
from partnerkit.demo import create_demo
from partnerkit.records import save_record
from partnerkit.records.protection import LegalHold, PupilLeft
from partnerkit.store import open_store
from tests.browser.conftest import running_server, signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_section, open_workbook
from tests.serve.people import DEE, PASSWORD

pytestmark = pytest.mark.browser

PHRASE = "harbour lantern pebble quiet"


def _prepare(data) -> None:
    """The demo school, Dee its data-protection lead, two pupils who left in 2015."""
    create_demo(data=data)
    store = open_store(data)
    try:
        accounts.add_user(store, DEE.username, DEE.name, "dp_lead", "demo", by="tests",
                          password=PASSWORD)
        for pupil in ("P-1004", "P-1005"):
            save_record(store, "demo", PupilLeft(pupil=pupil, left_on=dt.date(2015, 6, 30)),
                        "tests")
        save_record(store, "demo", LegalHold(pupil="P-1004", reason="tribunal pending"),
                    "tests")
    finally:
        store.close()


def _picture(part, name: str) -> None:
    """With $PARTNERKIT_SCREENSHOTS (a folder), a picture of the section, to look at."""
    folder = os.environ.get("PARTNERKIT_SCREENSHOTS")
    if folder:
        part.screenshot(path=os.path.join(folder, f"data-protection-{name}.png"))


@pytest.fixture(scope="module")
def dp_server(tmp_path_factory, chromium_path):
    with running_server(tmp_path_factory.mktemp("dp-serve"), "--pool", "0", "--pool",
                        "data_protection=1",
                        prepare=_prepare) as running:
        yield running


def test_the_dp_lead_corrects_erases_what_is_due_and_makes_a_backup(browser, dp_server,
                                                                       tmp_path):
    tab = signed_in_page(browser, dp_server, DEE, accept_downloads=True)
    try:
        open_workbook(tab, dp_server, "data_protection", pupil="P-1001")
        body = open_section(tab, "Correct a record")
        body.get_by_label("Record").select_option(label="Profile (P-1001)")
        body.get_by_label("Field").select_option(label="Stage")
        expect(body.get_by_text("Now: S2")).to_be_visible()
        body.get_by_label("The right value").fill("S3")
        body.get_by_label("Reason for the correction").fill("typed in the wrong year")
        body.get_by_role("button", name="Check the correction").click()
        expect(body.get_by_text("after:  S3")).to_be_visible()
        body.get_by_role("button", name="Yes, make this correction").click()
        expect(body.get_by_text("Corrected Stage of Profile (P-1001)")).to_be_visible()
        _picture(body, "correction")

        body = open_section(tab, "Retention: what is due, and erasing it")
        expect(body.locator("table.pk-data-table")).to_contain_text("P-1005")
        body.get_by_role("button", name="Check what would be erased").click()
        plan = body.locator(".pk-confirm-step")
        expect(plan).to_contain_text("P-1005: everything held is due")
        expect(plan).to_contain_text("P-1004: skipped, under a legal hold")
        body.get_by_role("button", name="Yes, erase what is due").click()
        expect(body.get_by_text("Erased pupil P-1005")).to_be_visible(timeout=60_000)
        expect(body.locator("table.pk-data-table")).not_to_contain_text("P-1005")  # redrawn
        expect(plan).to_have_count(0)
        _picture(body, "retention")

        body = open_section(tab, "Backups: make one now, restore, check one")
        body.get_by_label("Passphrase", exact=True).fill(PHRASE)
        body.get_by_label("The same passphrase again").fill(PHRASE)
        body.get_by_role("button", name="Make an encrypted backup now").click()
        expect(body.get_by_text("Made the encrypted backup")).to_be_visible(timeout=60_000)
        assert PHRASE not in tab.content()
        link = body.locator("a[download$='.pkbackup']")
        with tab.expect_download() as caught:
            link.click()
        saved = tmp_path / caught.value.suggested_filename
        caught.value.save_as(saved)
        [made] = (dp_server.data / "backups").glob("*.pkbackup")
        assert made.stat().st_mode & 0o777 == 0o600
        assert saved.read_bytes() == made.read_bytes()
        assert_no_traceback(tab)
        _picture(body, "backup")
    finally:
        tab.context.close()
    store = open_store(dp_server.data)
    try:
        assert store.get("demo", "pupil_profile", "P-1001").data["stage"] == "S3"
        assert store.get("demo", "pupil_profile", "P-1005") is None
        assert store.get("demo", "pupil_profile", "P-1004") is not None
        done = {e.action for e in store.audit_entries(account=DEE.username)}
        assert {"correct", "retention", "backup"} <= done, done
    finally:
        store.close()
