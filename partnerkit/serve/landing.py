"""The landing page of ``partnerkit serve``: who is signed in, and what they may open.

It shows the signed-in person (name and username) with a sign-out button, and only what
that person may open: their workspaces (a chooser when there are several), the pupils
of the chosen workspace if they may read pupils there, and the workbooks
:func:`partnerkit.access.may_open` allows. Its reads go through
:class:`~partnerkit.access.GuardedStore`, so they are checked and audited like every
other read. Links carry the chosen ``workspace=``; who is working is never in a link.

With ``--no-sign-in`` the page says "Not signed in: working as LOGIN on this computer"
and offers every workspace. The workbooks come from :mod:`partnerkit.catalog` only; the
page is ``templates/landing.html.j2``, autoescaped. Under the workbooks it links the
guide for each role (:mod:`partnerkit.serve.guides`). When the store cannot be read (a
damaged or newer store file, say) the page is the same template's plain message, with
HTTP status 503, never a traceback; it reads the store again on every request, so once
the file is put right a reload shows the workbooks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit import catalog
from partnerkit.access import READ, Account, GuardedStore, decide, load_account, may_open
from partnerkit.errors import AccessDeniedError, PartnerkitError
from partnerkit.page import UNEXPECTED_ERROR
from partnerkit.records import PupilProfile, load_records
from partnerkit.serve.guides import GUIDES
from partnerkit.serve.pages import render_page
from partnerkit.serve.state import ServerState
from partnerkit.serve.web_sessions import ACCOUNT_GONE, WebSession
from partnerkit.store import Store, open_store

LANDING_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")
"""The landing page loads nothing from other sites and cannot be framed."""
PROBLEM_STATUS = 503
"""The status of the landing page when the store cannot be read: the service is not
available until the store is put right (the page says why and what to do)."""
FIRST_WORKSPACE = "school"
"""The workspace offered with ``--no-sign-in`` on a store that has none yet."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visitor:
    """Who the landing page is for: the account, and how the page names them."""

    account: Account
    xsrf: str = ""
    base_url: str = "/"
    ready: tuple[int, int] | None = None
    """(pages ready to open at once, pages the pools want), when there are pools."""
    hub_logout: str | None = None
    """With ``--hub``: the hub's sign-out address (the hub signs people in and out)."""

    @property
    def local(self) -> bool:
        """True with ``--no-sign-in`` (the person at this computer, not signed in)."""
        return self.account.local


def store_problem(data: Path) -> PartnerkitError | None:
    """Why the store cannot be opened, or None (``partnerkit serve`` says it at start)."""
    try:
        open_store(data).close()
    except PartnerkitError as exc:
        return exc
    return None


def _workspaces(guarded: GuardedStore, account: Account) -> dict[str, str]:
    """The workspaces the account may open, by id, with their titles."""
    found = guarded.workspaces()
    if account.local and not found:
        return {FIRST_WORKSPACE: FIRST_WORKSPACE}
    return dict(sorted(found.items()))


def choose(workspaces: dict[str, str], wanted: str | None, default: str | None) -> str | None:
    """The workspace to show: the one asked for, else the server's default, else the first."""
    for name in (wanted, default):
        if name and name in workspaces:
            return name
    return next(iter(workspaces), None)


def _pupils(guarded: GuardedStore, account: Account, workspace: str) -> list[str] | None:
    """The pupils of the workspace, or None when the account may not read pupils there."""
    if not decide(account, READ, workspace, PupilProfile.kind):
        return None
    return [p.pupil for p in load_records(guarded, workspace, PupilProfile)]


def landing_context(store: Store, account: Account, wanted: str | None = None,
                    default: str | None = None) -> dict[str, Any]:
    """What the landing page shows this account (reads checked and audited)."""
    guarded = GuardedStore(store, account)
    workspaces = _workspaces(guarded, account)
    chosen = choose(workspaces, wanted, default)
    workbooks = [w for w in catalog.available()
                 if chosen is not None and may_open(account, chosen, w.name)]
    return {
        "workspaces": workspaces,
        "workspace": chosen,
        "school": workspaces.get(chosen, chosen) if chosen else "",
        "pupils": _pupils(guarded, account, chosen) if chosen else None,
        "workbooks": workbooks,
        "steps": _step_titles() if any(w.target == "step" for w in workbooks) else [],
        "progress": _training_progress(guarded, account, chosen) if chosen else None,
    }


def _training_progress(guarded: GuardedStore, account: Account,
                       workspace: str) -> dict[str, Any] | None:
    """The participant's module activities (done, left), or None if not a participant.

    Shown to practitioners (and the one local user) who may open the training module.
    """
    from partnerkit.collaborative_working.completion import my_completion

    if account.role_in(workspace) not in {"practitioner", "local"} or not may_open(
            account, workspace, "collaborative_working"):
        return None
    rows = my_completion(guarded, workspace, account.username).to_dict("records")
    required = [r for r in rows if r["required"]]
    return {"rows": rows, "done": sum(r["done"] for r in required), "required": len(required),
            "left": [r["activity"] for r in required if not r["done"]]}


def _step_titles() -> list[tuple[int, str]]:
    from partnerkit.content import load_content

    content = load_content()
    return [(int(item.number), item.text) for item in content.items("six_steps", kind="step")]


def render_landing(data: Path, visitor: Visitor, wanted: str | None = None,
                   default: str | None = None) -> str:
    """The landing page's HTML for a visitor (Jinja2, autoescaped)."""
    store = open_store(data)
    try:
        context = landing_context(store, visitor.account, wanted, default)
    finally:
        store.close()
    return render_page("landing.html.j2", problem=None, who=visitor.account,
                       local=visitor.local, xsrf=visitor.xsrf, base_url=visitor.base_url,
                       hub_logout=visitor.hub_logout, guides=GUIDES, ready=visitor.ready,
                       **context)


def render_problem(error: BaseException) -> str:
    """The landing page as a plain message for an error, never a traceback.

    A partnerkit error says its value, where and fix; any other error says only that
    something went wrong (its text may hold internals).
    """
    message = str(error) if isinstance(error, PartnerkitError) else UNEXPECTED_ERROR
    return render_page("landing.html.j2", problem=message)


def landing_page(data: Path, visitor: Visitor, wanted: str | None = None,
                 default: str | None = None) -> tuple[int, str]:
    """The landing page's HTTP status and HTML: 200 and the page, or the plain message."""
    try:
        return 200, render_landing(data, visitor, wanted, default)
    except AccessDeniedError:
        raise
    except PartnerkitError as exc:
        log.warning("the landing page cannot list the workbooks: %s", exc)
        return PROBLEM_STATUS, render_problem(exc)
    except Exception as exc:  # noqa: BLE001 - never a traceback on a page; the log has it
        log.exception("the landing page failed")
        return 500, render_problem(exc)


def account_of(data: Path, session: WebSession) -> Account:
    """The session's account as stored now (a local account with ``--no-sign-in``)."""
    from partnerkit.access import local_account

    if session.local:
        return local_account(session.username, session.name)
    store = open_store(data)
    try:
        return load_account(store, session.username)
    finally:
        store.close()


def refuse_unknown_person(handler: Any, session: WebSession) -> None:
    """Say plainly who to ask, for a hub user with no partnerkit account (``--hub``)."""
    handler.set_status(403)
    handler.set_header("Cache-Control", "no-store")
    handler.finish(render_page("signin_refused.html.j2", status=403, base_url=handler.base_url,
                               message=(f"You are signed in as {session.username}, but "
                                        "partnerkit has no workspace for you yet. Ask your "
                                        "school lead or the person who runs this service to "
                                        "add you to your school's or partner's group.")))


def pools_ready(manager: Any) -> tuple[int, int] | None:
    """(pool kernels ready, wanted) of the server's kernel manager; None without pools."""
    from partnerkit.serve.kernel_life import ready_pages

    if manager is None:
        return None
    ready, wanted = ready_pages(manager)
    return (ready, wanted) if wanted else None


def landing_handler() -> type:
    """The Jupyter Server handler that answers ``/`` with the landing page (signed in only)."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class LandingHandler(JupyterHandler):
        """The plain-language landing page (the lockdown lets only signed-in people here)."""

        @web.authenticated
        def get(self) -> None:
            state = ServerState.of(self)
            session: WebSession = self.partnerkit_session  # type: ignore[attr-defined]
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Security-Policy", LANDING_CSP)
            try:
                visitor = Visitor(account_of(state.data, session), self.xsrf_token.decode(),
                                  self.base_url, hub_logout=state.hub_logout,
                                  ready=pools_ready(state.kernel_manager))
                status, page = landing_page(state.data, visitor,
                                            self.get_query_argument("workspace", None),
                                            state.default_workspace)
            except AccessDeniedError:
                if not state.signing_in:
                    refuse_unknown_person(self, session)
                    return
                state.end_session(session, ACCOUNT_GONE)
                self.redirect(self.base_url + "signin")
                return
            except PartnerkitError as exc:
                status, page = PROBLEM_STATUS, render_problem(exc)
            self.set_status(status)
            self.finish(page)

    return LandingHandler
