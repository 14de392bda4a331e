"""What ``partnerkit serve`` writes to its log: one line per page, no traceback for the expected.

At the default level (``partnerkit serve``; ``partnerkit --debug serve`` shows everything)
the log holds the start-up lines, one line for each workbook page asked for (who is not
named: the page, its answer and how long it took), and real problems. Everything a
server meets every day is not a problem and leaves no traceback and no warning: a
signed-out request (sent to sign in), a refused page (403, already said to the person), a
page closed while its connection was still open (a closed websocket or stream), Voilà's
notice that our own workbooks are "not trusted", and its note on websocket ping timings.
A page kernel that died is one warning in plain words, not Jupyter's "restart failed".
Static files, API calls and websocket traffic are logged only at debug level.
"""

from __future__ import annotations

import logging
from typing import Any

access = logging.getLogger("partnerkit.serve.access")
PAGE_PATH = "/voila/render/"
MEANING = {200: "shown", 302: "not signed in: sent to sign in", 304: "shown (cached)",
           401: "not signed in", 403: "refused", 404: "not found"}
"""What a page's answer means, in words, for the log line."""

EXPECTED_TEXT = ("is not trusted", "websocket_ping_timeout", "Starting buffering",
                 "Adapting from protocol version")
"""Everyday notices of Voilà, tornado and jupyter_server that are not problems."""
SAID_PLAINLY = ("AsyncIOLoopKernelRestarter: restart failed", "restarted failed!",
                "Kernel died while waiting for execute reply")
"""Jupyter's lines for a page kernel that died. partnerkit never restarts one
(``PAGE_KERNEL_RESTARTS``) and logs its own line in plain words
(``partnerkit.serve.kernels``): "restart failed" would only mislead. A kernel ended while
its page's cells still ran (the page closed as it loaded, its person signed out) is not
a problem at all, yet Voilà logged an error and a traceback for the cell it was running
(``DeadKernelError``, dropped as an expected exception)."""


def expected_exceptions() -> tuple[type[BaseException], ...]:
    """The exceptions a closed page causes.

    Its websocket or stream ends mid-message, or its kernel ends while its cells run.
    """
    from nbclient.exceptions import DeadKernelError
    from tornado.iostream import StreamClosedError
    from tornado.websocket import WebSocketClosedError

    return (WebSocketClosedError, StreamClosedError, ConnectionResetError, BrokenPipeError,
            DeadKernelError)


def log_request(handler: Any) -> None:
    """Tornado's ``log_function``: one line per page; other requests at debug level.

    A page that failed on the server (5xx) is an error line; anything else is not a
    problem and never a warning.
    """
    request = handler.request
    status = handler.get_status()
    seconds = request.request_time()
    if request.method == "GET" and PAGE_PATH in request.path:
        workbook = request.path.rsplit("/", 1)[-1].removesuffix(".ipynb")
        level = logging.ERROR if status >= 500 else logging.INFO
        access.log(level, "page %s: %s %s in %.1f s", workbook, status,
                   MEANING.get(status, "answered"), seconds)
    elif status >= 500:
        access.error("%s %s: %s in %.1f s", request.method, request.path, status, seconds)
    else:
        access.debug("%s %s: %s in %.3f s", request.method, request.path, status, seconds)


class ExpectedConditions(logging.Filter):
    """Drops the records of everyday conditions (see the module notes) below debug level."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for an expected condition's record, unless the log shows everything."""
        if logging.getLogger().getEffectiveLevel() <= logging.DEBUG:
            return True
        if record.exc_info and isinstance(record.exc_info[1], expected_exceptions()):
            return False
        text = record.getMessage()
        return not any(sign in text for sign in EXPECTED_TEXT + SAID_PLAINLY)


NOISY = ("tornado.application", "tornado.general", "tornado.websocket", "tornado.access",
         "asyncio", "ServerApp", "Voila")


def configure(app_log: logging.Logger | None = None) -> None:
    """Set the server's log up: page lines shown, everyday conditions quiet.

    ``app_log`` is the Voilà application's own logger: its start-up and kernel notices
    show only with ``--debug``.
    """
    everything = logging.getLogger().getEffectiveLevel() <= logging.DEBUG
    access.setLevel(logging.DEBUG if everything else logging.INFO)
    quiet = ExpectedConditions()
    loggers = [logging.getLogger(name) for name in NOISY]
    if app_log is not None:
        app_log.setLevel(logging.DEBUG if everything else logging.WARNING)
        loggers.append(app_log)
    handlers = list(logging.getLogger().handlers)   # where propagated records are written
    for handler in handlers:
        if not any(isinstance(f, ExpectedConditions) for f in handler.filters):
            handler.addFilter(quiet)
    for logger in loggers:
        if not any(isinstance(f, ExpectedConditions) for f in logger.filters):
            logger.addFilter(quiet)
        for handler in logger.handlers:
            if not any(isinstance(f, ExpectedConditions) for f in handler.filters):
                handler.addFilter(quiet)


__all__ = ["ExpectedConditions", "configure", "log_request"]
