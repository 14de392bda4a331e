"""A real browser (Playwright driving Debian's Chromium) against ``partnerkit serve``.

Every server here is the demo school with the test people (``tests/serve/people.py``);
everyone signs in. ``page`` is a browser tab signed in as Ada, the demo school's admin,
who may open every workbook; :func:`signed_in_page` gives a tab for anyone else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from partnerkit.serve.logs import EXPECTED_TEXT
from tests.serve.people import ADA, Person
from tests.serve.running import Server, running_server, sign_in

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

__all__ = ["CHROMIUM", "Server", "running_server", "signed_in_page"]


NOTABLE = ("WARNING", "ERROR", "died", "restart", "Traceback", "Error:")
"""Server log lines worth reading when a browser test fails."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test's report ends with its server's warnings and errors (the
    last 60), so a failure seen once in CI can be understood afterwards."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name, value in item.funcargs.items():
        if isinstance(value, Server):
            lines = [line for line in value.log_text().splitlines()
                     if any(sign in line for sign in NOTABLE)
                     and not any(sign in line for sign in EXPECTED_TEXT)]
            report.sections.append((f"{name}: warnings and errors in its log",
                                    "\n".join(lines[-60:]) or "(none)"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("PARTNERKIT_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; scripts/test.sh installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed")
    return CHROMIUM


@pytest.fixture(scope="session", autouse=True)
def patient_expectations():
    """Give Playwright's expect() the patience of a busy 2-core machine (default: 5 s)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=30_000)


BRITISH = {"locale": "en-GB", "timezone_id": "Europe/London"}
"""Every test's browser context is a browser in Scotland (a test may ask for another)."""


def british(new_context):
    """``browser.new_context`` whose contexts default to :data:`BRITISH`."""
    def make(**options):
        return new_context(**{**BRITISH, **options})
    return make


@pytest.fixture(scope="module")
def browser(chromium_path):
    """Chromium for one test module; closed after it, so Playwright's event loop does not
    outlive the browser tests (later tests call asyncio.run). Its contexts are British
    (:data:`BRITISH`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        b.new_context = british(b.new_context)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory, chromium_path) -> Server:
    """The server most tests share: one preheated kernel per workbook.

    Started with ``--debug``, so its log says which kernel each page was given.
    """
    with running_server(tmp_path_factory.mktemp("serve"), "--pool", "1",
                        debug=True) as running:
        yield running


@pytest.fixture(scope="session")
def fresh_server(tmp_path_factory, chromium_path) -> Server:
    """A server with no preheated kernels (an empty pool): every page starts its own."""
    with running_server(tmp_path_factory.mktemp("serve-fresh"), "--pool", "0",
                        debug=True) as running:
        yield running


def signed_in_page(browser, server, person: Person | str = ADA, password: str | None = None,
                   **context_options):
    """A new browser tab (in a context of its own) signed in as ``person``.

    ``person`` is a test :class:`Person` or a username (a demo account's, say, with
    ``password``: the test people's password when not given). The session is made by
    signing in over HTTP (the sign-in page itself is tested in ``test_signin_browser.py``);
    the tab gets its cookie. ``context_options`` go to ``browser.new_context`` (a
    ``viewport``, say).
    """
    username = person.username if isinstance(person, Person) else person
    client, answer = sign_in(server, username, *([password] if password else []))
    assert "partnerkit_session" in client.cookies, f"{username} could not sign in: {answer.url}"
    context = browser.new_context(**context_options)
    context.add_cookies([{"name": "partnerkit_session", "url": server.url,
                          "value": client.cookies["partnerkit_session"]}])
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


@pytest.fixture
def page(browser, server):
    """A tab signed in as Ada (admin of the demo school: every workbook opens)."""
    tab = signed_in_page(browser, server)
    yield tab
    tab.context.close()


@pytest.fixture
def stranger(browser):
    """A tab that has not signed in."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()
