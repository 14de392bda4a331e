"""partnerkit serve in a real browser: landing page, forms kept, safety, accessibility."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
import uuid

import pytest

from partnerkit import catalog

pytestmark = pytest.mark.browser

TRACEBACK_SIGNS = ("Traceback (most recent call last)", "There was an error when executing",
                   "Error:</span>", "ipython-input")


def assert_no_traceback(page) -> None:
    text = page.content()
    for sign in TRACEBACK_SIGNS:
        assert sign not in text, sign


def wait_for_widgets(page) -> None:
    page.wait_for_selector(".jupyter-widgets", state="attached", timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('#loading') || "
        "getComputedStyle(document.querySelector('#loading')).display === 'none'",
        timeout=120_000)


def open_landing(page, server, name: str | None = "Ann Teacher"):
    page.goto(server.url + "/")
    if name is not None:
        page.get_by_label("Your name").fill(name)
        page.get_by_role("button", name="Remember my name").click()
    return page


def test_the_landing_page_lists_every_workbook_and_the_six_steps(page, server):
    open_landing(page, server, name=None)
    assert page.title().startswith("Partnership workbooks")
    for workbook in catalog.available():
        if workbook.target == "step":
            for number in range(1, 7):
                assert page.get_by_role("link", name=re.compile(f"^Step {number}:")).count() == 1
        else:
            assert page.get_by_role("link", name=workbook.title, exact=True).count() == 1
    options = page.locator("#pupil option").all_inner_texts()
    assert options == ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]


def test_the_name_is_asked_once_and_remembered(page, server):
    open_landing(page, server, name="Ann Teacher")
    page.reload()
    assert page.get_by_label("Your name").input_value() == "Ann Teacher"
    page.select_option("#pupil", "P-1003")
    href = page.get_by_role("link", name="Community partnership map", exact=True).get_attribute(
        "href")
    assert "author=Ann+Teacher" in href and "pupil=P-1003" in href


def test_the_landing_page_escapes_what_it_shows(page, server):
    open_landing(page, server, name="<img src=x onerror=alert(1)>")
    page.reload()
    assert page.locator("img").count() == 0


def test_the_store_file_is_never_served(server):
    for path in ["/voila/files/partnerkit.sqlite", "/voila/files/../partnerkit.sqlite",
                 f"/voila/files/{server.data}/partnerkit.sqlite", "/partnerkit.sqlite",
                 "/voila/files/mapping_tool.ipynb", "/voila/api/contents/../partnerkit.sqlite"]:
        try:
            with urllib.request.urlopen(server.url + path, timeout=30) as response:
                body = response.read()
                assert b"SQLite format 3" not in body, path
                assert b'"cells"' not in body, path
        except urllib.error.HTTPError as exc:
            assert exc.code in (403, 404), (path, exc.code)


def test_an_unknown_workbook_is_a_not_found_page(page, server):
    response = page.goto(server.url + "/voila/render/no_such_workbook.ipynb")
    assert response.status == 404
    assert_no_traceback(page)


def kernel_websocket_url(page) -> str:
    urls = []
    page.on("websocket", lambda ws: urls.append(ws.url))
    return urls


@pytest.mark.skipif(not (catalog.WORKBOOKS[1].exists()), reason="needs mapping_tool")
def test_the_browser_cannot_run_code_in_a_kernel(page, server, tmp_path):
    seen = kernel_websocket_url(page)
    page.goto(server.url + "/voila/render/mapping_tool.ipynb?pupil=P-1001&author=Ann")
    wait_for_widgets(page)
    channel = next(u for u in seen if "/channels" in u)
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    message = {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "username": "x",
                   "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": False,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        "buffers": [],
    }
    result = page.evaluate(
        """([url, message]) => new Promise((resolve) => {
            const ws = new WebSocket(url);
            const replies = [];
            ws.onopen = () => ws.send(JSON.stringify(message));
            ws.onmessage = (e) => { if (typeof e.data === 'string') replies.push(JSON.parse(e.data)); };
            setTimeout(() => { ws.close(); resolve(replies.map(r => r.header && r.header.msg_type)); }, 4000);
            ws.onerror = () => resolve(['error']);
        })""", [channel, message])
    time.sleep(1)
    assert not marker.exists(), "an execute_request ran code in the kernel"
    assert "execute_reply" not in result
