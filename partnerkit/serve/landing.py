"""The landing page of ``partnerkit serve``: the workbooks, the six steps and the pupils.

The workbooks come from :mod:`partnerkit.catalog` only (the one table of workbooks);
the page is ``templates/landing.html.j2``, autoescaped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from partnerkit import catalog
from partnerkit.records import PupilProfile, load_records
from partnerkit.reports import environment
from partnerkit.store import open_store

LANDING_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
"""The landing page loads nothing from other sites and cannot be framed."""


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
        hub_user=hub_user, pupils_json=json.dumps(context["pupils"]), **context)


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
            self.finish(render_landing(data, workspace, os.environ.get("JUPYTERHUB_USER")))

    return LandingHandler
