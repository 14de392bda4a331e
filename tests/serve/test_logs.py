"""The server log at its default level: one line per page, no traceback for the expected."""

from __future__ import annotations

import logging
import sys

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine
from tornado.websocket import WebSocketClosedError

from partnerkit.serve import logs


class Answered:
    """A finished request as tornado's ``log_function`` sees it."""

    def __init__(self, method: str, path: str, status: int) -> None:
        self.request = HTTPServerRequest(start_line=RequestStartLine(method, path, "HTTP/1.1"),
                                          headers=HTTPHeaders({"Host": "127.0.0.1"}))
        self.request._finish_time = self.request._start_time + 2.5
        self.status = status

    def get_status(self) -> int:
        return self.status


class Written(logging.Handler):
    """What the server's log would show: a handler on the root logger, as basicConfig adds."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def default_level():
    """The root logger as ``partnerkit serve`` sets it without --debug (WARNING)."""
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.WARNING)
    logs.configure()
    yield
    root.setLevel(before)


@pytest.fixture
def caplog(default_level):
    """The lines written at the default level (a root handler with no level of its own)."""
    written = Written()
    logging.getLogger().addHandler(written)
    yield written
    logging.getLogger().removeHandler(written)


@pytest.mark.parametrize(("status", "words"), [
    (200, "page mapping_tool: 200 shown in 2.5 s"),
    (302, "page mapping_tool: 302 not signed in: sent to sign in in 2.5 s"),
    (403, "page mapping_tool: 403 refused in 2.5 s")])
def test_each_page_is_one_line_at_the_default_level(default_level, caplog, status, words):
    logs.log_request(Answered("GET", "/voila/render/mapping_tool.ipynb", status))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("INFO", words)]


def test_other_requests_are_debug_only_and_a_server_failure_is_an_error(default_level, caplog):
    logs.log_request(Answered("GET", "/voila/static/main.js", 200))
    logs.log_request(Answered("GET", "/api/kernels/k/channels", 101))
    assert [r for r in caplog.records if r.levelno >= logging.INFO] == []
    logs.log_request(Answered("GET", "/api/kernels/k/channels", 500))
    assert [r.levelname for r in caplog.records] == ["ERROR"]


def record(name: str, message: str, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, None) if exc is not None else None
    return logging.LogRecord(name, logging.ERROR, __file__, 1, message, (), info)


def test_a_closed_websocket_and_voilas_notices_are_dropped(default_level):
    quiet = logs.ExpectedConditions()
    assert not quiet.filter(record("tornado.application", "Uncaught exception",
                                   WebSocketClosedError()))
    assert not quiet.filter(record("PartnerkitVoila", "Notebook mapping_tool.ipynb is not "
                                                      "trusted"))
    assert quiet.filter(record("tornado.application", "Uncaught exception", ValueError("x")))


def test_a_dead_kernel_is_partnerkit_s_plain_line_not_jupyter_s_restart_failed(default_level):
    quiet = logs.ExpectedConditions()
    assert not quiet.filter(record("PartnerkitVoila",
                                   "AsyncIOLoopKernelRestarter: restart failed"))
    assert not quiet.filter(record("PartnerkitVoila", "kernel 1234 restarted failed!"))
    assert quiet.filter(record("partnerkit.serve.kernels",
                               "kernel 1234 died; its page says the connection was lost"))


def test_a_kernel_ended_while_its_page_loads_leaves_no_traceback(default_level):
    # A page closed as it loaded (or its person signed out): its kernel ends while Voilà
    # still runs its cells, and Voilà logged an error with a traceback for the cell.
    from nbclient.exceptions import DeadKernelError

    quiet = logs.ExpectedConditions()
    assert not quiet.filter(record("traitlets", "Kernel died while waiting for execute reply."))
    assert not quiet.filter(record("PartnerkitVoila", "Error at server while executing cell: "
                                   "{'source': 'page.start()'}", DeadKernelError("Kernel died")))
    assert quiet.filter(record("PartnerkitVoila", "Error at server while executing cell: "
                               "{'source': 'page.start()'}", ValueError("a real fault")))


def test_with_debug_everything_is_kept(default_level):
    logging.getLogger().setLevel(logging.DEBUG)
    assert logs.ExpectedConditions().filter(record("tornado.application", "closed",
                                                   WebSocketClosedError()))


def test_the_voila_app_log_keeps_only_warnings_by_default(default_level):
    app_log = logging.getLogger("PartnerkitVoila-test")
    logs.configure(app_log)
    assert app_log.level == logging.WARNING
    assert any(isinstance(f, logs.ExpectedConditions) for f in app_log.filters)
    assert sys.modules["partnerkit.serve.logs"] is logs
