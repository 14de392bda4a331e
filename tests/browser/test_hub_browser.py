"""partnerkit on a real JupyterHub: people sign in at the hub, each gets partnerkit's pages
on a server of their own, saves go to the shared PostgreSQL store under their own account,
nobody reaches another person's server, and a stopped server loses nothing."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from partnerkit.store import open_store
from tests.helpers.hub import PASSWORD, running_hub
from tests.helpers.isolation import pinned, wait_for_widgets
from tests.helpers.left_on_disk import cells_naming
from tests.helpers.served_pages import form_of, status_of, wait_for_page

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def hub(tmp_path_factory, chromium_path):
    """The hub these tests share (started once: it takes a while)."""
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running


PAGE = "voila/render/mapping_tool.ipynb?workspace=demo&pupil=P-1001"
FIELD = "Siblings"


def hub_tab(browser, hub, username: str, password: str = PASSWORD):
    """A browser tab signed in at the hub's own sign-in page, on its landing page."""
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(180_000)
    tab.goto(hub.url + "hub/login")
    tab.fill("#username_input", username)
    tab.fill("#password_input", password)
    tab.click("#login_submit")
    tab.wait_for_url(re.compile(rf"/user/{re.escape(username)}/"), timeout=240_000)
    return tab


def open_hub_page(tab, hub, path: str) -> None:
    """One of the hub's own pages, once its script has bound its buttons.

    The page's "load" comes before RequireJS runs the page's script (a timer later), and a
    click in between falls on a button with nothing behind it: the stop in CI of 917e2a2
    never happened. JupyterHub sets ``_jupyterhub_page_loaded`` when its script has run.
    """
    tab.goto(hub.url + path)
    tab.wait_for_function("window._jupyterhub_page_loaded === true")


def open_map(tab, hub, username: str):
    """The mapping page for P-1001 on the person's own server, with its widgets drawn.

    A stopped server is started again on the way (the hub's implicit spawn).
    """
    tab.goto(f"{hub.url}user/{username}/{PAGE}")
    tab.wait_for_url(re.compile(rf"/user/{re.escape(username)}/voila/render/"),
                     timeout=240_000)
    wait_for_page(tab)
    wait_for_widgets(tab)
    return pinned(tab, tab.get_by_label(FIELD, exact=True).first)


def saved_by(hub, text: str) -> list[tuple[str, str]]:
    """Who saved each pupil profile holding ``text`` in the shared store (and its history)."""
    store = open_store(url=hub.database_url)
    try:
        return [(r.updated_by, store.history("demo", "pupil_profile", r.key)[-1].author)
                for r in store.list("demo", "pupil_profile") if text in str(r.data)]
    finally:
        store.close()


def test_two_people_save_through_the_hub_under_their_own_accounts(browser, hub):
    for username, name in (("demo-teacher", "Ross Mackay"), ("demo-lead", "")):
        tab = hub_tab(browser, hub, username)
        expect(tab.locator("#who-status")).to_contain_text(f"({username})")
        if name:
            expect(tab.locator("#who-status")).to_contain_text(name)
        box = open_map(tab, hub, username)
        text = f"Typed at the hub by {username} {uuid.uuid4().hex[:6]}"
        box.fill(text)
        expect(status_of(form_of(tab, box))).to_contain_text("Saved at")
        assert saved_by(hub, text) == [(username, username)]
        tab.context.close()


def test_nobody_reaches_another_persons_server_or_kernels(browser, hub):
    tab = hub_tab(browser, hub, "demo-teacher")
    for path in ("user/demo-lead/", f"user/demo-lead/{PAGE}", "user/demo-lead/api/kernels"):
        response = tab.goto(hub.url + path)
        assert response.status in (403, 404), (path, response.status)
        assert "P-1001" not in tab.content()
    tab.context.close()


def test_a_stopped_server_loses_nothing_and_starts_again(browser, hub):
    tab = hub_tab(browser, hub, "demo-lead")
    box = open_map(tab, hub, "demo-lead")
    text = f"Kept after a stop {uuid.uuid4().hex[:6]}"
    box.fill(text)
    expect(status_of(form_of(tab, box))).to_contain_text("Saved at")
    open_hub_page(tab, hub, "hub/home")
    tab.click("#stop")
    expect(tab.locator("#stop")).to_be_hidden(timeout=120_000)
    again = open_map(tab, hub, "demo-lead")
    expect(again).to_have_value(text)
    assert saved_by(hub, text) == [("demo-lead", "demo-lead")]
    tab.context.close()


def test_a_hub_user_with_no_workspace_is_told_who_to_ask(browser, hub):
    from partnerkit.accounts import hash_password

    store = open_store(url=hub.database_url)
    try:
        store.add_account("new.partner", "New Partner", created_by="test",
                          password_hash=hash_password(PASSWORD))
    finally:
        store.close()
    tab = hub_tab(browser, hub, "new.partner")
    expect(tab.locator("#no-workspace")).to_contain_text("Ask your school lead")
    assert "Traceback" not in tab.content()
    tab.context.close()


# --------------------------------------------- pages by Voilà's server extension

@pytest.fixture(scope="module")
def extension_hub(tmp_path_factory, chromium_path):
    """A hub whose people get the pages from Voilà's server extension (not the default)."""
    with running_hub(tmp_path_factory.mktemp("hub-extension"),
                     env={"PARTNERKIT_HUB_PAGES": "extension"}) as running:
        yield running


SEND_TO_KERNEL = """async ([url, code]) => await new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const message = (id, type, content) => JSON.stringify({
        header: {msg_id: id, msg_type: type, username: '', session: 'pk-test', version: '5.3',
                 date: new Date().toISOString()},
        parent_header: {}, metadata: {}, content: content, channel: 'shell', buffers: []});
    const answered = [];
    socket.onerror = () => reject(new Error('the kernel socket did not open'));
    socket.onopen = () => {
        socket.send(message('pk-run', 'execute_request', {code: code, silent: false,
            store_history: false, user_expressions: {}, allow_stdin: false,
            stop_on_error: true}));
        socket.send(message('pk-info', 'kernel_info_request', {}));
    };
    socket.onmessage = (event) => {
        const reply = JSON.parse(event.data);
        const to = reply.parent_header && reply.parent_header.msg_id;
        if (to) { answered.push(to + ':' + reply.msg_type); }
        if (to === 'pk-info' && reply.msg_type === 'kernel_info_reply') {
            socket.close();
            resolve(answered);
        }
    };
})"""
"""Send the page's kernel code to run, then a kernel_info_request: the kernel answers on
one channel in order, so once the info reply is in, any answer to the code would be too."""


def test_extension_pages_act_as_the_hub_user_and_run_no_code_from_the_browser(
        browser, extension_hub):
    from tests.helpers.served_pages import kernel_id

    tab = hub_tab(browser, extension_hub, "demo-teacher")
    tab.goto(f"{extension_hub.url}user/demo-teacher/{PAGE}&account=demo-lead&as=demo-lead")
    wait_for_page(tab)
    wait_for_widgets(tab)
    box = pinned(tab, tab.get_by_label(FIELD, exact=True).first)
    text = f"Typed through the extension {uuid.uuid4().hex[:6]}"
    box.fill(text)
    expect(status_of(form_of(tab, box))).to_contain_text("Saved at")
    assert saved_by(extension_hub, text) == [("demo-teacher", "demo-teacher")]

    marker = extension_hub.folder / "code-from-the-browser-ran"
    socket = (extension_hub.url.replace("http://", "ws://") +
              f"user/demo-teacher/api/kernels/{kernel_id(tab)}/channels")
    answered = tab.evaluate(SEND_TO_KERNEL, [socket, f"open({str(marker)!r}, 'w').close()"])
    assert "pk-info:kernel_info_reply" in answered
    assert not [a for a in answered if a.startswith("pk-run:")], answered
    assert not marker.exists()
    tab.context.close()


def test_extension_pages_keep_no_history_of_their_cells_on_disk(browser, extension_hub):
    from pathlib import Path

    home = Path("/tmp/demo-teacher")  # the simple spawner's home folder for the user
    before = cells_naming(home, "P-1001")
    tab = hub_tab(browser, extension_hub, "demo-teacher")
    tab.goto(f"{extension_hub.url}user/demo-teacher/{PAGE}")
    wait_for_page(tab)
    wait_for_widgets(tab)
    tab.context.close()
    assert cells_naming(home, "P-1001") == before
