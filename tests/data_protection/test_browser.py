"""The "Subject access and erasure" page in a real browser, for the demo data-protection lead."""

from __future__ import annotations

from tests.browser.conftest import (  # noqa: F401  (the browser tests' fixtures)
    browser,
    chromium_path,
    patient_expectations,
    server,
    signed_in_page,
)
from tests.serve.people import DEE


def test_the_data_protection_lead_opens_the_page_and_makes_a_bundle(
        browser, server, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    tab = signed_in_page(browser, server, DEE)
    try:
        tab.goto(f"{server.url}/voila/render/data_protection.ipynb?pupil=P-1001")
        expect(tab.get_by_text("Held about pupil P-1001")).to_be_visible()
        expect(tab.get_by_text("Sharing log").first).to_be_visible()
        tab.screenshot(path=str(tmp_path / "data_protection_top.png"))
        tab.get_by_role("button", name="Make the subject access bundle").click()
        # the PDF takes seconds, and minutes on a loaded 2-core machine
        expect(tab.get_by_text("Wrote the subject access bundle")).to_be_visible(timeout=180_000)
        expect(tab.locator("a[download='P-1001.pdf']")).to_have_count(1)
        tab.screenshot(path=str(tmp_path / "data_protection.png"), full_page=True)
        assert "Traceback" not in tab.content()
    finally:
        tab.context.close()
