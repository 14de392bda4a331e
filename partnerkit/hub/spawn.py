"""What a hub user's server runs, and the hooks the hub calls at sign-in and at spawn.

Everyone but trainers gets partnerkit's pages only, in one of two ways
(``PARTNERKIT_HUB_PAGES``):

- ``standalone`` (the default): ``partnerkit serve --hub`` behind
  ``jupyter-standaloneproxy``, which checks the hub's sign-in on every request and
  websocket and reports activity to the hub (for jupyterhub-idle-culler). No Jupyter
  server, so no file browser, terminal or kernel API a person could reach past the
  workbooks; partnerkit's landing page, preheated kernels and page checks.
- ``extension``: ``jupyterhub-singleuser`` with Voilà's server extension at
  ``/voila/render/<workbook>.ipynb``, over the shipped workbooks folder. The kernels act
  as ``$JUPYTERHUB_USER`` (the server is that one person's; the page's address names
  only the workspace and the workbook's parameters) through the same permission check.
  Kernels take widget messages only (no code from the browser, as Voilà itself
  allows) and terminals are off; but it is a whole Jupyter server (file API,
  JupyterLab's pages), so the workbooks folder must not be writable by the users.

Trainers get JupyterLab (``jupyterhub-singleuser``), where the workbooks act as their
account (``$JUPYTERHUB_USER``). Either way the store is the one the hub names
(``PARTNERKIT_DATABASE_URL``: one PostgreSQL database for every user's server).
"""

from __future__ import annotations

import sys
from typing import Any

from partnerkit.access import TRAINER
from partnerkit.errors import ServeError
from partnerkit.hub.groups import sync_account
from partnerkit.kernel_clients import IOPUB_PATIENCE_SECONDS, STEADY_CLIENT
from partnerkit.paths import workbooks_dir
from partnerkit.store import open_store

START_SECONDS = 90
"""How long the proxy waits for partnerkit's server to answer after starting it."""
PASSED_ON = ("PARTNERKIT_DATABASE_URL", "PARTNERKIT_DATA")
"""The hub's settings each user's server is started with."""
PAGES_ENV = "PARTNERKIT_HUB_PAGES"
PAGES_MODES = ("standalone", "extension")
"""How people's pages are served; the first is the default (see the module's notes)."""
WIDGET_MESSAGES = ("comm_open", "comm_close", "comm_msg", "comm_info_request",
                   "kernel_info_request", "shutdown_request")
"""What a page may send its kernel in ``extension`` mode: Voilà's own list (no code)."""
PAGE_KERNELS = "partnerkit.serve.kernels.PageKernelManager"
"""The kernel manager of ``extension`` pages: their kernels keep no history file."""
STEADY_PAGES = (f"--AsyncKernelManager.client_class={STEADY_CLIENT}",
                f"--VoilaExecutor.iopub_timeout={IOPUB_PATIENCE_SECONDS}")
"""``extension`` pages run their cells through the steady client, as ``partnerkit serve``'s
do: Voilà's own client can miss a reply under load and leave the page loading for good."""


def pages_command(pool: int = 0) -> list[str]:
    """The workbook pages behind the hub's sign-in (``{port}`` is the proxy's to fill)."""
    return ["jupyter-standaloneproxy", "--absolute-url", f"--timeout={START_SECONDS}", "--",
            sys.executable, "-m", "partnerkit", "serve", "--hub", "--port", "{port}",
            "--pool", str(pool)]


def extension_command() -> list[str]:
    """The workbook pages as Voilà's server extension in a locked-down Jupyter server."""
    allowed = [f"--MappingKernelManager.allowed_message_types={kind}"
               for kind in WIDGET_MESSAGES]
    return ["jupyterhub-singleuser", f"--ServerApp.root_dir={workbooks_dir()}",
            "--ServerApp.terminals_enabled=False", "--ContentsManager.allow_hidden=False",
            f"--ServerApp.kernel_manager_class={PAGE_KERNELS}", *allowed, *STEADY_PAGES]


def pages_mode(environ: dict[str, str] | None = None) -> str:
    """``standalone`` or ``extension``, from ``$PARTNERKIT_HUB_PAGES`` (default standalone)."""
    import os

    value = (environ if environ is not None else os.environ).get(PAGES_ENV, "").strip()
    if value and value not in PAGES_MODES:
        raise ServeError("is not a way to serve the pages", value=value, where=f"${PAGES_ENV}",
                         fix="use standalone (the default) or extension")
    return value or PAGES_MODES[0]


def lab_command() -> list[str]:
    """JupyterLab, for trainers."""
    return ["jupyterhub-singleuser"]


def server_command(roles: dict[str, str], pool: int = 0,
                   mode: str = "standalone") -> tuple[list[str], str]:
    """The command and first page for a person with these roles (by workspace)."""
    if TRAINER in roles.values():
        return lab_command(), "/lab"
    if mode == "extension":
        return extension_command(), "/voila/tree"
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


def choose_server(spawner: Any, pool: int = 0, as_hub_user: bool = False) -> None:
    """``Spawner.pre_spawn_hook``: pages or JupyterLab by role, with the store's settings.

    ``as_hub_user``: every server runs as the hub's own user (the ``simple`` spawner of a
    trial or the tests); a Jupyter server then may run as root, as the hub may in a
    container. With the ``local`` spawner each runs as the person's own system user.
    """
    import os

    store = open_store()
    try:
        roles = {row.workspace: row.role for row in store.memberships(username=spawner.user.name)}
    finally:
        store.close()
    command, spawner.default_url = server_command(roles, pool, pages_mode())
    if as_hub_user and command[0] == "jupyterhub-singleuser":
        command = [*command, "--allow-root"]
    spawner.cmd = command
    spawner.environment.update({k: os.environ[k] for k in PASSED_ON if k in os.environ})
