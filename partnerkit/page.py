"""How a served page behaves: request hand-over, deferred parts, friendly errors, charts.

Voilà runs a workbook in a kernel of its own for each page. This module is what that
kernel does differently from JupyterLab or a batch render:

- **Request hand-over.** A preheated kernel does the imports before anyone asks for a
  page, then waits (:func:`wait_for_page_request`) until the server hands over the
  request; :func:`request_parameters` then reads the page's query string. Under
  ``partnerkit serve`` the kernel proves it is one of the server's own with a secret
  the server gave it, so nobody else can take its request.
- **Identity hand-over.** Who signed in never comes from the page: ``partnerkit serve``
  writes the signed-in account to a file named after the page's kernel in a folder
  only the server's user can open (``$PARTNERKIT_IDENTITY_DIR``), before the kernel
  runs the workbook; :func:`handed_over_identity` reads it once and removes it.
- **Deferred parts.** A slow part (a drawing) shows a placeholder and is drawn once the
  page's cells are done (:class:`DeferredParts`, called by ``Session.done()``), so the
  forms are ready sooner. Elsewhere every part is drawn at once.
- **Friendly errors.** An error shows a plain message (:func:`error_html`), never a
  traceback; the details go to the server log (:func:`install_friendly_errors`). In
  JupyterLab or papermill a partnerkit error shows as its one clear message too, and
  the cell still fails (:func:`install_clear_errors`); other errors keep IPython's
  traceback there (they are a programmer's errors).
- **Charts with alternative text.** A matplotlib figure shows as an ``<img>`` whose
  ``alt`` is its label or titles (:func:`install_figures`), not a bare PNG that a screen
  reader announces only as "image".

Fragments of HTML come from Jinja partials in ``templates/parts/`` (autoescaped).
"""

from __future__ import annotations

import base64
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from partnerkit.errors import AccessDeniedError, PartnerkitError
from partnerkit.page_comms import hold_widget_messages
from partnerkit.reports.parts import render_part

log = logging.getLogger(__name__)

SERVED_ENV = "PARTNERKIT_SERVED"
REQUEST_MARKER = "SCRIPT_NAME"
"""Set by Voilà, with ``QUERY_STRING``, once a page request has reached the kernel."""
IDENTITY_DIR_ENV = "PARTNERKIT_IDENTITY_DIR"
"""Where ``partnerkit serve`` hands each page's kernel the signed-in account."""
READY_DIR_ENV = "PARTNERKIT_READY_DIR"
"""Where a pool kernel says it is ready for a page (see ``serve.kernels.WarmingGate``)."""
QUERY_SECRET_ENV = "PARTNERKIT_QUERY_SECRET"
"""The secret ``partnerkit serve`` gives its kernels to ask for their page request."""
QUERY_SECRET_HEADER = "X-Partnerkit-Kernel-Secret"
"""The header a preheated kernel sends the secret in (a browser cannot set it)."""
REQUEST_OPEN_SECONDS = 5.0
REQUEST_RETRY_SECONDS = 0.5
BETWEEN_DRAWINGS_SECONDS = 0.05
"""The pause between two deferred drawings, in which the kernel answers its page."""
DRAWING_PLACEHOLDER = '<p class="pk-help" role="status">Drawing… this takes a moment.</p>'
FALLBACK_ALT = "Chart. The text or table beside it gives the same information."
UNEXPECTED_ERROR = ("Something went wrong on the server while building this part of the "
                    "page. Your saved answers are safe. Reload the page; if it happens "
                    "again, tell whoever runs this server (the details are in its log).")
"""What a page says for an error that is not a partnerkit error (its text may hold internals)."""


# --- Request hand-over ------------------------------------------------------------------

def is_served() -> bool:
    """True in a kernel started by Voilà (``partnerkit serve`` or plain ``voila``)."""
    return bool(os.environ.get(SERVED_ENV) or os.environ.get("VOILA_KERNEL_ID")
                or os.environ.get("VOILA_REQUEST_URL") or os.environ.get("VOILA_PREHEAT"))


def is_preheated() -> bool:
    """True in a kernel Voilà started ahead of any request (a preheated pool kernel)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def wait_for_page_request(retry_seconds: float | None = None) -> None:
    """In a preheated kernel, block until a page request has handed over its details.

    Voilà's own wait gives up quietly when it cannot reach the server in five seconds
    (a busy server), which would let the workbook go on with its default parameters:
    someone else's pupil, no author. So this waits again until the request details
    (``SCRIPT_NAME``, ``QUERY_STRING``) are really in the environment.
    """
    if REQUEST_MARKER not in os.environ:
        kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
        # One write, so lines from kernels starting together never run into each other.
        sys.__stderr__.write(f"partnerkit: preheated kernel {kernel_id or '?'} "
                             "is ready for a page\n")
        sys.__stderr__.flush()
        mark_ready(kernel_id)
    try:
        while REQUEST_MARKER not in os.environ:
            try:
                fetch_request_info()
            except Exception:  # noqa: BLE001 - a failed wait is retried, never shown
                log.warning("waiting for the page request failed; trying again",
                            exc_info=True)
            if REQUEST_MARKER not in os.environ:
                time.sleep(REQUEST_RETRY_SECONDS if retry_seconds is None else retry_seconds)
    except KeyboardInterrupt:
        end_unused_kernel()


def end_unused_kernel() -> None:
    """End a pool kernel that was interrupted before any page was handed to it.

    Only a shutdown interrupts a kernel that waits for a page: the server stopping
    (Ctrl+C) or the kernel being replaced, and jupyter_client interrupts a kernel before
    it asks it to shut down. The kernel holds no answers, so it ends at once and quietly;
    going on would raise in the waiting cell and then answer it on sockets that are
    already closing, two tracebacks in the server's console for each waiting kernel.
    """
    sys.__stderr__.flush()
    os._exit(0)


def fetch_request_info() -> None:
    """Wait once for this kernel's page request and put its details in the environment.

    Under ``partnerkit serve`` the kernel proves it is one of the server's kernels by
    sending the server's secret (``$PARTNERKIT_QUERY_SECRET``) in a header: the server
    refuses anyone else, so nobody can take a waiting kernel's request. Under plain
    Voilà this is Voilà's own ``wait_for_request``.
    """
    secret = os.environ.get(QUERY_SECRET_ENV)
    if not secret:
        from voila.utils import wait_for_request

        wait_for_request()
        return
    found: dict[str, Any] = {}

    def receive() -> None:
        import asyncio

        try:
            found["info"] = asyncio.run(_receive_request(request_info_url(), secret))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            found["error"] = exc

    # The kernel's own event loop is running: wait in a thread of its own, as Voilà does.
    import threading

    thread = threading.Thread(target=receive, name="partnerkit-request")
    thread.start()
    thread.join()
    if "error" in found:
        raise found["error"]
    for name, value in json.loads(found["info"]).items():
        os.environ[name] = value


def request_info_url() -> str:
    """Where a preheated kernel asks the server for its page request."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    host = f"[{host}]" if ":" in host else host
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


async def _receive_request(url: str, secret: str) -> str:
    """Open the server's request socket with the secret and wait for the request."""
    import ssl

    import websockets

    context = None
    if url.startswith("wss:"):
        # The server's own address: its certificate may name another host.
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    async with websockets.connect(url, additional_headers={QUERY_SECRET_HEADER: secret},
                                  open_timeout=REQUEST_OPEN_SECONDS, ssl=context,
                                  proxy=None) as socket:
        message = await socket.recv()
    return message if isinstance(message, str) else message.decode("utf-8")


def mark_ready(kernel_id: str) -> None:
    """In a pool kernel: tell the server this kernel now waits for a page."""
    folder = os.environ.get(READY_DIR_ENV)
    if folder and kernel_id:
        try:
            (Path(folder) / kernel_id).touch()
        except OSError:
            log.warning("could not tell the server that kernel %s is ready", kernel_id)


def request_parameters() -> dict[str, str]:
    """The page's query string values; waits for the request in a preheated Voilà kernel."""
    if not is_served():
        return {}
    if is_preheated():
        wait_for_page_request()
    query = os.environ.get("QUERY_STRING", "")
    return dict(parse_qsl(query, keep_blank_values=False))


# --- Identity hand-over ----------------------------------------------------------------

def kernel_id() -> str | None:
    """The id of the kernel this runs in: Voilà's variable, else its connection file's name."""
    known = os.environ.get("VOILA_KERNEL_ID")
    if known:
        return known
    try:
        from ipykernel.connect import get_connection_file

        name = Path(get_connection_file()).stem
    except Exception:  # noqa: BLE001 - not in a kernel
        return None
    return name.removeprefix("kernel-") or None


def identity_expected() -> bool:
    """True in a kernel of ``partnerkit serve``, which hands over who signed in."""
    return bool(os.environ.get(IDENTITY_DIR_ENV))


def identity_file(folder: str | os.PathLike[str], kernel: str) -> Path:
    """Where the server leaves the identity for the kernel ``kernel``."""
    return Path(folder) / f"{kernel}.json"


def handed_over_identity() -> dict[str, Any]:
    """The signed-in account the server handed to this kernel (read once, then removed).

    Raises AccessDeniedError when there is none: the page was not opened by a signed-in
    person through the server, so it shows nothing and saves nothing.
    """
    kernel = kernel_id()
    path = identity_file(os.environ[IDENTITY_DIR_ENV], kernel or "?")
    try:
        identity = json.loads(path.read_text(encoding="utf-8"))
        path.unlink(missing_ok=True)
    except (OSError, ValueError):
        identity = None
    if not isinstance(identity, dict) or not identity.get("username"):
        raise AccessDeniedError("this page was not opened by a signed-in person",
                                where="page", fix="sign in, then open the workbook from "
                                                  "the first page")
    return identity


# --- Deferred parts ---------------------------------------------------------------------

def live_output(build: Callable[[], Any]) -> tuple[Any, Callable[[], None]]:
    """An empty Output widget and the function that (re)draws ``build()`` into it.

    The drawing function is for a cell or a widget callback (IPython captures what it
    displays); :meth:`DeferredParts.done` draws from the event loop instead.
    """
    import ipywidgets as widgets
    from IPython.display import display

    out = widgets.Output()

    def draw() -> None:
        out.clear_output(wait=True)
        with out:
            display(build())

    return out, draw


class DeferredParts:
    """The slow parts of a served page, drawn once the page's cells are done.

    :meth:`add` shows :data:`DRAWING_PLACEHOLDER` in the part; :meth:`done` (the
    workbook's last cell, through ``Session.done()``) draws the waiting parts just after
    the current cell ends, from the kernel's event loop, so the page's last output
    reaches the browser first. They are drawn one at a time, with a pause of
    :data:`BETWEEN_DRAWINGS_SECONDS` between them in which the kernel answers the page:
    the page asks for its forms as it connects, and drawn all at once (the attendance
    page's charts) they kept every form on "Loading widget..." until the last was done.
    """

    def __init__(self) -> None:
        self.waiting: list[Callable[[], None]] = []

    def add(self, out: Any, build: Callable[[], Any]) -> None:
        """Show the placeholder in ``out`` and draw ``build()`` there when the page is done."""
        out.outputs = (_html_output(DRAWING_PLACEHOLDER),)
        self.waiting.append(lambda: draw_outside_cell(out, build))

    def done(self) -> None:
        """Draw the waiting parts: one by one after the running cell, or at once (no loop)."""
        waiting, self.waiting = self.waiting, []
        if not waiting:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            for draw in waiting:
                draw()
            return

        def draw_next() -> None:
            waiting.pop(0)()
            if waiting:
                loop.call_later(BETWEEN_DRAWINGS_SECONDS, draw_next)

        loop.call_soon(draw_next)


def _display_output(data: dict[str, Any], metadata: dict[str, Any] | None = None
                    ) -> dict[str, Any]:
    """One display output, as an Output widget holds it."""
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def _html_output(markup: str) -> dict[str, Any]:
    return _display_output({"text/html": markup, "text/plain": "(drawing)"})


def draw_outside_cell(out: Any, build: Callable[[], Any]) -> None:
    """Draw into an Output widget from an event-loop callback (no cell to capture from).

    A drawing that fails shows :func:`error_html` in its place and logs the details.
    """
    from IPython import get_ipython
    from IPython.core.formatters import DisplayFormatter

    shell = get_ipython()
    formatter = shell.display_formatter if shell is not None else DisplayFormatter()
    try:
        data, metadata = formatter.format(build())
        out.outputs = (_display_output(data, metadata),)
    except Exception as exc:  # noqa: BLE001 - a drawing must never leave a traceback
        log.exception("drawing a live part of the page failed")
        out.outputs = (_html_output(error_html(exc)),)


# --- Friendly errors --------------------------------------------------------------------

def error_html(exc: BaseException) -> str:
    """A plain message for a page: what went wrong and what to do, never a traceback.

    A partnerkit error says its value, where and fix; any other error says only that
    something went wrong and that saved answers are safe (its text may hold internals).
    """
    message = str(exc) if isinstance(exc, PartnerkitError) else UNEXPECTED_ERROR
    return render_part("page_error", message=message)


def install_friendly_errors() -> None:
    """In a served kernel, show errors as a plain message and log the details."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return

    def handler(_shell: Any, etype: type, value: BaseException, tb: Any,
                tb_offset: int | None = None) -> None:
        log.error("error in a served workbook", exc_info=(etype, value, tb))
        print(f"partnerkit: {etype.__name__}: {value}", file=sys.__stderr__)
        display(HTML(error_html(value)))

    def plain_traceback(etype: type, value: BaseException, stb: Any) -> None:
        # Everything else IPython would show as a traceback (a failing button
        # callback, say): the same plain message, the details to the server log.
        print(f"partnerkit: {getattr(etype, '__name__', etype)}: {value}", file=sys.__stderr__)
        display(HTML(error_html(value)))

    shell.set_custom_exc((Exception,), handler)
    shell._showtraceback = plain_traceback


TRACEBACK_HINT = "(%tb in a new cell shows the full traceback)"
"""What follows a partnerkit error's message in JupyterLab: the detail is on request."""


def clear_error_lines(etype: type, value: BaseException) -> list[str]:
    """A partnerkit error as IPython shows it outside a served page: the message, a hint."""
    return [f"{etype.__name__}: {value}", TRACEBACK_HINT]


def install_clear_errors(shell: Any = None) -> bool:
    """In any IPython kernel, show a partnerkit error as its one clear message.

    The cell still fails (papermill reports it and stops); the error output holds the
    message and a hint that ``%tb`` shows the full traceback, not the frames. Other
    errors keep IPython's normal traceback. False outside IPython.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False

    def handler(self: Any, etype: type, value: BaseException, tb: Any,
                tb_offset: int | None = None) -> list[str]:
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb  # for %tb
        lines = clear_error_lines(etype, value)
        self._showtraceback(etype, value, lines)
        return lines

    shell.set_custom_exc((PartnerkitError,), handler)
    return True


# --- Charts with alternative text -------------------------------------------------------

def figure_alt(figure: Any) -> str:
    """The alternative text for a figure: its label, else its titles, else a fallback."""
    label = (figure.get_label() or "").strip()
    if label:
        return label
    titles = []
    if getattr(figure, "_suptitle", None) is not None:
        titles.append(figure._suptitle.get_text())
    titles.extend(ax.get_title() for ax in figure.get_axes())
    text = "; ".join(t.strip() for t in titles if t and t.strip())
    return f"Chart: {text}" if text else FALLBACK_ALT


def figure_html(figure: Any) -> str:
    """A figure as an ``<img>`` with alternative text (PNG, as Jupyter would draw it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return render_part("page_figure", png_base64=data, alt=figure_alt(figure))


FIGURE_TYPE = ("matplotlib.figure", "Figure")
"""The figure class, by module and name: registered without importing matplotlib."""
PLAIN_BACKEND = "agg"
"""pyplot's backend on a page that loads it late: it leaves the display formats alone."""


def install_figures(shell: Any = None) -> bool:
    """Show figures as images with alternative text in this kernel; False outside one.

    matplotlib is not imported for this: a page that draws nothing never loads it, and
    a page whose chart is in a closed section loads it when the section opens. Until
    pyplot is loaded, its backend is set to :data:`PLAIN_BACKEND`, whose loading leaves
    the display formats alone (Jupyter's own inline backend would remove these). When
    pyplot is loaded already, its backend is loaded now and these formats replace
    Jupyter's own.
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    figure: Any = FIGURE_TYPE
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt
        from matplotlib.figure import Figure

        # Jupyter's own figure display is set up when pyplot's backend first loads,
        # which happens at the first figure: load it now so these are the last word.
        plt.close(plt.figure())
        figure = Figure
    else:
        _plain_backend()
    formatters = shell.display_formatter.formatters
    _register(formatters["text/html"], figure, figure_html)
    for mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
        if mime in formatters:
            _register(formatters[mime], figure, _no_image)
    return True


def _plain_backend() -> None:
    """Make pyplot, when it loads, use :data:`PLAIN_BACKEND` (without importing it now)."""
    if "matplotlib" in sys.modules:
        import matplotlib

        matplotlib.use(PLAIN_BACKEND)
    else:
        os.environ["MPLBACKEND"] = PLAIN_BACKEND


def _register(formatter: Any, figure: Any, printer: Callable[[Any], Any]) -> None:
    """Register ``printer`` for the figure class, or for its name if not imported yet."""
    if isinstance(figure, tuple):
        formatter.for_type_by_name(*figure, printer)
    else:
        formatter.for_type(figure, printer)


def _no_image(_figure: Any) -> None:
    """No bare image of a figure: its HTML (an image with alternative text) shows it."""
    return None


def install() -> None:
    """Make this kernel behave as a served page: friendly errors, charts with alt text.

    Its widgets' messages wait for the page's browser (:mod:`partnerkit.page_comms`).
    """
    install_friendly_errors()
    install_figures()
    hold_widget_messages()
