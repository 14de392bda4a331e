"""The loading spinner turns a step a second from a timer, with no CSS animation running
(Chromium would draw frames all the while), and stands still for less motion (issue 15).

The page is held in its loading state by holding back its widget scripts: its cells are
all in, and Voilà's spinner stays until the widgets are drawn.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import CELLS_IN, WIDGET_SCRIPTS

pytestmark = pytest.mark.browser

PAGE = "/voila/render/reflective_log.ipynb?workspace=demo"


def held_loading(browser, server, ready_seconds: int | None = None, **media):
    """A signed-in page of the reflective log, stopped while its spinner shows."""
    page = signed_in_page(browser, server)
    if ready_seconds is not None:
        page.add_init_script(f"window.PK_READY_SECONDS = {ready_seconds};")
    if media:
        page.emulate_media(**media)
    page.route(WIDGET_SCRIPTS, lambda route: None)  # held: the widgets never start
    page.goto(server.url + PAGE, wait_until="commit", timeout=180_000)
    page.wait_for_function(CELLS_IN, timeout=180_000)
    expect(page.locator("#loading .spinner")).to_be_visible()
    return page


def turns_seen(page, seconds: float = 3.5) -> set[str]:
    """The spinner's rotations seen over ``seconds``."""
    seen = set()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.add(page.locator("#loading .spinner").evaluate("s => s.style.transform"))
        time.sleep(0.25)
    return seen


def test_the_spinner_turns_by_a_timer_with_no_css_animation_running(browser, server):
    page = held_loading(browser, server)
    try:
        assert page.evaluate("document.getAnimations().length") == 0
        seen = turns_seen(page)
        assert len(seen - {""}) >= 2, f"the spinner did not turn: {seen}"
        assert all(turn == "" or turn.startswith("rotate(") for turn in seen), seen
    finally:
        page.context.close()


def test_the_spinner_stands_still_when_less_motion_is_asked_for(browser, server):
    page = held_loading(browser, server, reduced_motion="reduce")
    try:
        assert page.evaluate("document.getAnimations().length") == 0
        assert turns_seen(page, seconds=2.5) == {""}
    finally:
        page.context.close()


def test_the_spinner_stops_and_goes_when_the_page_says_it_stopped_getting_ready(browser,
                                                                                server):
    page = held_loading(browser, server, ready_seconds=1)
    try:
        expect(page.locator("#pk-connection-lost")).to_contain_text("stopped getting ready")
        spinner = page.locator("#loading .spinner")
        expect(spinner).to_be_hidden()
        assert len(turns_seen(page, seconds=2.5)) == 1, "the spinner still turns"
    finally:
        page.context.close()
