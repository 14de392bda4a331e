"""A workbook page: refused before any kernel if the account may not open it; else handed over.

Voilà's page handler, with two things added in front of its own work:

1. **The check.** A page for a workbook the signed-in account may not open in the
   workspace of the address (:func:`partnerkit.access.check_open`) is a plain page with
   status 403 saying what may not be done and who can give access; no kernel is used.
   An address naming no catalog workbook is a plain 404. (The kernel checks again when
   the workbook starts: ``session.start(workbook=...)``.)
2. **The hand-over.** The handler's kernel manager is a
   :class:`~partnerkit.serve.handover.KernelHandover`: the moment the page gets a kernel
   (preheated or fresh) the session's identity is written for that kernel and the
   kernel is the session's alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from partnerkit import catalog
from partnerkit.access import Account, check_open, may_open
from partnerkit.errors import AccessDeniedError, PartnerkitError
from partnerkit.serve.handover import KernelHandover
from partnerkit.serve.kernel_life import drop_dead_pool_kernels, pages_open
from partnerkit.serve.landing import (
    PROBLEM_STATUS,
    account_of,
    refuse_unknown_person,
    render_problem,
)
from partnerkit.serve.pages import render_page
from partnerkit.serve.state import ServerState
from partnerkit.serve.web_sessions import ACCOUNT_GONE, WebSession

NOT_FOUND = ("there is no workbook at this address", "go back to the first page and "
             "pick a workbook from the list")


@dataclass(frozen=True)
class Refusal:
    """Why a page is not served: its status and the plain message."""

    status: int
    message: str


def page_refusal(account: Account, path: str, workspace: str | None) -> Refusal | None:
    """Why ``account`` may not have the page of ``path`` (``mapping_tool.ipynb``); or None.

    With a ``workspace`` from the address, the account must be allowed to open the
    workbook there; without one, in one of its workspaces at least.
    """
    name = PurePosixPath(path or "").name
    workbook = catalog.find(name)
    if workbook is None or workbook.filename != path or not workbook.exists():
        return Refusal(404, f"{NOT_FOUND[0]}; {NOT_FOUND[1]}")
    if account.local:
        return None
    if workspace:
        try:
            check_open(account, workspace, workbook.name, workbook.title)
        except AccessDeniedError as exc:
            return Refusal(403, str(exc))
        return None
    if any(may_open(account, w, workbook.name) for w in account.workspaces):
        return None
    return Refusal(403, f"workbook {workbook.title!r}: you may not open this workbook in any of "
                        "your workspaces; ask your school lead or an admin to give you access")


def limit_refusal(state: ServerState, session: WebSession, manager: Any) -> Refusal | None:
    """Why one more page would be over the server's limits (per person, in all); or None."""
    mine = [k for k in session.kernels if k in manager]
    if not session.local and state.pages_per_person and len(mine) >= state.pages_per_person:
        pages = "page" if len(mine) == 1 else "pages"
        return Refusal(429, f"you have {len(mine)} workbook {pages} open, the most one person "
                            f"may have at once ({state.pages_per_person}); close the tab of "
                            "a page you have finished with, then reload this page")
    if state.page_limit and pages_open(manager) >= state.page_limit:
        return Refusal(503, f"the server has {state.page_limit} pages open, as many as it can "
                            "hold; wait a minute for others to close theirs and reload this "
                            "page, or ask the person running the server")
    return None


def page_handler_class() -> type:
    """Voilà's page handler with the check and the hand-over in front."""
    from voila.tornado.handler import TornadoVoilaHandler

    class WorkbookPageHandler(TornadoVoilaHandler):
        """A workbook page for the signed-in session (the lockdown lets no one else here)."""

        partnerkit_session: WebSession

        @property
        def kernel_manager(self) -> Any:
            return KernelHandover(self.settings["kernel_manager"], self.hand_over)

        def hand_over(self, kernel_id: str) -> None:
            """Give this page's kernel the session's identity; the kernel is the session's."""
            state = ServerState.of(self)
            session = self.partnerkit_session
            state.handover.write(kernel_id, session.identity())
            if not session.pinned:
                state.book.claim_kernel(session, kernel_id)

        async def get(self, path: str | None = None) -> None:
            refusal = self.refusal(path or "") or self.over_limit()
            if refusal is None:
                self.xsrf_token  # noqa: B018 - sets the cookie the page's leaving beacon reads
                await drop_dead_pool_kernels(self.settings["kernel_manager"], path or "")
                await super().get(path=path)

        def over_limit(self) -> Refusal | None:
            """Answer a page over the server's limits here (and say so); else None."""
            state = ServerState.of(self)
            limit = limit_refusal(state, self.partnerkit_session,
                                  self.settings["kernel_manager"])
            if limit is not None:
                self.set_status(limit.status)
                self.set_header("Cache-Control", "no-store")
                self.finish(render_page("signin_refused.html.j2", message=limit.message,
                                        status=limit.status, base_url=self.base_url,
                                        title="This page cannot open just now"))
            return limit

        def refusal(self, path: str) -> Refusal | None:
            """Answer a refused page here (and say so); None when the page may be served."""
            state = ServerState.of(self)
            try:
                account = account_of(state.data, self.partnerkit_session)
                refusal = page_refusal(account, path, self.get_query_argument("workspace", None))
            except AccessDeniedError:
                if not state.signing_in:
                    refuse_unknown_person(self, self.partnerkit_session)
                    return Refusal(403, "no account")
                state.end_session(self.partnerkit_session, ACCOUNT_GONE)
                self.redirect(self.base_url + "signin")
                return Refusal(302, "")
            except PartnerkitError as exc:
                self.set_status(PROBLEM_STATUS)
                self.finish(render_problem(exc))
                return Refusal(PROBLEM_STATUS, str(exc))
            if refusal is not None:
                self.set_status(refusal.status)
                self.set_header("Cache-Control", "no-store")
                self.finish(render_page("signin_refused.html.j2", message=refusal.message,
                                        status=refusal.status, base_url=self.base_url))
            return refusal

    return WorkbookPageHandler
