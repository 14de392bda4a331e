"""The Voilà application ``partnerkit serve`` runs: its configuration and the server.

Tracebacks never reach a page (Voilà strips them and the workbooks show a plain
message); the browser cannot run code (Voilà only lets widget messages through to a
kernel); only the workbooks folder is served, never the data folder. Pages are fast
because kernels are preheated: each workbook does its imports, then waits for the
request before it reads who and what the page is for (:mod:`partnerkit.page`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from typing import Any

from partnerkit import paths
from partnerkit.page import READY_DIR_ENV, SERVED_ENV
from partnerkit.serve.landing import choose_workspace, landing_handler, store_problem
from partnerkit.serve.options import ServeOptions, check_options

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
KERNELS = "partnerkit.serve.kernels"


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
    config.VoilaConfiguration.file_allowlist = [r".*\.(png|svg)"]
    config.VoilaConfiguration.file_denylist = [r".*\.(ipynb|py|sqlite|db|csv|xlsx|json)"]
    config.VoilaConfiguration.extension_allowlist = list(PAGE_EXTENSIONS)
    config.Voila.tornado_settings = {"headers": {"Content-Security-Policy": PAGE_CSP}}
    _pool_config(config, options)
    return config


def _pool_config(config: Any, options: ServeOptions) -> None:
    """The preheated kernel pools, and partnerkit's steady clients and gentle pool manager."""
    config.VoilaConfiguration.preheat_kernel = options.pool > 0 or any(options.pools.values())
    config.VoilaConfiguration.default_pool_size = options.pool
    config.VoilaKernelManager.fill_delay = refill_delay(options)
    pools = {"default": {"pool_size": options.pool}}
    pools.update({name: {"pool_size": size} for name, size in options.pools.items()})
    config.VoilaKernelManager.kernel_pools_config = pools
    config.AsyncKernelManager.client_class = f"{KERNELS}.SteadyKernelClient"
    config.VoilaConfiguration.multi_kernel_manager_class = f"{KERNELS}.GentleKernelManager"


def kernel_environment(options: ServeOptions, workspace: str) -> None:
    """What every kernel inherits: the data folder and the fact that it is served."""
    os.environ["PARTNERKIT_DATA"] = str(options.data)
    os.environ[SERVED_ENV] = "1"
    os.environ["PARTNERKIT_WORKSPACE"] = workspace
    ready_dir = tempfile.mkdtemp(prefix="partnerkit-ready-")
    atexit.register(shutil.rmtree, ready_dir, ignore_errors=True)
    os.environ[READY_DIR_ENV] = ready_dir


def make_app(options: ServeOptions) -> Any:
    """Build the Voilà application with the partnerkit landing page in front."""
    from voila.app import Voila

    workspace = choose_workspace(options.data, options.workspace)
    kernel_environment(options, workspace)
    landing = landing_handler(options.data, workspace)

    class PartnerkitVoila(Voila):
        """Voilà with the landing page at the root and partnerkit's page template."""

        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.template_paths.insert(0, str(paths.templates_dir() / "voila"))

        def init_handlers(self) -> list:
            handlers = super().init_handlers()
            root = self.server_url.rstrip("/") or ""
            return [(root + "/", landing), (root + "/index.html", landing), *handlers]

    app = PartnerkitVoila(config=voila_config(options))
    app.initialize([str(paths.workbooks_dir())])
    return app


def serve(options: ServeOptions) -> None:
    """Check the options, then serve until stopped (Ctrl+C).

    A store that cannot be opened stops the server from starting when the workspace has
    to be read from it; with ``--workspace`` the server starts, says so, and its pages
    show the same message until the store is put right.
    """
    check_options(options)
    app = make_app(options)
    problem = store_problem(options.data) if options.workspace else None
    scheme_host = options.host if ":" not in options.host else f"[{options.host}]"
    print(f"partnerkit: serving the workbooks at http://{scheme_host}:{options.port}/ "
          f"(data: {options.data}; stop with Ctrl+C)", flush=True)
    if problem is not None:
        print(f"partnerkit: warning: {problem} (until then every page shows this message)",
              flush=True)
    app.start()
