"""How a served page behaves: request hand-over, deferred parts, friendly errors, charts."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from IPython.display import HTML  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from partnerkit import page  # noqa: E402


def _figure(title: str = "", label: str = "") -> Figure:
    figure = Figure()
    ax = figure.subplots()
    ax.plot([1, 2, 3])
    if title:
        ax.set_title(title)
    if label:
        figure.set_label(label)
    return figure


@pytest.mark.parametrize(("title", "label", "alt"), [
    ("Pupils in each attendance band", "", "Chart: Pupils in each attendance band"),
    ("ignored", "Ecomap of P-1001", "Ecomap of P-1001"),
    ("", "", page.FALLBACK_ALT),
])
def test_the_alternative_text_is_the_label_else_the_titles(title, label, alt):
    assert page.figure_alt(_figure(title, label)) == alt


def test_the_image_carries_escaped_alternative_text():
    html = page.figure_html(_figure('Q1 "gap" <5'))
    assert html.startswith('<img class="pk-figure" src="data:image/png;base64,')
    assert 'alt="Chart: Q1 &#34;gap&#34; &lt;5"' in html


def test_in_a_kernel_a_figure_displays_as_html_with_alt_and_no_bare_png():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert page.install_figures(shell)
    data, _ = shell.display_formatter.format(_figure("Attendance by month"))
    assert 'alt="Chart: Attendance by month"' in data["text/html"]
    assert "image/png" not in data


def test_outside_a_kernel_nothing_is_installed(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert page.install_figures() is False


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_PREHEAT", "QUERY_STRING",
                 "PARTNERKIT_SERVED", "SCRIPT_NAME", page.READY_DIR_ENV):
        monkeypatch.setenv(name, "")  # put back as it was after the test
        monkeypatch.delenv(name)
    return monkeypatch


def test_outside_a_server_a_page_has_no_request(clean_env):
    assert not page.is_served() and page.request_parameters() == {}


def test_a_served_page_reads_its_query_string(clean_env):
    clean_env.setenv("PARTNERKIT_SERVED", "1")
    clean_env.setenv("QUERY_STRING", "pupil=P-2&author=Bea&empty=")
    assert page.request_parameters() == {"pupil": "P-2", "author": "Bea"}


def test_a_preheated_kernel_waits_again_until_the_page_request_arrives(tmp_path, clean_env):
    import voila.utils

    clean_env.setenv("VOILA_PREHEAT", "True")
    clean_env.setenv("VOILA_KERNEL_ID", "k-1")
    clean_env.setenv(page.READY_DIR_ENV, str(tmp_path))
    clean_env.setattr(page, "REQUEST_RETRY_SECONDS", 0)
    attempts = []

    def wait_for_request(url=None):
        attempts.append(url)
        if len(attempts) == 1:
            raise TimeoutError("server busy")  # Voilà's own wait gives up after 5 s
        if len(attempts) == 3:
            clean_env.setenv("SCRIPT_NAME", "/voila/render/mapping_tool.ipynb")
            clean_env.setenv("QUERY_STRING", "pupil=P-7&author=Cal")

    clean_env.setattr(voila.utils, "wait_for_request", wait_for_request)
    assert page.request_parameters() == {"pupil": "P-7", "author": "Cal"}
    assert len(attempts) == 3
    assert (tmp_path / "k-1").exists(), "the kernel told the server it was ready first"


def test_a_pool_kernel_says_it_is_ready_in_the_folder_the_server_gave(tmp_path, clean_env):
    clean_env.setenv(page.READY_DIR_ENV, str(tmp_path))
    page.mark_ready("abc-123")
    assert (tmp_path / "abc-123").exists()


def test_a_pool_kernel_shut_down_while_it_waits_for_a_page_ends_quietly(tmp_path):
    """jupyter_client interrupts a kernel before it asks it to shut down (the server
    stopping on Ctrl+C does this to every pool kernel): a kernel still waiting for a
    page ends at once, with no traceback in the server's console."""
    import os
    import sys
    import time

    from jupyter_client.manager import KernelManager

    ready = tmp_path / "ready"
    ready.mkdir()
    env = {**os.environ, "VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k-wait",
           page.READY_DIR_ENV: str(ready), page.QUERY_SECRET_ENV: "s",
           "VOILA_APP_PORT": "9"}  # nothing answers there: the kernel keeps waiting
    env.pop("SCRIPT_NAME", None)
    manager = KernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable
    console = tmp_path / "console.txt"
    with console.open("w") as stderr:
        manager.start_kernel(env=env, stderr=stderr, stdout=stderr)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute("from partnerkit import page\n"
                           "page.wait_for_page_request(retry_seconds=0.05)")
            deadline = time.monotonic() + 60
            while not (ready / "k-wait").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert (ready / "k-wait").exists(), console.read_text()
            started = time.monotonic()
            manager.shutdown_kernel()
            took = time.monotonic() - started
        finally:
            client.stop_channels()
            if manager.has_kernel:
                manager.shutdown_kernel(now=True)
    text = console.read_text()
    assert "is ready for a page" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert took < 5, f"the shutdown waited {took:.1f} s for the kernel to end"


def test_an_error_in_a_page_is_a_plain_escaped_message():
    from partnerkit.errors import NotFoundError

    text = page.error_html(NotFoundError("no such pupil", value="<P-9>",
                                         fix="pick a pupil from the list"))
    assert "&lt;P-9&gt;" in text and "pick a pupil" in text and "Traceback" not in text
    assert 'role="alert"' in text
    other = page.error_html(ZeroDivisionError("secret internals"))
    assert "secret internals" not in other and "Reload" in other


def _drawn(out) -> str:
    return out.outputs[0]["data"]["text/html"]


def test_a_deferred_part_shows_a_placeholder_until_the_page_is_done():
    import asyncio

    parts = page.DeferredParts()

    async def run() -> tuple[str, str, str, str]:
        out, _ = page.live_output(lambda: HTML("<b>the map</b>"))
        parts.add(out, lambda: HTML("<b>the map</b>"))
        first = _drawn(out)
        await asyncio.sleep(0)
        before_done = _drawn(out)
        parts.done()
        during_cell = _drawn(out)
        await asyncio.sleep(0)  # one turn of the loop: the drawing runs after the cell
        return first, before_done, during_cell, _drawn(out)

    first, before_done, during_cell, drawn = asyncio.run(run())
    assert first == before_done == during_cell == page.DRAWING_PLACEHOLDER
    assert drawn == "<b>the map</b>" and parts.waiting == []


def test_the_kernel_answers_its_page_between_two_drawings():
    """A message that reached the kernel during the first drawing (the page asking for
    its forms) is answered before the second drawing starts."""
    import asyncio

    parts = page.DeferredParts()
    events: list[str] = []

    def drawing(name: str):
        def build():
            events.append(name)
            if name == "chart 1":   # the page's request arrives while chart 1 is drawn
                asyncio.get_running_loop().call_soon(events.append, "page answered")
            return HTML(f"<b>{name}</b>")
        return build

    async def run() -> None:
        for name in ("chart 1", "chart 2", "chart 3"):
            out, _ = page.live_output(lambda: None)
            parts.add(out, drawing(name))
        parts.done()
        await asyncio.sleep(1)

    asyncio.run(run())
    assert events == ["chart 1", "page answered", "chart 2", "chart 3"]


def test_without_an_event_loop_done_draws_at_once():
    parts = page.DeferredParts()
    out, _ = page.live_output(lambda: None)
    parts.add(out, lambda: HTML("<i>now</i>"))
    parts.done()
    assert _drawn(out) == "<i>now</i>"


def test_a_deferred_part_that_fails_shows_a_plain_message():
    parts = page.DeferredParts()
    out, _ = page.live_output(lambda: None)
    parts.add(out, lambda: 1 / 0)
    parts.done()
    assert "Reload" in _drawn(out) and "ZeroDivisionError" not in _drawn(out)


@pytest.fixture
def shell():
    from tests.helpers.ipython_shell import recording_shell

    with recording_shell() as (ipython, shown):
        yield ipython, shown


RAISE_PUPIL_ERROR = (
    "from partnerkit.errors import NotFoundError\n"
    "def open_pupil():\n"
    "    raise NotFoundError('there is no such pupil', value='P-4242', where='pupil',\n"
    "                        fix='pick one of P-1001, P-1002')\n"
    "open_pupil()\n")


def _plain(lines: list[str]) -> str:
    """Traceback lines as text, without IPython's colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(lines))


def test_outside_ipython_no_error_handler_is_installed(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert page.install_clear_errors() is False


def test_in_a_kernel_a_partnerkit_error_shows_as_its_message_and_the_cell_fails(shell):
    ipython, shown = shell
    assert page.install_clear_errors(ipython)
    result = ipython.run_cell(RAISE_PUPIL_ERROR)
    assert not result.success, "papermill must still see the cell fail"
    assert type(result.error_in_exec).__name__ == "NotFoundError"
    ((etype, _, lines),) = shown
    assert lines == ["NotFoundError: pupil 'P-4242': there is no such pupil; pick one of "
                     "P-1001, P-1002", page.TRACEBACK_HINT]


def test_the_full_traceback_of_a_partnerkit_error_is_there_on_request(shell):
    ipython, shown = shell
    page.install_clear_errors(ipython)
    ipython.run_cell(RAISE_PUPIL_ERROR)
    ipython.run_cell("%tb")
    full = _plain(shown[-1][2])
    assert len(shown) == 2 and "Traceback" in full
    assert "open_pupil()" in full and "raise NotFoundError" in full


def test_in_a_kernel_other_errors_keep_their_traceback(shell):
    ipython, shown = shell
    page.install_clear_errors(ipython)
    result = ipython.run_cell("def divide():\n    return 1 / 0\ndivide()\n")
    assert not result.success
    ((etype, _, lines),) = shown
    text = _plain(lines)
    assert etype is ZeroDivisionError and "Traceback" in text and "return 1 / 0" in text
    assert page.TRACEBACK_HINT not in text
