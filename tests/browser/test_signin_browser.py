"""Signing in, out and timing out in a real browser; and what a signed-in person cannot reach.

Screenshots of the sign-in page, its error state and the landing page signed in are
written to ``$PARTNERKIT_SCREENSHOTS`` when it is set (else the test's own folder), to
look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_page
from tests.helpers.accessibility import serious_violations
from tests.helpers.served_pages import (
    assert_no_traceback,
    form_of,
    kernel_id,
    kernel_pid,
    open_section,
    open_workbook,
    status_of,
    wait_for_page,
    workbook_url,
)
from tests.serve.people import ANN, BEN, PASSWORD
from tests.serve.running import running_server, start_server

pytestmark = pytest.mark.browser

SIGN_IN_FAILED = ("The username or password is not right. Check them and try again; after "
                  "several failures the account is locked for a while.")
KERNEL_QUESTION = re.compile(r"/api/kernels/([0-9a-f-]{36})/?(\?|$)")
"""A page's question for its kernel's model, as it connects (not the websocket)."""
IDLE_MINUTES = "0.25"
"""Fifteen seconds: time to open a page and type, then a short wait for the timeout."""


def shot(page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("PARTNERKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def fill_sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def kernel_ended(kernel: str, timeout: float = 60) -> bool:
    """Wait until the kernel's process has gone; False if it is still there after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kernel_pid(kernel)
        except LookupError:
            return True
        time.sleep(0.2)
    return False


def reflection(page):
    open_section(page, "Reflective Task 6.2")  # built when opened
    return page.get_by_label("Your reflection", exact=True).first


def write_reflection(page, text: str) -> None:
    reflection(page).fill(text)
    expect(status_of(form_of(page, reflection(page)))).to_contain_text("Saved at")


# ----------------------------------------------------------------- signing in

def test_the_sign_in_page_comes_first_and_then_the_landing_page(stranger, server, tmp_path):
    stranger.goto(server.url + "/")
    expect(stranger.get_by_role("heading", name="Sign in")).to_be_visible()
    assert stranger.title() == "Sign in – Partnership workbooks"
    assert serious_violations(stranger) == []
    shot(stranger, tmp_path, "signin")
    fill_sign_in(stranger, ANN.username)
    expect(stranger.locator("#who-status")).to_have_text("Signed in as Ann Teacher (ann.teacher).")
    assert stranger.url == server.url + "/"
    assert stranger.get_by_role("link", name="Attendance data", exact=True).count() == 0
    shot(stranger, tmp_path, "landing-signed-in")


def test_a_wrong_password_says_so_at_the_top_and_beside_the_field(stranger, server, tmp_path):
    stranger.goto(server.url + "/signin")
    fill_sign_in(stranger, ANN.username, "not her password")
    summary = stranger.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(SIGN_IN_FAILED)
    assert stranger.title().startswith("Error: Sign in")
    expect(stranger.locator("#password-error")).to_contain_text(SIGN_IN_FAILED)
    expect(stranger.get_by_label("Username")).to_have_value(ANN.username)
    expect(stranger.get_by_label("Password", exact=True)).to_have_value("")
    summary.get_by_role("link").click()
    assert stranger.evaluate("document.activeElement.id") == "password"
    assert serious_violations(stranger) == []
    shot(stranger, tmp_path, "signin-error")


def test_a_page_asked_for_before_signing_in_opens_after_it(stranger, server):
    stranger.goto(workbook_url(server, "reflective_log"))
    expect(stranger.get_by_role("heading", name="Sign in")).to_be_visible()
    fill_sign_in(stranger, ANN.username)
    wait_for_page(stranger)
    expect(stranger.get_by_role("heading", name="The whole log")).to_be_visible()
    assert stranger.url == workbook_url(server, "reflective_log")


# ---------------------------------------------------------------- signing out

def test_sign_out_on_a_workbook_page_ends_the_session_and_its_kernel(browser, server):
    tab = signed_in_page(browser, server, ANN)
    try:
        open_workbook(tab, server, "reflective_log")
        kernel = kernel_id(tab)
        expect(tab.locator("#pk-who-text")).to_have_text("Signed in as Ann Teacher (ann.teacher)")
        tab.get_by_role("button", name="Sign out").click()
        expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(tab.locator("#notice")).to_have_text("You have signed out.")
        assert kernel_ended(kernel), "the page's kernel still runs after signing out"
        tab.goto(workbook_url(server, "reflective_log"))
        expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        tab.context.close()


# ------------------------------------------------- what a signed-in person cannot do

def test_a_workbook_the_account_may_not_open_is_refused_before_any_kernel(browser, server):
    tab = signed_in_page(browser, server, ANN)
    try:
        used = server.log_text().count("Using pre-heated kernel")
        response = tab.goto(workbook_url(server, "attendance"))
        assert response.status == 403
        expect(tab.get_by_role("heading", name="You cannot open this workbook")).to_be_visible()
        expect(tab.get_by_role("alert")).to_contain_text(
            "as practitioner you may not open this workbook")
        response = tab.goto(f"{server.url}/voila/render/mapping_tool.ipynb?workspace=cohort")
        assert response.status == 403
        expect(tab.get_by_role("alert")).to_contain_text("not a member of workspace 'cohort'")
        assert server.log_text().count("Using pre-heated kernel") == used
        assert_no_traceback(tab)
    finally:
        tab.context.close()


def test_signing_out_in_another_tab_makes_an_open_page_say_its_session_ended(browser, server):
    """The page asks the server who is signed in once its connection has closed. Held
    here until the sign-out's answer has taken the session cookie from the browser (the
    order a busy server can give), that question carries no cookie, and only the close
    code the server sent tells the page that its session ended."""
    tab = signed_in_page(browser, server, ANN)
    held = []
    try:
        open_workbook(tab, server, "reflective_log")
        tab.route("**/partnerkit/whoami", lambda route: held.append(route))
        other = tab.context.new_page()
        other.goto(server.url + "/")
        other.get_by_role("button", name="Sign out").click()
        expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            tab.wait_for_timeout(100)
        assert held, "the open page did not notice its connection closing"
        held[0].continue_()
        banner = tab.locator("#pk-connection-lost")
        expect(banner).to_contain_text("Your session has ended.", timeout=30_000)
        expect(banner).to_contain_text("Answers marked “✓ Saved” are kept.")
        expect(tab.get_by_role("link", name="Sign in again")).to_be_visible()
    finally:
        tab.context.close()


def test_someone_elses_name_in_the_address_shows_your_own_work(browser, server):
    ben, ann = signed_in_page(browser, server, BEN), signed_in_page(browser, server, ANN)
    secret = f"Ben's private reflection {uuid.uuid4().hex[:6]}"
    try:
        open_workbook(ben, server, "collaborative_working")
        write_reflection(ben, secret)
        open_workbook(ann, server, "collaborative_working", author=BEN.username)
        expect(ann.locator("#pk-who-text")).to_have_text("Signed in as Ann Teacher (ann.teacher)")
        expect(reflection(ann)).not_to_have_value(secret)
        assert secret not in ann.content()
    finally:
        ben.context.close()
        ann.context.close()


REACH = """(url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.onopen = () => { ws.close(); resolve('opened'); };
    ws.onclose = (event) => resolve('refused ' + event.code);
})"""


def test_another_accounts_kernel_cannot_be_reached_from_the_browser(browser, server):
    ann, ben = signed_in_page(browser, server, ANN), signed_in_page(browser, server, BEN)
    try:
        with ann.expect_websocket(lambda ws: "/channels" in ws.url, timeout=120_000) as opened:
            open_workbook(ann, server, "reflective_log")
        channel = opened.value.url
        kernel = kernel_id(ann)
        ben.goto(server.url + "/")
        assert ben.evaluate(REACH, channel).startswith("refused")
        assert ben.request.get(f"{server.url}/api/kernels/{kernel}").status == 403
        assert ann.evaluate(REACH, channel) == "opened"  # the control: the owner may
    finally:
        ann.context.close()
        ben.context.close()


# ------------------------------------------------------------- the idle timeout

@pytest.fixture(scope="module")
def idle_server(tmp_path_factory, chromium_path):
    """Sessions end after 15 s without activity; one preheated collaborative working page."""
    with running_server(tmp_path_factory.mktemp("idle"), "--pool", "0", "--pool",
                        "collaborative_working=1", "--idle-minutes", IDLE_MINUTES) as running:
        yield running


def test_after_the_idle_timeout_the_page_says_so_and_nothing_typed_is_lost(browser,
                                                                          idle_server,
                                                                          tmp_path):
    tab = signed_in_page(browser, idle_server, ANN)
    text = f"Typed before the timeout {uuid.uuid4().hex[:6]}"
    try:
        open_workbook(tab, idle_server, "collaborative_working")
        kernel = kernel_id(tab)
        write_reflection(tab, text)
        banner = tab.locator("#pk-connection-lost")
        expect(banner).to_be_visible(timeout=120_000)
        expect(banner).to_be_in_viewport()
        expect(banner).to_contain_text("Your session has ended.")
        expect(banner).to_contain_text(f"Your session ended after {IDLE_MINUTES} minutes "
                                       "without activity")
        shot(tab, tmp_path, "session-ended")
        assert kernel_ended(kernel), "the ended session's kernel still runs"
        second = tab.context.new_page()
        second.goto(idle_server.url + "/")
        expect(second.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(second.locator("#notice")).to_contain_text("without activity")
        second.close()
        tab.get_by_role("link", name="Sign in again").click()
        fill_sign_in(tab, ANN.username)
        wait_for_page(tab)
        expect(reflection(tab)).to_have_value(text)
    finally:
        tab.context.close()


def test_a_session_that_ends_before_its_page_asks_for_the_kernel_is_said_so(browser,
                                                                          idle_server):
    """The page's question for its kernel is held until the idle timeout has ended the
    session (and its kernel); refused then, the page says the session ended, not nothing."""
    tab = signed_in_page(browser, idle_server, ANN)
    held = []
    tab.route(KERNEL_QUESTION, lambda route: held.append(route))
    try:
        tab.goto(workbook_url(idle_server, "collaborative_working"), wait_until="commit")
        deadline = time.monotonic() + 120
        while not held and time.monotonic() < deadline:
            tab.wait_for_timeout(100)
        assert held, "the page never asked the server for its kernel"
        kernel = KERNEL_QUESTION.search(held[0].request.url).group(1)
        assert kernel_ended(kernel, timeout=90), "the idle session's kernel still runs"
        held[0].continue_()
        banner = tab.locator("#pk-connection-lost")
        expect(banner).to_contain_text("Your session has ended.", timeout=30_000)
        expect(banner).to_contain_text("without activity")
        expect(tab.locator("#pk-sign-in-again")).to_be_visible()
    finally:
        tab.context.close()


# ----------------------------------------------------------------- HTTPS, restart

@pytest.fixture(scope="module")
def https_server(tmp_path_factory, chromium_path):
    """``--certfile``/``--keyfile`` with a self-signed certificate; one preheated page."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed to make a test certificate")
    root = tmp_path_factory.mktemp("https")
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    with running_server(root, "--pool", "0", "--pool", "reflective_log=1", "--certfile",
                        str(cert), "--keyfile", str(key), scheme="https",
                        debug=True) as running:
        yield running


def test_over_https_the_cookie_is_secure_and_a_preheated_page_gets_its_request(
        browser, https_server):
    context = browser.new_context(ignore_https_errors=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    try:
        tab.goto(https_server.url + "/")
        fill_sign_in(tab, ANN.username)
        expect(tab.locator("#who-status")).to_contain_text("Ann Teacher")
        [cookie] = [c for c in context.cookies() if c["name"] == "partnerkit_session"]
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        open_workbook(tab, https_server, "reflective_log")
        expect(tab.get_by_role("heading", name="The whole log")).to_be_visible()
        assert f"Using pre-heated kernel: {kernel_id(tab)}" in https_server.log_text()
        assert tab.locator(".pk-page-error").count() == 0
    finally:
        context.close()


def test_a_restart_ends_the_session_and_keeps_every_answer(browser, tmp_path, chromium_path):
    text = f"Kept across a restart {uuid.uuid4().hex[:6]}"
    with running_server(tmp_path, "--pool", "0") as first:
        tab = signed_in_page(browser, first, ANN)
        open_workbook(tab, first, "collaborative_working")
        write_reflection(tab, text)
        first.stop()
        expect(tab.locator("#pk-connection-lost")).to_be_visible(timeout=90_000)
        second = start_server(tmp_path, "--pool", "0", data=first.data, port=first.port)
        try:
            tab.reload()
            expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
            expect(tab.locator("#notice")).to_contain_text("Your session has ended. Your "
                                                           "answers are saved.")
            fill_sign_in(tab, ANN.username)
            wait_for_page(tab)
            expect(reflection(tab)).to_have_value(text)
        finally:
            tab.context.close()
            second.stop()


# ------------------------------------------------------------------ no sign-in

def test_without_sign_in_every_page_says_whose_computer_it_is(browser, tmp_path, chromium_path):
    from partnerkit.accounts import login_name
    from partnerkit.demo import create_demo

    with running_server(tmp_path, "--pool", "0", "--no-sign-in",
                        prepare=lambda data: create_demo(data=data)) as server:
        context = browser.new_context()
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        try:
            says = f"Not signed in: working as {login_name()} on this computer"
            tab.goto(server.url + "/")
            expect(tab.locator("#who-status")).to_have_text(says + ".")
            open_workbook(tab, server, "reflective_log")
            expect(tab.locator("#pk-who-text")).to_have_text(says)
            assert tab.get_by_role("button", name="Sign out").count() == 0
            assert tab.locator(".pk-page-error").count() == 0
        finally:
            context.close()
