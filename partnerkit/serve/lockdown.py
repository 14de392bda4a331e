"""Every handler of the server refuses a request that has no signed-in session.

Voilà authenticates its pages but not its files (``/voila/static``, ``/voila/templates``,
``/voila/labextensions``, ``/voila/files``, ``/voila/api/*``), and its request socket
(``/voila/query/<kernel_id>``) answers whoever connects first. So :func:`lock_handlers`
gives each handler class of the server a guard in front of its own ``prepare``:

- a **page** (the landing page, a workbook page, Voilà's tree) without a signed-in
  session is sent to the sign-in page, which brings the person back to it afterwards;
- **anything else** without one is refused with 403;
- a **kernel** (``/api/kernels/<id>``, its websocket ``/channels``, Voilà's shutdown
  call) serves only the session it was handed to (:mod:`partnerkit.serve.handover`);
  its websocket is closed when the session ends, and a message on it after the idle
  timeout closes it too; only widget messages count as activity;
- the **request socket** serves only the server's own kernels: they send the server's
  secret in a header (:func:`partnerkit.page.fetch_request_info`);
- the sign-in handlers (``partnerkit_open = True``) are open to everyone.

Who is asking comes only from the session cookie (:meth:`ServerState.session_for`):
no header (``Authorization``, ``X-Forwarded-User`` ...) and no address value counts.
"""

from __future__ import annotations

import asyncio
import hmac
import inspect
import json
import logging
from typing import Any
from urllib.parse import urlencode

from tornado import web

from partnerkit.page import QUERY_SECRET_HEADER
from partnerkit.serve.state import SESSION_ENDED_CLOSE_CODE, ServerState
from partnerkit.serve.web_sessions import WebSession, counts_as_activity

log = logging.getLogger(__name__)

SIGN_IN_PATH = "signin"


def sign_in_url(handler: Any, next_page: str | None = None) -> str:
    """The sign-in page's address, bringing the person back to ``next_page`` after."""
    from jupyter_server.utils import url_path_join

    url = url_path_join(handler.base_url, SIGN_IN_PATH)
    return f"{url}?{urlencode({'next': next_page})}" if next_page else url


async def _run_prepare(handler: Any, owner: type) -> None:
    """The handler's own ``prepare`` (the next one after ``owner``), awaited if async."""
    result = super(owner, handler).prepare()
    if inspect.isawaitable(result):
        await result


class SignedInOnly:
    """A guard: no signed-in session, no answer (403, or the sign-in page for a page)."""

    partnerkit_page = False
    partnerkit_session: WebSession

    async def prepare(self) -> None:
        """Refuse without a signed-in session; otherwise note the activity and go on."""
        handler: Any = self
        state = ServerState.of(handler)
        session = state.session_for(handler)
        if session is None:
            self._refuse_stranger(handler)
            return
        self.partnerkit_session = session
        self.check_allowed(state, session)
        state.book.touch(session)
        await _run_prepare(handler, SignedInOnly)

    def check_allowed(self, state: ServerState, session: WebSession) -> None:
        """Further checks for a signed-in session (the kernel guard adds its own)."""

    def _refuse_stranger(self, handler: Any) -> None:
        if self.partnerkit_page and handler.request.method in ("GET", "HEAD"):
            handler.redirect(sign_in_url(handler, handler.request.uri))
            return
        raise web.HTTPError(403, "sign in first")


class OwnKernelOnly(SignedInOnly):
    """A guard for a kernel's API: only the session the kernel was handed to."""

    def check_allowed(self, state: ServerState, session: WebSession) -> None:
        """Refuse (403) a kernel that was not handed to this session."""
        handler: Any = self
        kernel_id = (handler.path_kwargs.get("kernel_id")
                     or (handler.path_args[0] if handler.path_args else ""))
        if session.pinned:
            return
        if state.book.kernel_owner(kernel_id) is not session:
            log.warning("refused %s to %s: kernel %s is not theirs", handler.request.path,
                        session.username, kernel_id)
            raise web.HTTPError(403, "not your page's kernel")


class WatchedChannels(OwnKernelOnly):
    """The kernel websocket of a page: closed when its session ends; widget messages count.

    A page that goes while its socket is being set up (a tab closed as the page
    connects) is let go quietly: Jupyter Server went on to answer the closed connection
    and failed (``'NoneType' object has no attribute 'kernel_ws_protocol'``, a 500 and
    a traceback on the console), and counted a disconnection for a connection it never
    counted (the kernel's connections went to -1).
    """

    partnerkit_prepared = False
    partnerkit_opened = False
    partnerkit_gone_early = False

    async def pre_get(self) -> None:
        """Jupyter Server's set-up of the socket; stop quietly if the page went meanwhile."""
        await super().pre_get()  # type: ignore[misc]
        self.partnerkit_prepared = True
        if self.partnerkit_gone_early:
            self._let_go_unopened()
            raise web.Finish()

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        """Jupyter Server's choice; none for a page that went after the set-up."""
        if self.partnerkit_gone_early:
            return None
        return super().select_subprotocol(subprotocols)  # type: ignore[misc]

    async def open(self, *args: Any, **kwargs: Any) -> None:
        """Note the open socket with its session and its kernel (see ``kernel_life``)."""
        if self.partnerkit_gone_early:
            return
        self.partnerkit_opened = True
        self.partnerkit_session.sockets.add(self)
        life = ServerState.of(self).life
        if life is not None:
            life.opened(self._partnerkit_kernel_id(), self)
        await super().open(*args, **kwargs)  # type: ignore[misc]

    def on_close(self) -> None:
        """Forget the socket; a kernel left without one ends after a grace period."""
        if not self.partnerkit_opened:
            self.partnerkit_gone_early = True
            if self.partnerkit_prepared:  # else the set-up lets it go when it is done
                self._let_go_unopened()
            return
        self.partnerkit_session.sockets.discard(self)
        life = ServerState.of(self).life
        if life is not None:
            life.closed(self._partnerkit_kernel_id(), self)
        super().on_close()  # type: ignore[misc]

    def write_message(self, message: Any, binary: bool = False) -> Any:
        """Send a message to the page; one the page went before receiving is dropped.

        Jupyter Server never looks at what a send came to, so a socket that closed while
        a message was on its way left asyncio to log "Task exception was never
        retrieved" (``WebSocketClosedError``) with a traceback on the console.
        """
        from tornado.websocket import WebSocketClosedError

        try:
            sending = super().write_message(message, binary)  # type: ignore[misc]
        except WebSocketClosedError:
            return None
        if isinstance(sending, asyncio.Future):
            sending.add_done_callback(_page_went_first)
        return sending

    def _let_go_unopened(self) -> None:
        """Undo what Jupyter Server set up for a socket that never opened.

        Only what its set-up made: the session it registered and the channel it asked
        the kernel for its details on. Its ``disconnect`` would count a disconnection
        for a connection never counted, and fails on one never connected.
        """
        handler: Any = self
        connection = getattr(handler, "connection", None)
        handler.connection = None
        if connection is None:
            return
        log.debug("%s: the page went before its socket opened", self._partnerkit_kernel_id())
        sessions = getattr(type(connection), "_open_sessions", {})
        key = getattr(connection, "session_key", None)
        if key is not None and sessions.get(key) is self:
            sessions.pop(key)
        channel = getattr(connection, "kernel_info_channel", None)
        if channel is not None and not channel.closed():
            channel.close()

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A refused connection (no session, not its kernel) is told why, in plain text.

        Jupyter Server would answer with its HTML error page, which needs its own static
        files: this server has none, so the page failed while being written, and every
        refused connection (a page trying to reconnect after its session ended) put a
        traceback on the console.
        """
        handler: Any = self
        error = kwargs.get("exc_info", (None, None, None))[1]
        reason = getattr(error, "log_message", None) or handler._reason
        handler.set_header("Content-Type", "text/plain; charset=UTF-8")
        handler.finish(f"{status_code}: {reason}\n")

    def _partnerkit_kernel_id(self) -> str:
        handler: Any = self
        return (handler.path_kwargs.get("kernel_id")
                or (handler.path_args[0] if handler.path_args else ""))

    def on_message(self, message: str | bytes) -> Any:
        """Pass a message on while the session lives; widget messages count as activity."""
        handler: Any = self
        state = ServerState.of(handler)
        session = self.partnerkit_session
        if not session.pinned and not state.book.alive(session):
            handler.close(SESSION_ENDED_CLOSE_CODE, "session ended")
            return None
        if counts_as_activity(message_type(message)):
            state.book.touch(session)
        return super().on_message(message)  # type: ignore[misc]


def _page_went_first(sending: asyncio.Future) -> None:
    """Look at how a send to a page ended, so that one to a page gone is not an error."""
    if not sending.cancelled() and sending.exception() is not None:
        log.debug("a message to a page that had gone was dropped")


class KernelsOnly:
    """A guard for Voilà's request socket: only the server's own kernels (by the secret)."""

    async def prepare(self) -> None:
        """Refuse (403) a connection without the server's kernel secret."""
        handler: Any = self
        state = ServerState.of(handler)
        given = handler.request.headers.get(QUERY_SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), state.query_secret.encode()):
            log.warning("refused %s: not one of this server's kernels", handler.request.path)
            raise web.HTTPError(403, "for this server's kernels only")
        await _run_prepare(handler, KernelsOnly)


def message_type(message: str | bytes) -> str | None:
    """The ``msg_type`` of a kernel message from a page (JSON text or the binary v1 form)."""
    try:
        if isinstance(message, bytes):
            from voila.tornado.kernel_websocket_handler import read_header_from_binary_message

            header = read_header_from_binary_message(message)
        else:
            header = json.loads(message).get("header")
    except Exception:  # noqa: BLE001 - a malformed message is not activity
        return None
    return header.get("msg_type") if isinstance(header, dict) else None


def guard_for(handler_class: type) -> type | None:
    """The guard a handler class gets (None for the sign-in handlers)."""
    from jupyter_server.services.kernels.handlers import KernelHandler
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    if getattr(handler_class, "partnerkit_open", False):
        return None
    if issubclass(handler_class, RequestInfoSocketHandler):
        return KernelsOnly
    if issubclass(handler_class, VoilaKernelWebsocketHandler):
        return WatchedChannels
    if issubclass(handler_class, (KernelHandler, VoilaShutdownKernelHandler)):
        return OwnKernelOnly
    return SignedInOnly


def locked(handler_class: type, pages: tuple[type, ...]) -> type:
    """The handler class with its guard in front (itself for an open handler)."""
    guard = guard_for(handler_class)
    if guard is None:
        return handler_class
    namespace = {"__doc__": handler_class.__doc__,
                 "partnerkit_page": issubclass(handler_class, pages)}
    return type(f"Locked{handler_class.__name__}", (guard, handler_class), namespace)


def lock_handlers(handlers: list[Any], pages: tuple[type, ...]) -> list[Any]:
    """Every handler spec with its class locked; ``pages`` go to sign-in when refused."""
    result = []
    for spec in handlers:
        if isinstance(spec, tuple | list) and len(spec) >= 2:
            pattern, handler_class, *rest = spec
            result.append((pattern, locked(handler_class, pages), *rest))
        else:
            spec.handler_class = locked(spec.handler_class, pages)
            result.append(spec)
    return result
