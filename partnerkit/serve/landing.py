"""The landing page of ``partnerkit serve``: the workbooks, the six steps and the pupils.

The workbooks come from :mod:`partnerkit.catalog` only (the one table of workbooks);
the page is ``templates/landing.html.j2``, autoescaped. When the store cannot be read
(a damaged or newer store file, say) the page is the same template's plain message,
with HTTP status 503, never a traceback or a bare error; it reads the store again on
every request, so once the file is put right a reload shows the workbooks.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from partnerkit import catalog
from partnerkit.errors import PartnerkitError
from partnerkit.page import UNEXPECTED_ERROR
from partnerkit.records import PupilProfile, load_records
from partnerkit.reports import environment
from partnerkit.store import open_store

LANDING_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
"""The landing page loads nothing from other sites and cannot be framed."""
PROBLEM_STATUS = 503
"""The status of the landing page when the store cannot be read: the service is not
available until the store is put right (the page says why and what to do)."""

log = logging.getLogger(__name__)


def choose_workspace(data: Path, wanted: str | None = None) -> str:
    """The workspace the landing page offers: the one asked for, else the store's first."""
    if wanted:
        return wanted
    store = open_store(data)
    try:
        names = list(store.workspaces())
    finally:
        store.close()
    return names[0] if names else "school"


def store_problem(data: Path) -> PartnerkitError | None:
    """Why the store cannot be opened, or None (``partnerkit serve`` says it at start)."""
    try:
        open_store(data).close()
    except PartnerkitError as exc:
        return exc
    return None


def landing_context(data: Path, workspace: str) -> dict[str, Any]:
    """What the landing page shows: the workbooks, the six steps and the pupils."""
    store = open_store(data)
    try:
        pupils = [p.pupil for p in load_records(store, workspace, PupilProfile)]
        school = store.workspaces().get(workspace, workspace)
    finally:
        store.close()
    return {
        "workbooks": catalog.available(),
        "steps": _step_titles(),
        "pupils": pupils,
        "workspace": workspace,
        "school": school,
    }


def _step_titles() -> list[tuple[int, str]]:
    from partnerkit.content import load_content

    content = load_content()
    return [(int(item.number), item.text) for item in content.items("six_steps", kind="step")]


def render_landing(data: Path, workspace: str, hub_user: str | None = None) -> str:
    """The landing page's HTML (Jinja2, autoescaped)."""
    context = landing_context(data, workspace)
    return environment().get_template("landing.html.j2").render(
        hub_user=hub_user, pupils_json=json.dumps(context["pupils"]), problem=None, **context)


def render_problem(error: BaseException) -> str:
    """The landing page as a plain message for an error, never a traceback.

    A partnerkit error says its value, where and fix; any other error says only that
    something went wrong (its text may hold internals).
    """
    message = str(error) if isinstance(error, PartnerkitError) else UNEXPECTED_ERROR
    return environment().get_template("landing.html.j2").render(problem=message)


def landing_page(data: Path, workspace: str, hub_user: str | None = None) -> tuple[int, str]:
    """The landing page's HTTP status and HTML: 200 and the page, or the plain message."""
    try:
        return 200, render_landing(data, workspace, hub_user)
    except PartnerkitError as exc:
        log.warning("the landing page cannot list the workbooks: %s", exc)
        return PROBLEM_STATUS, render_problem(exc)
    except Exception as exc:  # noqa: BLE001 - never a traceback on a page; the log has it
        log.exception("the landing page failed")
        return 500, render_problem(exc)


def landing_handler(data: Path, workspace: str) -> type:
    """The Jupyter Server handler that answers ``/`` with the landing page (signed in only)."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class LandingHandler(JupyterHandler):
        """The plain-language landing page."""

        @web.authenticated
        def get(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Security-Policy", LANDING_CSP)
            status, page = landing_page(data, workspace, os.environ.get("JUPYTERHUB_USER"))
            self.set_status(status)
            self.finish(page)

    return LandingHandler
