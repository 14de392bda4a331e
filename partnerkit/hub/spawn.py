"""What a hub user's server runs, and the hooks the hub calls at sign-in and at spawn.

Everyone but trainers gets partnerkit's pages only: ``partnerkit serve --hub`` behind
``jupyter-standaloneproxy``, which checks the hub's sign-in on every request and
websocket and reports activity to the hub (for jupyterhub-idle-culler). No Jupyter
server, so no file browser, terminal or kernel API a person could reach past the
workbooks. Trainers get JupyterLab (``jupyterhub-singleuser``), where the workbooks act
as their account (``$JUPYTERHUB_USER``). Either way the store is the one the hub names
(``PARTNERKIT_DATABASE_URL``: one PostgreSQL database for every user's server).
"""

from __future__ import annotations

import sys
from typing import Any

from partnerkit.access import TRAINER
from partnerkit.hub.groups import sync_account
from partnerkit.store import open_store

START_SECONDS = 90
"""How long the proxy waits for partnerkit's server to answer after starting it."""
PASSED_ON = ("PARTNERKIT_DATABASE_URL", "PARTNERKIT_DATA")
"""The hub's settings each user's server is started with."""


def pages_command(pool: int = 0) -> list[str]:
    """The workbook pages behind the hub's sign-in (``{port}`` is the proxy's to fill)."""
    return ["jupyter-standaloneproxy", "--absolute-url", f"--timeout={START_SECONDS}", "--",
            sys.executable, "-m", "partnerkit", "serve", "--hub", "--port", "{port}",
            "--pool", str(pool)]


def lab_command() -> list[str]:
    """JupyterLab, for trainers."""
    return ["jupyterhub-singleuser"]


def server_command(roles: dict[str, str], pool: int = 0) -> tuple[list[str], str]:
    """The command and first page for a person with these roles (by workspace)."""
    if TRAINER in roles.values():
        return lab_command(), "/lab"
    return pages_command(pool), "/"


def sync_after_sign_in(authenticator: Any, handler: Any,
                       authentication: dict[str, Any]) -> dict[str, Any]:
    """``Authenticator.post_auth_hook``: write the hub groups into partnerkit's store."""
    store = open_store()
    try:
        sync_account(store, authentication["name"], authentication.get("groups") or [],
                     name=(authentication.get("auth_state") or {}).get("name"))
    finally:
        store.close()
    return authentication


def choose_server(spawner: Any, pool: int = 0) -> None:
    """``Spawner.pre_spawn_hook``: pages or JupyterLab by role, with the store's settings."""
    import os

    store = open_store()
    try:
        roles = {row.workspace: row.role for row in store.memberships(username=spawner.user.name)}
    finally:
        store.close()
    spawner.cmd, spawner.default_url = server_command(roles, pool)
    spawner.environment.update({k: os.environ[k] for k in PASSED_ON if k in os.environ})
