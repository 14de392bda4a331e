"""``partnerkit serve``: the workbooks as Voilà web forms over the store in the data folder.

Safe by default: bound to 127.0.0.1; any other address needs a token or a password;
tracebacks never reach a page (Voilà strips them and the workbooks show a plain
message); the browser cannot run code (Voilà only lets widget messages through to a
kernel); only the workbooks folder is served, never the data folder. Pages are fast
because kernels are preheated: each workbook does its imports, then waits for the
request before it reads who and what the page is for.
"""

from __future__ import annotations

import atexit
import errno
import getpass
import ipaddress
import json
import logging
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerkit import catalog, paths
from partnerkit.errors import ServeError
from partnerkit.records import PupilProfile, load_records
from partnerkit.reports import environment
from partnerkit.session import READY_DIR_ENV
from partnerkit.store import open_store

log = logging.getLogger(__name__)

DEFAULT_PORT = 8866
DEFAULT_POOL = 1
FILL_DELAY_SECONDS = 2.0
MAX_FILL_DELAY_SECONDS = 30.0
IOPUB_PATIENCE_SECONDS = 120
"""How long a page waits for a cell's output after the cell has finished. nbclient's
default (4 s) drops the output when a room of pages opens at once: the forms vanish from
the page and it never becomes usable."""
PAGE_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")
"""The only front-end extensions a page loads: the widgets. Voilà would otherwise load
every JupyterLab extension installed beside it (charting, data grids ...), megabytes of
script a form never uses."""
PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'")
"""Pages load nothing from other sites (Voilà's template links an icon font on a CDN)
and cannot be framed by another site."""


@dataclass
class ServeOptions:
    """What ``partnerkit serve`` was asked for, checked by :func:`check_options`."""

    data: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    token: str | None = None
    hashed_password: str | None = None
    pool: int = DEFAULT_POOL
    pools: dict[str, int] = field(default_factory=dict)
    workspace: str | None = None

    @property
    def protected(self) -> bool:
        """True when a token or a password guards the server."""
        return bool(self.token or self.hashed_password)


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_pools(values: list[str] | None) -> tuple[int | None, dict[str, int]]:
    """Read ``--pool`` values: ``N`` for every workbook, ``WORKBOOK=N`` for one."""
    default: int | None = None
    pools: dict[str, int] = {}
    for value in values or []:
        name, _, number = value.rpartition("=")
        try:
            size = int(number)
        except ValueError:
            raise ServeError("is not a pool size", value=value, where="--pool",
                             fix="give a number (--pool 2) or WORKBOOK=N "
                                 "(--pool mapping_tool=30)") from None
        if size < 0 or size > 200:
            raise ServeError("is out of range", value=value, where="--pool",
                             fix="use a pool size from 0 to 200")
        if name:
            pools[catalog.get(name).filename] = size
        else:
            default = size
    return default, pools


def check_port_free(host: str, port: int) -> None:
    """Fail with a clear message when the port is taken or cannot be used."""
    if not 0 < port < 65536:
        raise ServeError("is not a port number", value=port, where="--port",
                         fix="use a number from 1024 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ServeError("is already in use", value=port, where="--port",
                                 fix="stop the other server or pass another --port") from None
            raise ServeError(f"cannot be used on {host} ({exc.strerror})", value=port,
                             where="--port", fix="pass another --port or --host") from None


def check_options(options: ServeOptions) -> ServeOptions:
    """Refuse unsafe or impossible options before anything starts."""
    if not is_loopback(options.host) and not options.protected:
        raise ServeError(
            "is not this computer only, and no token or password was given", value=options.host,
            where="--host",
            fix="add --token TOKEN or --password, or keep the default --host 127.0.0.1")
    options.data = paths.data_dir(options.data, create=False)
    check_port_free(options.host, options.port)
    return options


def hash_password(password: str) -> str:
    """Hash a password the way Jupyter Server checks it."""
    from jupyter_server.auth import passwd

    return passwd(password)


def ask_password() -> str:
    """Ask for a password twice on the terminal and return its hash."""
    first = getpass.getpass("Password for the web forms: ")
    if len(first) < 8:
        raise ServeError("is too short", value="(hidden)", where="--password",
                         fix="use at least 8 characters")
    if getpass.getpass("Type it again: ") != first:
        raise ServeError("the two passwords differ", where="--password", fix="try again")
    return hash_password(first)


def choose_workspace(options: ServeOptions) -> str:
    """The workspace the landing page offers: the one asked for, else the store's first."""
    if options.workspace:
        return options.workspace
    store = open_store(options.data)
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


def refill_delay(options: ServeOptions) -> float:
    """Seconds before a used preheated kernel is replaced: longer for a bigger pool.

    A big pool is for a room of people who open the same page together; starting its
    replacement kernels at once would take the CPU from the pages being opened. So the
    pool waits about a second per kernel (2 s at least, 30 s at most) before refilling.
    """
    largest = max([options.pool, *options.pools.values()])
    return min(MAX_FILL_DELAY_SECONDS, max(FILL_DELAY_SECONDS, float(largest)))


def voila_config(options: ServeOptions) -> Any:
    """The traitlets configuration for Voilà that the options stand for."""
    from traitlets.config import Config

    config = Config()
    config.Voila.ip = options.host
    config.Voila.port = options.port
    config.Voila.port_retries = 0
    config.Voila.open_browser = False
    config.Voila.root_dir = str(paths.workbooks_dir())
    config.Voila.token = options.token or ""
    if options.hashed_password:
        config.PasswordIdentityProvider.hashed_password = options.hashed_password
        config.PasswordIdentityProvider.token = ""
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaExecutor.iopub_timeout = IOPUB_PATIENCE_SECONDS
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.preheat_kernel = options.pool > 0 or any(options.pools.values())
    config.VoilaConfiguration.default_pool_size = options.pool
    config.VoilaConfiguration.file_allowlist = [r".*\.(png|svg)"]
    config.VoilaConfiguration.file_denylist = [r".*\.(ipynb|py|sqlite|db|csv|xlsx|json)"]
    config.VoilaKernelManager.fill_delay = refill_delay(options)
    pools = {"default": {"pool_size": options.pool}}
    pools.update({name: {"pool_size": size} for name, size in options.pools.items()})
    config.VoilaKernelManager.kernel_pools_config = pools
    config.AsyncKernelManager.client_class = "partnerkit.serve.kernels.SteadyKernelClient"
    config.VoilaConfiguration.multi_kernel_manager_class = (
        "partnerkit.serve.kernels.GentleKernelManager")
    config.VoilaConfiguration.extension_allowlist = list(PAGE_EXTENSIONS)
    config.Voila.tornado_settings = {"headers": {"Content-Security-Policy": PAGE_CSP}}
    return config


def kernel_environment(options: ServeOptions, workspace: str) -> None:
    """What every kernel inherits: the data folder and the fact that it is served."""
    os.environ["PARTNERKIT_DATA"] = str(options.data)
    os.environ["PARTNERKIT_SERVED"] = "1"
    os.environ["PARTNERKIT_WORKSPACE"] = workspace
    ready_dir = tempfile.mkdtemp(prefix="partnerkit-ready-")
    atexit.register(shutil.rmtree, ready_dir, ignore_errors=True)
    os.environ[READY_DIR_ENV] = ready_dir


def make_app(options: ServeOptions) -> Any:
    """Build the Voilà application with the partnerkit landing page in front."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web
    from voila.app import Voila

    workspace = choose_workspace(options)
    kernel_environment(options, workspace)
    data = options.data

    class LandingHandler(JupyterHandler):
        """The plain-language landing page."""

        @web.authenticated
        def get(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Security-Policy",
                            "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                            "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
            self.finish(render_landing(data, workspace, os.environ.get("JUPYTERHUB_USER")))

    class PartnerkitVoila(Voila):
        """Voilà with the landing page at the root and partnerkit's page template."""

        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.template_paths.insert(0, str(paths.templates_dir() / "voila"))

        def init_handlers(self) -> list:
            handlers = super().init_handlers()
            root = self.server_url.rstrip("/") or ""
            return [(root + "/", LandingHandler), (root + "/index.html", LandingHandler),
                    *handlers]

    app = PartnerkitVoila(config=voila_config(options))
    app.initialize([str(paths.workbooks_dir())])
    return app


def serve(options: ServeOptions) -> None:
    """Check the options, then serve until stopped (Ctrl+C)."""
    check_options(options)
    app = make_app(options)
    scheme_host = options.host if ":" not in options.host else f"[{options.host}]"
    print(f"partnerkit: serving the workbooks at http://{scheme_host}:{options.port}/ "
          f"(data: {options.data}; stop with Ctrl+C)", flush=True)
    app.start()
