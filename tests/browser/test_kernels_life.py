"""No kernel left behind, no page that hangs: page kernels in real Chromium (issue 15).

One server for the module: no preheated kernels but two for the reflective log (a
light page, so twenty visits take seconds each), and idle pages ended after 15 s. It runs
with ``--debug``: the tests read the kernels' comings and goings from its log.
Kernels are counted as the server's descendant processes running ipykernel.
"""

from __future__ import annotations

import os
import re
import signal
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_page
from tests.helpers.served_pages import (
    CELLS_IN,
    WIDGET_SCRIPTS,
    form_of,
    kernel_id,
    kernel_pid,
    open_section,
    open_workbook,
    status_of,
    wait_for_page,
)
from tests.serve.running import running_server

pytestmark = pytest.mark.browser

POOL = 2
CULL_MINUTES = "0.25"
SETTLE_S = 90


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium_path):
    with running_server(tmp_path_factory.mktemp("kernels"), "--pool", "0", "--pool",
                        f"reflective_log={POOL}", "--cull-minutes", CULL_MINUTES,
                        debug=True) as running:
        yield running


def kernels(server) -> list[int]:
    """The process ids of the server's kernels: its descendants running ipykernel.

    Descendants, not children: page kernels are forked from the server's kernel template.
    """
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int(
                (entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue

    def descends(pid: int) -> bool:
        while pid in parents and pid > 1:
            pid = parents[pid]
            if pid == server.process.pid:
                return True
        return False

    return [pid for pid, command in commands.items()
            if b"ipykernel" in command and descends(pid)]


def until(condition, what: str, timeout: float = SETTLE_S):
    """Wait until ``condition()`` is true (checked every 0.2 s); its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


REFLECTION_SECTION = "Reflective Task 6.2"


def reflection_box(page):
    """The module's first reflection box (its section, built when opened, opened first)."""
    open_section(page, REFLECTION_SECTION)
    return page.get_by_label("Your reflection", exact=True).first


def pool_ready(server) -> None:
    until(lambda: len(kernels(server)) == POOL, f"the pool of {POOL} kernels, alone")
    until(lambda: server.log_text().count("is filled with") >= 1, "the pool filled")


def test_twenty_page_visits_leave_no_kernel_behind(browser, server):
    pool_ready(server)
    before = len(kernels(server))
    page = signed_in_page(browser, server)
    # Without the page's request for who is signed in (the only other place that set the
    # _xsrf cookie), the page's leaving beacon must still carry its token.
    page.context.route("**/partnerkit/whoami", lambda route: route.abort())
    try:
        for _ in range(20):
            open_workbook(page, server, "reflective_log")
            page.goto(server.url + "/")
        until(lambda: len(kernels(server)) <= before,
              f"back to {before} kernels after 20 visits (now {len(kernels(server))})")
    finally:
        page.context.close()
    assert "'_xsrf' argument missing" not in server.log_text()


def test_an_idle_page_is_ended_says_so_and_keeps_what_was_saved(browser, server):
    page = signed_in_page(browser, server)
    try:
        open_workbook(page, server, "collaborative_working")
        text = f"Idle {uuid.uuid4().hex[:6]}: saved before the page ended"
        box = reflection_box(page)
        box.fill(text)
        expect(status_of(form_of(page, box))).to_contain_text("Saved at")
        gone = kernel_id(page)
        banner = page.locator("#pk-connection-lost")
        expect(banner).to_be_visible(timeout=60_000)
        expect(banner).to_contain_text("This page has ended after 0.25 minutes without use")
        expect(banner).to_contain_text("kept")
        until(lambda: f"Kernel shutdown: {gone}" in server.log_text(), "the kernel culled")
        page.get_by_role("button", name="Reload the page").click()
        wait_for_page(page)
        expect(reflection_box(page)).to_have_value(text)
    finally:
        page.context.close()


def test_a_dead_pool_kernel_is_replaced_before_a_page_gets_it(browser, server):
    pool_ready(server)
    for pid in kernels(server):
        os.kill(pid, signal.SIGKILL)
    page = signed_in_page(browser, server)
    try:
        started = time.monotonic()
        open_workbook(page, server, "reflective_log")
        expect(page.locator("h2#The-whole-log")).to_be_visible()
        expect(page.locator("#pk-connection-lost")).to_be_hidden()
        assert time.monotonic() - started < 60
    finally:
        page.context.close()
    assert "is dead; replacing it" in server.log_text()
    pool_ready(server)





def test_a_kernel_that_dies_before_its_page_connects_is_not_restarted_empty(browser, server):
    """The page's kernel dies after running the workbook, before the page's scripts
    connect to it. A restarted kernel would be empty: the page would show "model not
    found" in every part, without a word. The kernel is ended instead, and the page says
    its connection was lost, with a reload button."""
    page = signed_in_page(browser, server)
    held, sockets = [], []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.route(WIDGET_SCRIPTS, lambda route: held.append(route))  # nothing connects yet
    try:
        page.goto(server.url + "/voila/render/reflective_log.ipynb?workspace=demo",
                  wait_until="commit", timeout=180_000)
        page.wait_for_function(CELLS_IN, timeout=180_000)  # every cell is in
        died = kernel_id(page)
        assert not [url for url in sockets if "/channels" in url], "connected too soon"
        os.kill(kernel_pid(died), signal.SIGKILL)
        until(lambda: f"kernel {died} died" in server.log_text(), "the death noticed")
        until(lambda: f"Kernel shutdown: {died}" in server.log_text(), "the dead kernel ended")
        for route in list(held):  # before unroute, which may pass on routes still held
            route.continue_()
        page.unroute(WIDGET_SCRIPTS)  # and those asked for since go straight through
        banner = page.locator("#pk-connection-lost")
        expect(banner).to_be_visible(timeout=60_000)
        expect(banner).to_contain_text("connection to the server was lost")
        expect(page.get_by_role("button", name="Reload the page")).to_be_visible()
        expect(page.get_by_text("model not found")).to_have_count(0)
        expect(page.get_by_text("HTML(value=").filter(visible=True)).to_have_count(0)
    finally:
        page.context.close()
    log = server.log_text()
    assert "restarting kernel" not in log
    assert "Exception in callback" not in log

def test_a_page_that_never_gets_ready_says_so_with_a_reload_button(browser, server):
    page = signed_in_page(browser, server)
    try:
        page.add_init_script("window.PK_READY_SECONDS = 1;")
        # The page's kernel connection never opens and its cells never show: stuck.
        page.route("**/voila/render/**", lambda route: route.fulfill(
            status=200, content_type="text/html",
            body=_stuck_page(page, server)))
        page.goto(server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
        banner = page.locator("#pk-connection-lost")
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_contain_text("stopped getting ready: nothing came for 1 seconds")
        expect(page.get_by_role("button", name="Reload the page")).to_be_visible()
    finally:
        page.context.close()


WIDGET_STATES = re.compile(r'"method":\s*"(update_states|update)"')
"""A kernel's answer to a page asking for its widgets' states (all at once, or one by one)."""


def test_a_page_whose_widgets_never_arrive_says_so_with_a_reload_button(browser, server):
    """The page's cells show, but its kernel never answers for the widgets (a kernel
    too busy to answer, or an answer lost): without a word, the page would stay a blank
    form for ever."""
    page = signed_in_page(browser, server)
    try:
        page.add_init_script("window.PK_READY_SECONDS = 3;")
        page.route_web_socket(re.compile(r"/channels"), _without_widget_states)
        page.goto(server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
        banner = page.locator("#pk-connection-lost")
        expect(banner).to_be_visible(timeout=30_000)
        expect(banner).to_contain_text("stopped getting ready: nothing came for 3 seconds")
        expect(page.get_by_role("button", name="Reload the page")).to_be_visible()
        assert page.locator(".pk-form input, .pk-form textarea").count() == 0
    finally:
        page.context.close()


def _without_widget_states(socket) -> None:
    """Pass the page's kernel messages on both ways, except the widgets' states."""
    kernel = socket.connect_to_server()

    def to_page(message) -> None:
        text = message if isinstance(message, str) else message.decode("utf-8", "replace")
        if not WIDGET_STATES.search(text):
            socket.send(message)

    kernel.on_message(to_page)


def _stuck_page(page, server) -> str:
    """The page partnerkit serves, cut off after its header: what a hung kernel leaves
    (Voilà streams the page as the workbook runs; the cells never come)."""
    response = page.context.request.get(
        server.url + "/voila/render/reflective_log.ipynb?workspace=demo")
    html = response.text()
    banner = html.index('<div id="pk-connection-lost"')
    return html[:html.index("</div>", banner) + len("</div>")]


def test_ctrl_c_with_pages_open_keeps_every_saved_answer_and_leaves_no_kernel(
        browser, tmp_path_factory, chromium_path):
    root = tmp_path_factory.mktemp("ctrl-c")
    with running_server(root, "--pool", "0", "--pool", "reflective_log=1") as stopping:
        page = signed_in_page(browser, stopping)
        try:
            open_workbook(page, stopping, "collaborative_working")
            text = f"Ctrl-C {uuid.uuid4().hex[:6]}: saved before the server stopped"
            box = reflection_box(page)
            box.fill(text)
            expect(status_of(form_of(page, box))).to_contain_text("Saved at")
            running = kernels(stopping)
            assert len(running) >= 2, "the page's kernel and the pool's"
            stopping.process.send_signal(signal.SIGINT)
            assert stopping.process.wait(timeout=60) is not None
        finally:
            page.context.close()
        left = [pid for pid in running if Path(f"/proc/{pid}").exists()
                and b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert left == [], f"kernels left running: {left}"
        saved = b"".join(p.read_bytes() for p in stopping.data.rglob("partnerkit.sqlite*"))
        assert text.encode() in saved
        console = stopping.log_text()
        assert "Traceback" not in console, "the console stayed free of tracebacks"
        assert "partnerkit: stopped; no kernel is left running" in console
