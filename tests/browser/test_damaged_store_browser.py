"""A damaged store served with ``--workspace``: every page says so plainly, never a 500.

The server starts on an empty (0-byte) ``partnerkit.sqlite``, as a full disk or a failed
copy leaves it; its landing page and a workbook page show the store's one message (the
file, what is wrong, the fix) and no traceback; the file stays as it was; once it is put
right, a reload shows the workbooks without restarting the server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnerkit.demo import create_demo
from tests.browser.conftest import Server, running_server
from tests.helpers.served_pages import assert_no_traceback, workbook_url

pytestmark = pytest.mark.browser

MESSAGE = ("is empty (0 bytes), so it holds no store (a full disk or a failed copy leaves a "
           "file like this); it was left as it is; restore it from a backup, or move it "
           "aside to start a new store")
PAST = 1_600_000_000


def _empty_store(data: Path) -> None:
    data.mkdir(mode=0o700)
    store = data / "partnerkit.sqlite"
    store.write_bytes(b"")
    os.utime(store, (PAST, PAST))


@pytest.fixture(scope="module")
def damaged_server(tmp_path_factory, chromium_path):
    """``partnerkit serve --workspace demo --no-sign-in`` over a store that is 0 bytes.

Nobody could sign in to a store that cannot be read, so this server is the one person's
on their own computer; with sign-in, the sign-in page says the same
(``tests/serve/test_sessions_server.py``).
"""
    root = tmp_path_factory.mktemp("serve-damaged")
    with running_server(root, "--pool", "0", "--workspace", "demo", "--no-sign-in",
                        prepare=_empty_store) as server:
        yield server


def _store_as_it_was(server: Server) -> bool:
    store = server.data / "partnerkit.sqlite"
    return store.read_bytes() == b"" and store.stat().st_mtime_ns == PAST * 10**9


def test_the_server_says_at_start_that_the_store_cannot_be_opened(damaged_server):
    warning = [line for line in damaged_server.log_text().splitlines()
               if line.startswith("partnerkit: warning:")]
    assert len(warning) == 1 and MESSAGE in warning[0]
    assert "Traceback" not in damaged_server.log_text()


def test_the_landing_page_shows_the_message_and_no_traceback(page, damaged_server):
    response = page.goto(damaged_server.url + "/")
    assert response.status == 503
    expect(page.get_by_role("heading", name="The workbooks cannot be opened just now")) \
        .to_be_visible()
    message = page.get_by_role("alert")
    expect(message).to_contain_text(f"store file {damaged_server.data / 'partnerkit.sqlite'}")
    expect(message).to_contain_text(MESSAGE)
    expect(message).to_contain_text("reload this page")
    assert "cannot be opened just now" in page.title()
    assert page.locator("a.pk-link").count() == 0
    assert "HTTP ERROR" not in page.content()
    assert_no_traceback(page)
    assert _store_as_it_was(damaged_server)


def test_a_workbook_page_shows_the_same_message(page, damaged_server):
    page.goto(workbook_url(damaged_server, "mapping_tool", pupil="P-1001"), timeout=180_000)
    error = page.locator(".pk-page-error").first
    expect(error).to_be_visible(timeout=150_000)
    expect(error).to_contain_text(MESSAGE)
    assert_no_traceback(page)
    assert _store_as_it_was(damaged_server)


def test_once_the_store_is_restored_a_reload_shows_the_workbooks(page, damaged_server,
                                                                 tmp_path):
    page.goto(damaged_server.url + "/")
    expect(page.get_by_role("alert")).to_contain_text(MESSAGE)
    backup = tmp_path / "backup"
    create_demo(data=backup)
    shutil.copyfile(backup / "partnerkit.sqlite", damaged_server.data / "partnerkit.sqlite")
    response = page.reload()
    assert response.status == 200
    expect(page.get_by_role("link", name="Community partnership map", exact=True)) \
        .to_be_visible()
    assert page.get_by_role("alert").count() == 0
