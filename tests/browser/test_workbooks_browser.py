"""Every served workbook in a real browser: opens plainly, keeps answers, stays accessible."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit import catalog
from tests.browser.conftest import signed_in_page
from tests.helpers.accessibility import serious_violations
from tests.helpers.served_pages import (
    MAIN_PART,
    OPENED_BY_ROLE,
    PARAMS,
    assert_no_traceback,
    field_with,
    form_of,
    form_with,
    kernel_id,
    kill_kernel,
    open_section,
    open_workbook,
    status_of,
    wait_for_page,
)
from tests.serve.people import ANN, BEN, DEE

pytestmark = pytest.mark.browser

# Accessibility problems axe-core finds in Voilà's own page markup, which partnerkit
# cannot change. Only serious and critical violations are asserted; none of Voilà's are
# at those levels today, so the list is empty: add an entry here, with the reason, only
# for a rule whose every failing element belongs to Voilà or JupyterLab.
VOILA_ALLOWED: dict[str, str] = {}

def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:6]}"


@pytest.mark.parametrize("workbook", [w.name for w in catalog.available()])
def test_each_workbook_opens_in_a_preheated_kernel_plainly_and_accessibly(page, browser, server,
                                                                          workbook):
    if workbook in OPENED_BY_ROLE:
        page = signed_in_page(browser, server, DEE)
    response = open_workbook(page, server, workbook,
                             **PARAMS.get(workbook, {}))
    assert response.status == 200
    expect(page.locator(MAIN_PART[workbook]).first).to_be_visible()
    assert_no_traceback(page)
    assert page.locator(".pk-page-error").count() == 0
    assert re.search(rf"Using pre-heated kernel: {kernel_id(page)} for {workbook}\.ipynb",
                     server.log_text()), "the page did not get a preheated kernel"
    assert page.title() not in ("", f"{workbook}")  # the workbook's heading, not a file name
    assert serious_violations(page, VOILA_ALLOWED) == []


@pytest.mark.parametrize(("workbook", "params", "says"), [
    ("mapping_tool", {"pupil": "P-9999"}, "P-9999"),
    ("six_steps", {"step": "9"}, "'9'"),
    ("six_steps", {"step": "abc"}, "'abc'"),
    ("staged_support", {"pupil": "nobody"}, "'nobody'"),
])
def test_a_bad_address_gets_one_plain_message(page, server, workbook, params, says):
    open_workbook(page, server, workbook, **params)
    assert_no_traceback(page)
    messages = page.locator(".pk-page-error")
    if workbook == "mapping_tool":
        # A new reference starts a new pupil: the profile form is there to fill in, and
        # the parts that need a saved profile say so once.
        expect(page.get_by_label("Siblings", exact=True)).to_be_visible()
    expect(messages).to_have_count(1)
    expect(messages).to_contain_text(says)
    expect(messages).to_have_attribute("role", "alert")


def test_an_answer_typed_is_saved_and_kept_after_a_reload(page, server):
    open_workbook(page, server, "mapping_tool", pupil="P-1003")
    text = unique("Two older brothers")
    page.get_by_label("Siblings", exact=True).fill(text)
    expect(status_of(form_with(page, "Siblings"))).to_contain_text("Saved at")
    page.reload()
    wait_for_page(page)
    expect(page.get_by_label("Siblings", exact=True)).to_have_value(text)


def test_a_bad_value_shows_its_message_beside_the_field_and_is_not_saved(page, server):
    open_workbook(page, server, "mapping_tool", pupil="P-1004")
    stage = page.get_by_label("Stage", exact=True)
    before = stage.input_value()
    stage.fill("S2 and then some more words")
    message = field_with(page, "Stage").locator(".pk-error")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Stage")
    expect(message).to_contain_text("20")
    expect(status_of(form_with(page, "Stage"))).to_contain_text("Not saved")
    page.reload()
    wait_for_page(page)
    expect(page.get_by_label("Stage", exact=True)).to_have_value(before)


TASK_6_2 = "Reflective Task 6.2"
"""The section of the module page whose form has the first "Your reflection"."""


def _reflection(page):
    open_section(page, TASK_6_2)  # built when opened
    return page.get_by_label("Your reflection", exact=True).first


def _write_reflection(page, text: str) -> None:
    _reflection(page).fill(text)
    expect(status_of(form_of(page, _reflection(page)))).to_contain_text("Saved at")


def test_a_second_practitioner_sees_their_own_answers_not_the_first(browser, server):
    ann, ben = unique("Ann"), unique("Ben")
    first = signed_in_page(browser, server, ANN)
    second = signed_in_page(browser, server, BEN)
    try:
        open_workbook(first, server, "collaborative_working")
        _write_reflection(first, f"{ann}: parents felt unwelcome at meetings")
        open_workbook(second, server, "collaborative_working")
        expect(_reflection(second)).not_to_have_value(
            f"{ann}: parents felt unwelcome at meetings")
        _write_reflection(second, f"{ben}: try a home visit first")
        first.reload()
        wait_for_page(first)
        expect(_reflection(first)).to_have_value(f"{ann}: parents felt unwelcome at meetings")
    finally:
        first.context.close()
        second.context.close()


def test_a_kernel_that_dies_mid_form_says_so_and_loses_nothing_saved(page, server):
    author = unique("Cat")
    open_workbook(page, server, "collaborative_working")
    _write_reflection(page, f"{author}: saved before the crash")
    banner = page.locator("#pk-connection-lost")
    expect(banner).to_be_hidden()
    kill_kernel(kernel_id(page))
    expect(banner).to_be_visible(timeout=90_000)
    expect(banner).to_be_in_viewport()
    expect(banner).to_contain_text("connection to the server was lost")
    expect(banner).to_have_attribute("role", "alert")
    assert_no_traceback(page)
    page.get_by_role("button", name="Reload the page").click()
    wait_for_page(page)
    expect(_reflection(page)).to_have_value(f"{author}: saved before the crash")
    expect(page.locator("#pk-connection-lost")).to_be_hidden()


def _tab_to(page, predicate: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"() => {{ const e = document.activeElement; return !!e && ({predicate}); }}"
        if page.evaluate(script):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def test_a_form_can_be_completed_with_the_keyboard_alone(page, server):
    open_workbook(page, server, "staged_support", pupil="P-1003")
    # The plan's stages are collapsed: Tab reaches a stage's header, Enter opens it.
    _tab_to(page, "e.classList.contains('jupyter-widget-Collapse-header')")
    assert page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "false"
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("aria-expanded", "true")
    # Then Tab reaches the first text field of its form; typing saves it.
    _tab_to(page, "(e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && e.type === 'text'))"
                  " && !!e.closest('.pk-form')")
    field = page.locator(f"[id='{page.evaluate('document.activeElement.id')}']")
    text = unique("Talked with the family by phone")
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    expect(field).to_have_value(text)
    expect(status_of(page.locator(".pk-form").filter(has=field).last)).to_contain_text("Saved at")
