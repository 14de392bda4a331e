"""partnerkit serve in a real browser: landing page, forms kept, safety, accessibility."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit import access, catalog
from tests.browser.conftest import signed_in_page
from tests.helpers.accessibility import serious_violations
from tests.helpers.served_pages import assert_no_traceback, open_workbook
from tests.serve.people import ANN, EVE

pytestmark = pytest.mark.browser


def test_the_landing_page_lists_every_workbook_an_admin_may_open_and_the_six_steps(page,
                                                                                  server):
    page.goto(server.url + "/")
    assert page.title().startswith("Partnership workbooks")
    expect(page.locator("#who-status")).to_have_text("Signed in as Ada Admin (ada.admin).")
    for workbook in catalog.available():
        if access.ADMIN not in access.WORKBOOK_ROLES[workbook.name]:
            assert page.get_by_role("link", name=workbook.title, exact=True).count() == 0
        elif workbook.target == "step":
            for number in range(1, 7):
                assert page.get_by_role("link", name=re.compile(f"^Step {number}:")).count() == 1
        else:
            assert page.get_by_role("link", name=workbook.title, exact=True).count() == 1
    options = page.locator("#pupil option").all_inner_texts()
    assert options == ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]


def test_the_pupil_chosen_goes_into_the_links_and_who_is_working_never_does(page, server):
    page.goto(server.url + "/")
    page.select_option("#pupil", "P-1003")
    href = page.get_by_role("link", name="Community partnership map", exact=True).get_attribute(
        "href")
    assert "pupil=P-1003" in href and "workspace=demo" in href
    hrefs = [a.get_attribute("href") for a in page.locator("a.pk-link").all()]
    assert len(hrefs) == admins_links() and not [h for h in hrefs if "author=" in h]


def admins_links() -> int:
    """The links an admin's landing page has: one per workbook, six for the six steps."""
    from partnerkit import access, catalog

    return sum(6 if w.name == "six_steps" else 1 for w in catalog.available()
               if access.ADMIN in access.WORKBOOK_ROLES[w.name])


def test_the_landing_page_escapes_what_it_shows(browser, server):
    tab = signed_in_page(browser, server, EVE)
    try:
        tab.goto(server.url + "/")
        expect(tab.locator("#who-status")).to_contain_text("<img src=x onerror=alert(1)>")
        assert tab.locator("img").count() == 0
    finally:
        tab.context.close()


def test_the_store_file_is_never_served(server):
    from tests.serve.running import sign_in

    client, _ = sign_in(server, ANN.username)
    for path in ["/voila/files/partnerkit.sqlite", "/voila/files/../partnerkit.sqlite",
                 f"/voila/files/{server.data}/partnerkit.sqlite", "/partnerkit.sqlite",
                 "/voila/files/mapping_tool.ipynb", "/voila/api/contents/../partnerkit.sqlite"]:
        response = client.get(server.url + path, timeout=30, allow_redirects=False)
        assert b"SQLite format 3" not in response.content, path
        assert b'"cells"' not in response.content, path
        assert response.status_code in (403, 404), (path, response.status_code)


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
        open_workbook(page, server, "reflective_log")
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


def test_with_an_empty_pool_a_page_still_opens_in_a_fresh_kernel(browser, fresh_server):
    tab = signed_in_page(browser, fresh_server, ANN)
    try:
        open_workbook(tab, fresh_server, "reflective_log")
        expect(tab.get_by_role("heading", name="The whole log")).to_be_visible()
        expect(tab.locator("#pk-who-text")).to_have_text("Signed in as Ann Teacher (ann.teacher)")
        assert_no_traceback(tab)
        assert "Using pre-heated kernel" not in fresh_server.log_text()
    finally:
        tab.context.close()


def test_the_landing_page_works_with_the_keyboard_alone(page, server):
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "sign-out"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pupil":
            break
    assert page.evaluate("document.activeElement.id") == "pupil"
    page.keyboard.press("ArrowDown")
    href = page.get_by_role("link", name="Community partnership map", exact=True).get_attribute(
        "href")
    assert "pupil=P-1002" in href
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Partnership principles"


def test_the_landing_page_has_no_serious_accessibility_problems(page, server):
    page.goto(server.url + "/")
    assert serious_violations(page) == []
