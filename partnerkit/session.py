"""What every workbook starts with: its parameters, the store and who is answering.

A workbook imports the package first, then has a ``parameters`` cell, then calls
:func:`start`. In a batch render the parameters come from papermill; served by Voilà
with preheated kernels, :func:`start` waits for the page request and takes the
per-user values (pupil, step, author ...) from the query string; in JupyterLab the
defaults apply. In a served page, errors become a plain message, never a traceback.
"""

from __future__ import annotations

import getpass
import html
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from partnerkit import page as served_display
from partnerkit import paths
from partnerkit.errors import PartnerkitError
from partnerkit.forms.looks import share_default_looks
from partnerkit.store import Store, open_store

log = logging.getLogger(__name__)

AUTHOR_ENV = "PARTNERKIT_AUTHOR"
HUB_USER_ENV = "JUPYTERHUB_USER"
SERVED_ENV = "PARTNERKIT_SERVED"
REQUEST_MARKER = "SCRIPT_NAME"
"""Set by Voilà, with ``QUERY_STRING``, once a page request has reached the kernel."""
READY_DIR_ENV = "PARTNERKIT_READY_DIR"
"""Where a pool kernel says it is ready for a page (see ``serve_kernels.WarmingGate``)."""
DRAWING_PLACEHOLDER = '<p class="pk-help" role="status">Drawing… this takes a moment.</p>'
REQUEST_RETRY_SECONDS = 0.5


@dataclass
class Session:
    """The store, workspace and author a workbook works with, and its other parameters."""

    store: Store
    workspace: str
    author: str
    data_dir: Path
    params: dict[str, Any] = field(default_factory=dict)
    served: bool = False
    listeners: dict[str, list[Callable[[], None]]] = field(default_factory=dict, repr=False)
    deferred: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def on_change(self, topic: str, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever a part of the page says ``topic`` changed."""
        self.listeners.setdefault(topic, []).append(callback)

    def changed(self, topic: str) -> None:
        """Say that ``topic`` changed, so the parts of the page that show it redraw."""
        for callback in self.listeners.get(topic, []):
            try:
                callback()
            except Exception:  # noqa: BLE001 - a redraw must never break the form that saved
                log.exception("redraw after %s changed failed", topic)

    def live(self, topic: str, build: Callable[[], Any], *, later: bool = False) -> Any:
        """A page part that shows ``build()`` and redraws it each time ``topic`` changes.

        With ``later``, on a served page a slow part (a drawing) is drawn once the page's
        cells have all run (the workbook's last cell calls :meth:`done`), while the
        browser is still loading the page's scripts, so the forms are ready sooner.
        Elsewhere (JupyterLab, papermill) it is drawn at once.
        """
        import ipywidgets as widgets
        from IPython.display import display

        out = widgets.Output()

        def draw() -> None:
            out.clear_output(wait=True)
            with out:
                display(build())

        if later and self.served:
            out.outputs = (_html_output(DRAWING_PLACEHOLDER),)
            self.deferred.append(lambda: _draw_outside_cell(out, build))
        else:
            draw()
        self.on_change(topic, draw)
        return out

    def done(self) -> None:
        """Say the page's cells have all run: draw the parts that waited (``live(later=)``).

        They are drawn just after the current cell ends, from the kernel's event loop,
        so the page's last output reaches the browser first. The last code cell of a
        workbook with deferred parts calls this.
        """
        waiting, self.deferred = self.deferred, []
        if not waiting:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        for draw in waiting:
            if loop is None:
                draw()
            else:
                loop.call_soon(draw)

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A parameter's value, or ``default``."""
        return self.params.get(name, default)


def _display_output(data: dict[str, Any], metadata: dict[str, Any] | None = None
                    ) -> dict[str, Any]:
    """One display output, as an Output widget holds it."""
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def _html_output(markup: str) -> dict[str, Any]:
    return _display_output({"text/html": markup, "text/plain": "(drawing)"})


def _draw_outside_cell(out: Any, build: Callable[[], Any]) -> None:
    """Draw into an Output widget from an event-loop callback (no cell to capture from)."""
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


def is_served() -> bool:
    """True in a kernel started by Voilà (``partnerkit serve`` or plain ``voila``)."""
    return bool(os.environ.get(SERVED_ENV) or os.environ.get("VOILA_KERNEL_ID")
                or os.environ.get("VOILA_REQUEST_URL") or os.environ.get("VOILA_PREHEAT"))


def is_preheated() -> bool:
    """True in a kernel Voilà started ahead of any request (a preheated pool kernel)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def wait_for_page_request(retry_seconds: float | None = None) -> None:
    """In a preheated kernel, block until a page request has handed over its details.

    Voilà's ``wait_for_request`` gives up quietly when it cannot reach the server in
    five seconds (a busy server), which would let the workbook go on with its default
    parameters: someone else's pupil, no author. So this waits again until the request
    details (``SCRIPT_NAME``, ``QUERY_STRING``) are really in the environment.
    """
    from voila.utils import wait_for_request

    if REQUEST_MARKER not in os.environ:
        kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
        print(f"partnerkit: preheated kernel {kernel_id or '?'} is ready for a page",
              file=sys.__stderr__, flush=True)
        mark_ready(kernel_id)
    while REQUEST_MARKER not in os.environ:
        try:
            wait_for_request()
        except Exception:  # noqa: BLE001 - a failed wait is retried, never shown
            log.warning("waiting for the page request failed; trying again", exc_info=True)
        if REQUEST_MARKER not in os.environ:
            time.sleep(REQUEST_RETRY_SECONDS if retry_seconds is None else retry_seconds)


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


def default_author() -> str:
    """Who is answering when nobody said: the hub user, $PARTNERKIT_AUTHOR, the login name."""
    for name in (HUB_USER_ENV, AUTHOR_ENV):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "practitioner"


def start(*, data_dir: str | None = None, workspace: str = "demo", author: str | None = None,
          **params: Any) -> Session:
    """Open the session a workbook works in; the one call after its parameters cell.

    Query-string values (in a served page) override the keyword defaults only for the
    names the workbook declares; a hub user, when known, is always the author.
    """
    served = is_served()
    share_default_looks()
    if served:
        install_friendly_errors()
        served_display.install()
    request = request_parameters()
    declared = {"workspace", "author", *params}
    overrides = {k: v for k, v in request.items() if k in declared}
    workspace = overrides.pop("workspace", workspace)
    author = os.environ.get(HUB_USER_ENV) or overrides.pop("author", None) or author
    params.update(overrides)
    folder = paths.data_dir(data_dir)
    store = open_store(folder)
    store.ensure_workspace(workspace)
    return Session(store=store, workspace=workspace, author=author or default_author(),
                   data_dir=folder, params=params, served=served)


def error_html(exc: BaseException) -> str:
    """A plain message for a page: what went wrong and what to do, never a traceback."""
    if isinstance(exc, PartnerkitError):
        text = str(exc)
    else:
        text = ("Something went wrong on the server while building this part of the page. "
                "Your saved answers are safe. Reload the page; if it happens again, tell "
                "whoever runs this server (the details are in its log).")
    return (f'<div class="pk-page-error" role="alert" style="border:2px solid #a4000f;'
            f'padding:0.6em;margin:0.5em 0"><strong>⚠ This part of the page could not be '
            f'shown.</strong><br>{html.escape(text)}</div>')


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
