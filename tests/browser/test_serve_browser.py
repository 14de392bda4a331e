"""partnerkit serve in a real browser: landing page, forms kept, safety, accessibility."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit import catalog
from tests.helpers.served_pages import TOKEN, assert_no_traceback, open_workbook

pytestmark = pytest.mark.browser


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


PROBE = """([url, messages]) => new Promise((resolve, reject) => {
    // Send each message in turn over the page's kernel connection; after each one that
    // expects a reply, wait for it. Resolve with every message received.
    const ws = new WebSocket(url);
    const received = [];
    let step = 0;
    const timer = setTimeout(() => reject(new Error('no reply: ' + JSON.stringify(
        received.map(m => m.header && m.header.msg_type)))), 45000);
    function next() {
        while (step < messages.length) {
            const [message, waitReply] = messages[step++];
            ws.send(JSON.stringify(message));
            if (waitReply) { return; }
        }
        clearTimeout(timer); ws.close(); resolve(received);
    }
    ws.onopen = next;
    ws.onerror = () => reject(new Error('websocket error'));
    ws.onmessage = (event) => {
        if (typeof event.data !== 'string') { return; }
        const message = JSON.parse(event.data);
        received.push(message);
        const parent = message.parent_header && message.parent_header.msg_id;
        const waiting = messages[step - 1];
        if (message.channel === 'shell' && waiting && waiting[1]
                && parent === waiting[0].header.msg_id) {
            next();
        }
    };
})"""


def kernel_message(msg_type: str, content: dict) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x",
                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "content": content,
            "buffers": []}


def test_the_browser_cannot_run_code_in_a_kernel(page, server, tmp_path):
    with page.expect_websocket(lambda ws: "/channels" in ws.url, timeout=120_000) as opened:
        open_workbook(page, server, "reflective_log", author="Ann")
    channel = opened.value.url
    channel = re.sub(r"session_id=[^&]*", f"session_id={uuid.uuid4().hex}", channel)
    marker = tmp_path / f"ran-{uuid.uuid4().hex}"
    before = kernel_message("kernel_info_request", {})
    execute = kernel_message("execute_request", {
        "code": f"open({str(marker)!r}, 'w').write('ran')", "silent": False,
        "store_history": False, "user_expressions": {}, "allow_stdin": False,
        "stop_on_error": True})
    after = kernel_message("kernel_info_request", {})
    received = page.evaluate(PROBE, [channel, [[before, True], [execute, False], [after, True]]])
    replies = {m["parent_header"].get("msg_id"): m["header"]["msg_type"] for m in received
               if m.get("channel") == "shell"}
    # The control: the same connection carries messages the page may send, and the
    # kernel answers them, before and after (a kernel answers in the order it is asked).
    assert replies.get(before["header"]["msg_id"]) == "kernel_info_reply"
    assert replies.get(after["header"]["msg_id"]) == "kernel_info_reply"
    # The execute request never reached the kernel: no reply, no output, no file.
    assert not [m for m in received
                if m["parent_header"].get("msg_id") == execute["header"]["msg_id"]]
    assert not marker.exists(), "an execute_request ran code in the kernel"
    assert 'type "execute_request", which is not allowed' in server.log_text()


def test_a_token_protected_server_shows_nothing_without_the_token(page, token_server):
    for path in ("/", "/voila/render/reflective_log.ipynb"):
        response = page.goto(token_server.url + path)
        assert response.status in (401, 403) or "/login" in page.url, path
        assert "Partnership workbooks" not in page.content()
        assert "reflective log" not in page.content().lower()
    response = page.goto(f"{token_server.url}/?token={TOKEN}")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Partnership workbooks")).to_be_visible()


def test_with_an_empty_pool_a_page_still_opens_in_a_fresh_kernel(page, token_server):
    page.goto(f"{token_server.url}/?token={TOKEN}")
    open_workbook(page, token_server, "reflective_log", author="Eve")
    expect(page.get_by_role("heading", name="The whole log")).to_be_visible()
    assert_no_traceback(page)
    assert "Using pre-heated kernel" not in token_server.log_text()


def test_the_landing_page_works_with_the_keyboard_alone(page, server):
    page.goto(server.url + "/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "author":
            break
    assert page.evaluate("document.activeElement.id") == "author"
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "save-name"
    page.keyboard.press("Enter")
    expect(page.locator("#who-status")).to_contain_text("Kim Keys")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pupil"
    page.keyboard.press("ArrowDown")
    href = page.get_by_role("link", name="Community partnership map", exact=True).get_attribute(
        "href")
    assert "author=Kim+Keys" in href and "pupil=P-1002" in href


def test_the_landing_page_has_no_serious_accessibility_problems(page, server):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server.url + "/")
    results = Axe().run(page).response
    assert [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")] == []
