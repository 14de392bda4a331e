"""Signed-in sessions of ``partnerkit serve``: kept in server memory, ended by an idle timeout.

A session is made when a person's password is right. Its id is random (256 bits) and
travels only in a cookie that scripts cannot read (HttpOnly), that other sites' pages do
not send (SameSite=Lax) and, over HTTPS, that never crosses the network in clear
(Secure). The server keeps the sessions in memory only: a restart ends every session,
while accounts and answers stay in the store.

A session may still be on its way in: a person who signed in with a one-time code
chooses a password first (:data:`CHOOSE_PASSWORD`), and a workspace that asks for a
second factor wants the authenticator code (:data:`SECOND_FACTOR`). Only a session at
:data:`SIGNED_IN` opens anything.

**What counts as activity** (and so keeps a session alive): every request the person's
browser makes to a page, a file or the kernel API, and every widget message the page
sends to its kernel (:data:`ACTIVITY_MESSAGES`: the person typed, clicked or chose).
What does not count: the websocket's keep-alive pings, the page asking its kernel for
its state (``kernel_info_request``, ``comm_info_request``), and the page asking who is
signed in. So a page left open in a tab does not keep its session alive for ever: after
the idle timeout the session ends, its kernels are shut down, its websockets closed, and
the next request (a page, a file, a websocket message, another tab) is refused; the page
then says the session ended and to sign in again. Answers are saved as they are typed,
so nothing typed is lost.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SESSION_COOKIE = "partnerkit_session"
SIGNED_IN, CHOOSE_PASSWORD, SECOND_FACTOR = "signed-in", "choose-password", "second-factor"
ACTIVITY_MESSAGES = frozenset({"comm_open", "comm_msg", "comm_close"})
"""Kernel messages from a page that count as the person's activity: widget messages."""
IDLE, SIGNED_OUT, TOO_MANY_CODES, ACCOUNT_GONE, REPLACED = (
    "idle", "signed-out", "too-many-codes", "account-gone", "replaced")
"""Why a session ended (REPLACED: the same browser signed in again)."""
REMEMBERED_ENDINGS = 10_000
"""How many ended sessions the server remembers, to tell a returning page why it ended."""
SESSION_ID_BYTES = 32


@dataclass(eq=False)
class WebSession:
    """One person's session: who, how far through signing in, and what it holds open.

    ``kernels`` are the page kernels handed to this session (shut down when it ends);
    ``sockets`` its open kernel websockets (closed when it ends). ``pending_secret`` is
    an authenticator secret shown as a QR code but not yet confirmed by a code.
    """

    id: str
    username: str
    name: str
    stage: str
    last_active: float
    local: bool = False
    pinned: bool = False
    """The one session every request of this server belongs to (``--no-sign-in``, or a
    JupyterHub user's own server with ``--hub``): no cookie, no idle timeout."""
    kernels: set[str] = field(default_factory=set)
    sockets: set[Any] = field(default_factory=set)
    pending_secret: str | None = None
    wrong_codes: int = 0
    next_page: str = "/"

    @property
    def signed_in(self) -> bool:
        """True once the person is all the way in (password, new password, code)."""
        return self.stage == SIGNED_IN

    def identity(self) -> dict[str, Any]:
        """What the server hands to this session's page kernels (see ``page.py``)."""
        if self.local:
            return {"username": self.username, "name": self.name, "local": True}
        return {"username": self.username}


def new_session_id() -> str:
    """A random session id: 256 bits, URL-safe."""
    return secrets.token_urlsafe(SESSION_ID_BYTES)


class SessionBook:
    """Every live session, by id, and why recent ones ended.

    ``idle_seconds`` is the idle timeout; ``clock`` gives seconds (tests pass their own);
    ``on_end(session, reason)`` is called once for each session that ends, however it
    ends (sign-out, idle timeout, too many wrong codes), to close what it holds open.
    """

    def __init__(self, idle_seconds: float, clock: Callable[[], float] = time.monotonic,
                 on_end: Callable[[WebSession, str], None] | None = None) -> None:
        self.idle_seconds = idle_seconds
        self.clock = clock
        self.on_end = on_end
        self._live: dict[str, WebSession] = {}
        self._ended: OrderedDict[str, str] = OrderedDict()
        self._kernel_owners: dict[str, WebSession] = {}

    def start(self, username: str, name: str, stage: str = SIGNED_IN,
              next_page: str = "/") -> WebSession:
        """Open a new session for a person whose password was right."""
        session = WebSession(new_session_id(), username, name, stage, self.clock(),
                             next_page=next_page)
        self._live[session.id] = session
        return session

    def idle(self, session: WebSession) -> bool:
        """True when the session has had no activity for longer than the timeout."""
        return self.clock() - session.last_active > self.idle_seconds

    def find(self, session_id: str | None) -> WebSession | None:
        """The live session with this id; one idle too long is ended here (None)."""
        session = self._live.get(session_id or "")
        if session is not None and self.idle(session):
            self.end(session, IDLE)
            return None
        return session

    def alive(self, session: WebSession) -> bool:
        """True while the session is live (not ended, not idle too long)."""
        return self.find(session.id) is session

    def touch(self, session: WebSession) -> None:
        """Record the person's activity now."""
        session.last_active = self.clock()

    def ended_reason(self, session_id: str | None) -> str | None:
        """Why the session with this id ended, if the server remembers it."""
        return self._ended.get(session_id or "")

    def end(self, session: WebSession, reason: str) -> None:
        """End a session (once): forget it, remember why, and let ``on_end`` close its parts."""
        if self._live.pop(session.id, None) is None:
            return
        self._ended[session.id] = reason
        while len(self._ended) > REMEMBERED_ENDINGS:
            self._ended.popitem(last=False)
        for kernel in session.kernels:
            self._kernel_owners.pop(kernel, None)
        if self.on_end is not None:
            self.on_end(session, reason)

    def sweep(self) -> list[WebSession]:
        """End every session idle too long; return them."""
        stale = [s for s in self._live.values() if self.idle(s)]
        for session in stale:
            self.end(session, IDLE)
        return stale

    def live(self) -> list[WebSession]:
        """The live sessions (for the server's own bookkeeping and tests)."""
        return list(self._live.values())

    def claim_kernel(self, session: WebSession, kernel_id: str) -> None:
        """Hand a page kernel to a session: only its account may use it from now on."""
        session.kernels.add(kernel_id)
        self._kernel_owners[kernel_id] = session

    def release_kernel(self, kernel_id: str) -> None:
        """Forget a page kernel that has ended (its page left, or it was culled)."""
        owner = self._kernel_owners.pop(kernel_id, None)
        if owner is not None:
            owner.kernels.discard(kernel_id)

    def kernel_owner(self, kernel_id: str) -> WebSession | None:
        """The live session a kernel was handed to, or None (a pool kernel, or ended)."""
        owner = self._kernel_owners.get(kernel_id)
        return owner if owner is not None and self.alive(owner) else None


def counts_as_activity(msg_type: str | None) -> bool:
    """True for a kernel message from a page that the person caused (a widget message)."""
    return msg_type in ACTIVITY_MESSAGES


def sweep_interval_seconds(idle_seconds: float) -> float:
    """How often idle sessions are looked for: a third of the timeout, 0.5 s to 60 s."""
    return min(60.0, max(0.5, idle_seconds / 3))
