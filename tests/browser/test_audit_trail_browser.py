"""The audit trail page in a real browser: the data-protection lead sees who opened a map."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_workbook
from tests.serve.people import ANN, DEE

pytestmark = pytest.mark.browser


def test_the_dp_lead_sees_a_teacher_open_a_pupils_map(browser, server, tmp_path):
    teacher = signed_in_page(browser, server, ANN)
    open_workbook(teacher, server, "mapping_tool", pupil="P-1004")
    teacher.context.close()
    lead = signed_in_page(browser, server, DEE)
    try:
        open_workbook(lead, server, "audit_trail")
        expect(lead.locator(".pk-audit-ok")).to_contain_text("The audit trail is intact")
        lead.get_by_label("Pupil reference").fill("P-1004")
        lead.get_by_role("button", name="Show entries").click()
        newest = lead.locator("table.pk-data-table tbody tr").first
        expect(newest).to_contain_text("audit-read")  # this very look, itself audited
        expect(newest).to_contain_text("pupil=P-1004")
        cells = lead.locator("table.pk-data-table tbody tr td:nth-child(5)").all_inner_texts()
        assert cells and all(c.startswith("P-1004") for c in cells), cells
        row = lead.locator("table.pk-data-table tr", has_text="ann.teacher").filter(
            has_text="pupil_profile").first
        expect(row).to_contain_text("P-1004")
        expect(row).to_contain_text("page")
        expect(lead.get_by_role("link", name="as CSV")).to_be_visible()
        assert_no_traceback(lead)
        if os.environ.get("PARTNERKIT_SCREENSHOTS"):
            lead.screenshot(path=os.environ["PARTNERKIT_SCREENSHOTS"], full_page=True)
    finally:
        lead.context.close()
