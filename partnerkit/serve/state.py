"""What the running server keeps between requests: sessions, the hand-over folder, secrets.

One :class:`ServerState` per server, in the Tornado settings under ``"partnerkit"``,
so every handler (sign-in, landing, Voilà's own, the kernel websockets) asks the same
question the same way: :meth:`ServerState.session_for` says which signed-in session a
request belongs to, from its cookie only (no header, no address).

With ``--no-sign-in`` there are no cookies and no sessions: every request is the one
person at this computer (:attr:`ServerState.local`), who never times out.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerkit.serve.handover import IdentityHandover
from partnerkit.serve.signin_steps import audit, run_later
from partnerkit.serve.web_sessions import (
    SESSION_COOKIE,
    SIGNED_IN,
    SIGNED_OUT,
    SessionBook,
    WebSession,
)

log = logging.getLogger(__name__)

SETTINGS_KEY = "partnerkit"
SESSION_ENDED_CLOSE_CODE = 4401
"""The websocket close code when the session has ended (the page then says so)."""


@dataclass
class ServerState:
    """The sessions, the hand-over folder and the kernels' secret of one running server."""

    data: Path
    book: SessionBook
    handover: IdentityHandover
    idle_minutes: float
    default_workspace: str | None = None
    local: WebSession | None = None
    hub_logout: str | None = None
    """With ``--hub``: where Sign out goes (the hub's own sign-out page)."""
    query_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    kernel_manager: Any = None
    life: Any = None
    """The page kernels' :class:`~partnerkit.serve.kernel_life.KernelLife`."""
    page_limit: int = 0
    """At most this many page kernels in all (0: no limit)."""
    pages_per_person: int = 0
    """At most this many page kernels per signed-in person (0: no limit)."""

    @classmethod
    def of(cls, handler: Any) -> ServerState:
        """The state of the server a handler belongs to."""
        return handler.settings[SETTINGS_KEY]

    @property
    def signing_in(self) -> bool:
        """True unless the server runs with ``--no-sign-in`` or ``--hub``."""
        return self.local is None

    def session_for(self, handler: Any, *, any_stage: bool = False) -> WebSession | None:
        """The live session of a request (by its cookie); signed in only, unless ``any_stage``."""
        if self.local is not None:
            return self.local
        session = self.book.find(handler.get_cookie(SESSION_COOKIE))
        if session is None or (not any_stage and session.stage != SIGNED_IN):
            return None
        return session

    def ended_reason(self, handler: Any) -> str | None:
        """Why the session in a request's cookie ended; "unknown" after a restart."""
        cookie = handler.get_cookie(SESSION_COOKIE)
        if not cookie or self.book.find(cookie) is not None:
            return None
        return self.book.ended_reason(cookie) or "unknown"

    def end_session(self, session: WebSession, reason: str) -> None:
        """End a session now (sign-out, too many wrong codes ...)."""
        self.book.end(session, reason)

    def closing(self, session: WebSession, reason: str) -> None:
        """What ending a session closes: its websockets, its kernels, their hand-overs.

        The book calls this once per ended session (``SessionBook.on_end``).
        """
        log.info("session of %s ended (%s)", session.username, reason)
        if not session.local and reason != SIGNED_OUT:  # a sign-out is recorded by its page
            run_later(audit, self.data, session.username, "session-ended", reason)
        for socket in list(session.sockets):
            try:
                socket.close(SESSION_ENDED_CLOSE_CODE, "session ended")
            except Exception:  # noqa: BLE001 - a socket that is already gone
                log.debug("closing a websocket of an ended session failed", exc_info=True)
        session.sockets.clear()
        for kernel_id in list(session.kernels):
            self.handover.remove(kernel_id)
            self._shut_down(kernel_id)

    def page_gone(self, kernel_id: str) -> None:
        """A page's kernel is no longer wanted (its page left): forget its owner, end it."""
        self.book.release_kernel(kernel_id)
        self.handover.remove(kernel_id)
        self._shut_down(kernel_id)

    def _shut_down(self, kernel_id: str) -> None:
        """Shut a kernel down from the server's event loop (it may be running one now)."""
        manager = self.kernel_manager
        if manager is None or kernel_id not in manager:
            return

        async def shut() -> None:
            try:
                await manager.shutdown_kernel(kernel_id)
            except Exception:  # noqa: BLE001 - a kernel that ended on its own meanwhile
                log.debug("shutting down kernel %s failed", kernel_id, exc_info=True)

        try:
            asyncio.get_running_loop().create_task(shut())
        except RuntimeError:
            asyncio.run(shut())


def is_https(request: Any) -> bool:
    """True for a request over HTTPS: served so, or by a reverse proxy on this machine.

    ``X-Forwarded-Proto`` is believed only from a loopback address: a proxy on the same
    computer that ends TLS (README: nginx or Caddy in front).
    """
    if request.protocol == "https":
        return True
    try:
        local = ipaddress.ip_address(request.remote_ip or "").is_loopback
    except ValueError:
        local = False
    return local and request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def set_session_cookie(handler: Any, session: WebSession) -> None:
    """Give the browser the session's cookie: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    handler.set_cookie(SESSION_COOKIE, session.id, path=handler.base_url, httponly=True,
                       samesite="Lax", secure=is_https(handler.request))


def clear_session_cookie(handler: Any) -> None:
    """Tell the browser to forget the session cookie."""
    handler.clear_cookie(SESSION_COOKIE, path=handler.base_url, httponly=True, samesite="Lax",
                         secure=is_https(handler.request))
