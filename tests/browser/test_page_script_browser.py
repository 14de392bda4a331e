"""A page runs partnerkit's own script: one file, its widgets on the kernel's main shell.

(``partnerkit/serve/page_script``: Voilà's JupyterLab application is not loaded.)
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.helpers.served_pages import open_workbook

SUBSHELL_MESSAGES = ("create_subshell_request", "subshell_id\": \"")


def test_a_page_loads_one_script_and_none_of_voilas_front_end(page, server):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    scripts = [url for url in asked if url.split("?")[0].endswith(".js")]
    assert [url.split("?")[0].removeprefix(server.url) for url in scripts] == [
        "/partnerkit/page/page.js"]
    assert not [url for url in asked if "/voila/static/" in url or "/voila/labextensions/" in url]
    expect(page.locator(".pk-form input:not([disabled])").first).to_be_visible()
    assert errors == []


def test_widget_messages_go_to_the_kernels_main_shell_never_a_subshell(page, server):
    """A newer JupyterLab client sends widget messages to a kernel subshell (another
    thread) when the kernel offers them: a form's save would then run beside the page's
    other work. The page's script turns that off."""
    sent: list[str] = []
    page.on("websocket", lambda socket: socket.on(
        "framesent", lambda frame: sent.append(
            frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))))
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    field = page.locator(".pk-form input[type=text]").first
    field.fill(field.input_value() + " ")  # a widget message, sent on the page's socket
    field.press("Tab")
    page.wait_for_timeout(1000)
    assert any("comm_msg" in frame for frame in sent), "the page sent its widget messages"
    assert not [frame for frame in sent if any(sign in frame for sign in SUBSHELL_MESSAGES)]


CACHED_PAGE_FILES = """() => performance.getEntriesByType('resource')
    .filter((entry) => entry.name.includes('/partnerkit/page/'))
    .map((entry) => [entry.name.split('/').pop().split('?')[0], entry.transferSize])"""
"""The page's script and stylesheet as this page got them: [name, bytes over the network]
(0 when the browser had them already)."""


def test_the_page_script_is_kept_by_the_browser_for_the_next_page(page, server):
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    assert all(size > 0 for _, size in page.evaluate(CACHED_PAGE_FILES))  # a first page
    open_workbook(page, server, "reflective_log")
    assert sorted(page.evaluate(CACHED_PAGE_FILES)) == [["page.css", 0], ["page.js", 0]]


LATE_TIMERS = """(() => {
  const onTime = window.setTimeout;
  window.setTimeout = (callback, delay, ...rest) =>
    onTime(callback, delay === 100 ? 2500 : delay, ...rest);
})()"""
"""A busy browser: every tenth-of-a-second timer wakes two and a half seconds late."""


def test_a_busy_browser_still_draws_every_form(page, server):
    """ipywidgets' widget manager looks for a widget's model for two seconds, in tenth-of-
    a-second steps, and gives up for good if its last look finds nothing. In a training
    room of 30 (the benchmark's room) a page's last look woke after its widgets had
    arrived but gave up without looking again: "model not found" in place of every form
    on 4 to 17 of the 30 pages. A page now draws its widgets once they have arrived."""
    page.add_init_script(LATE_TIMERS)
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    expect(page.locator(".pk-form input:not([disabled])").first).to_be_visible()
    expect(page.get_by_text("model not found")).to_have_count(0)


UNSAFE_HTML = ('<b>kept</b><img src="x" onerror="window.pwned = 1">'
               '<script>window.pwned = 2</script><a href="javascript:window.pwned = 3">link</a>')
SANITIZERS = {
    "a widget's label given as HTML": "window.partnerkitPage.widgetManager.inline_sanitize(html)",
    "an output the page cannot trust":
        "window.partnerkitPage.widgetManager._rendermime.sanitizer.sanitize(html)",
}


def test_html_the_page_cannot_trust_loses_everything_that_could_run(page, server):
    """The page's sanitizer (DOMPurify, in place of JupyterLab's sanitize-html) keeps
    the markup and drops scripts, event handlers and script addresses, for both of its
    users; what it returns, put in the page, runs nothing."""
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    for user, call in SANITIZERS.items():
        clean = page.evaluate(f"(html) => {call}", UNSAFE_HTML)
        assert "<b>kept</b>" in clean, user
        for unsafe in ("onerror", "<script", "javascript:"):
            assert unsafe not in clean, f"{user}: {unsafe} kept in {clean}"
        page.evaluate("(clean) => { const part = document.createElement('div');"
                      " part.innerHTML = clean; document.body.appendChild(part);"
                      " part.querySelectorAll('a').forEach((link) => link.click()); }", clean)
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned === undefined")


def test_coloured_text_keeps_its_colours_and_nothing_else(page, server):
    """Text with colour codes (a program's coloured output) is drawn as spans with
    their classes: the one use of the sanitizer with a list of tags."""
    open_workbook(page, server, "mapping_tool", pupil="P-1001")
    clean = page.evaluate(
        "(html) => window.partnerkitPage.widgetManager._rendermime.sanitizer.sanitize("
        "html, {allowedTags: ['span']})",
        '<span class="ansi-red-fg">red</span><b>bold</b><script>window.pwned = 1</script>')
    assert clean == '<span class="ansi-red-fg">red</span>bold'
