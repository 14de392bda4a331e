"""Task: a school lead rates one principle and writes the evidence, as a person would.

The demo school lead opens the principles page in real Chromium, opens the "Approaches
that work" group, rates principle 4.4 for the school (a rating other than the one stored)
and writes the evidence, then leaves the field. The store then holds that rating and
text for the school, written by the lead; the group's title counts it; and the plan
report, as ``partnerkit render`` makes it from the store, gives the group the school's
new average.
"""

from __future__ import annotations

import io
import time

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from partnerkit import reports
from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.principles.rules import format_score, groups, principles_of
from partnerkit.records.plan import RATING_LABELS
from partnerkit.six_steps import plan_report_html
from partnerkit.store import Store
from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import (
    assert_no_traceback,
    open_section,
    open_workbook,
    section_header,
    status_of,
)

pytestmark = pytest.mark.browser

GROUP = groups()[3]                      # 4. Approaches that work
PRINCIPLE = principles_of(GROUP)[3]      # 4.4; no other browser test rates it
KEY = f"school/{PRINCIPLE.id}"
EVIDENCE = "Breakfast club run jointly with the youth project since August"


def school_ratings(server) -> dict[str, tuple[int | None, str, str]]:
    """The school's ratings of the group's principles: (rating, evidence, last written by)."""
    store = Store(data=server.data)
    try:
        ids = {p.id for p in principles_of(GROUP)}
        return {r.data["principle"]: (r.data["rating"], r.data["evidence"], r.updated_by)
                for r in store.list("demo", "principle_rating", prefix="school/")
                if r.data["principle"] in ids}
    finally:
        store.close()


def wait_for_rating(server, rating: int, evidence: str, timeout: float = 60) -> tuple:
    deadline = time.monotonic() + timeout
    while (found := school_ratings(server).get(PRINCIPLE.id))[:2] != (rating, evidence):
        assert time.monotonic() < deadline, f"the store holds {found}, not what was entered"
        time.sleep(0.2)
    return found


def group_row(pdf_text: str) -> str:
    """The report's row for the group: its title and the school's and partners' averages."""
    start = pdf_text.index(GROUP.title, pdf_text.index("Principle group"))
    return pdf_text[start:start + len(GROUP.title) + 12]


def plan_pdf_text(server) -> str:
    store = Store(data=server.data)
    try:
        pdf = reports.html_to_pdf(plan_report_html(store, "demo"))
    finally:
        store.close()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                    .split())


def test_a_lead_rates_a_principle_with_evidence_and_the_report_follows(browser, server):
    before = school_ratings(server)
    rating = 2 if before[PRINCIPLE.id][0] != 2 else 4
    others = [r for p, (r, _, _) in before.items() if p != PRINCIPLE.id and r is not None]
    expected_average = format_score(sum([*others, rating]) / (len(others) + 1))
    tab = signed_in_page(browser, server, "demo-lead", DEMO_PASSWORD,
                         viewport={"width": 1366, "height": 768})
    try:
        open_workbook(tab, server, "principles")
        expect(tab.get_by_text("You are rating as the school.")).to_be_visible()
        group = open_section(tab, f"{GROUP.number}. {GROUP.title}")  # built when opened
        form = group.locator(".pk-form").nth(3)       # the group's fourth principle: 4.4
        expect(group.get_by_text(PRINCIPLE.text)).to_be_visible()
        form.get_by_label("How far is this embedded?", exact=True).select_option(
            label=RATING_LABELS[rating])
        evidence = form.get_by_label("Evidence", exact=True)
        evidence.fill("")
        evidence.press_sequentially(EVIDENCE, delay=5)
        evidence.press("Tab")                            # leaves the field
        stored = wait_for_rating(server, rating, EVIDENCE)
        assert stored[2] == "demo-lead"
        expect(status_of(form)).to_contain_text("Saved at")
        rated = sum(1 for r, _, _ in school_ratings(server).values() if r is not None)
        expect(section_header(tab, GROUP.title)).to_contain_text(
            f"({rated} of {len(principles_of(GROUP))} rated)")
        assert_no_traceback(tab)
    finally:
        tab.context.close()

    row = group_row(plan_pdf_text(server))
    assert row.startswith(f"{GROUP.title} {expected_average} "), row
