"""Task: a teacher adds three people to a pupil's map through quick pick, as a person would.

The demo teacher opens P-1004's map in real Chromium and adds Mum and Step-dad (family)
and the breakfast club (school) with the layers' quick picks. Each press adds that one
person and opens their form with the relationship not set (nothing is assumed), and the
picker goes back to blank, so a second press adds nobody. The store then holds exactly
those three, written by the teacher, each with no relationship chosen.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnerkit.demo.accounts import DEMO_PASSWORD
from partnerkit.store import Store
from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import assert_no_traceback, open_section, open_workbook

pytestmark = pytest.mark.browser

PUPIL = "P-1004"  # no other browser test changes this pupil's map
PICKS = (("Pupils and their families", "Mum"), ("Pupils and their families", "Step-dad"),
         ("School networks", "Breakfast club"))
BLANK = "— choose someone —"


def teacher_page(browser, server):
    """A tab signed in as the demo teacher (demo-teacher), on a laptop-sized screen."""
    return signed_in_page(browser, server, "demo-teacher", DEMO_PASSWORD,
                          viewport={"width": 1366, "height": 768})


def connections(server) -> list[tuple[str, str, object, str]]:
    """(name, layer, relationship, author) of the pupil's connections in the store."""
    store = Store(data=server.data)
    try:
        return [(r.data["name"], r.data["layer"], r.data.get("quality"), r.author)
                for r in store.list("demo", "connection", prefix=f"{PUPIL}/")]
    finally:
        store.close()


def test_a_teacher_adds_three_people_by_quick_pick_with_nothing_assumed(browser, server):
    before = connections(server)
    tab = teacher_page(browser, server)
    try:
        open_workbook(tab, server, "mapping_tool", pupil=PUPIL)
        for title, name in PICKS:
            open_section(tab, title)   # each layer is built when it is opened
            button = tab.get_by_role("button", name=f"Add to {title}")
            section = tab.locator(".widget-vbox, .jupyter-widget-vbox").filter(
                has=button).filter(has=tab.get_by_label("Quick pick")).last
            picker = section.get_by_label("Quick pick")
            picker.select_option(name)
            button.click()
            expect(tab.get_by_text(f"✓ Added {name} to {title}.")).to_be_visible()
            expect(picker).to_have_value(BLANK)
            form = tab.locator(".pk-form").filter(has_text="Edit a connection").last
            # Nothing assumed: no relationship chosen ("— not set —", or none selected).
            expect(form.get_by_label("Relationship", exact=True)).not_to_have_value(
                re.compile("strong|tenuous|stressful", re.IGNORECASE))
            expect(form.get_by_label("Person or organisation", exact=True)).to_have_value(name)
        tab.get_by_role("button", name="Add to School networks").click()   # nothing picked
        expect(tab.get_by_text("Not added: choose someone in the quick pick of School "
                               "networks first.")).to_be_visible()
        added = [c for c in connections(server) if c not in before]
        assert sorted(added) == sorted([
            ("Mum", "families", None, "demo-teacher"),
            ("Step-dad", "families", None, "demo-teacher"),
            ("Breakfast club", "school_networks", None, "demo-teacher")])
        assert_no_traceback(tab)
    finally:
        tab.context.close()
