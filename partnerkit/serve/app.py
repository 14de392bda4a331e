"""The Voilà application ``partnerkit serve`` runs: its configuration and the server.

Tracebacks never reach a page (Voilà strips them and the workbooks show a plain
message); the browser cannot run code (Voilà only lets widget messages through to a
kernel); only the workbooks folder is served, never the data folder. Pages are fast
because kernels are preheated: each workbook does its imports, then waits for the
request before it reads who and what the page is for (:mod:`partnerkit.page`).

Everyone signs in (:mod:`~partnerkit.serve.signin`): partnerkit's identity provider is
Voilà's, every handler is locked behind a signed-in session
(:mod:`~partnerkit.serve.lockdown`), each page's kernel is handed its account by the
server (:mod:`~partnerkit.serve.handover`), and sessions end after the idle timeout
(:mod:`~partnerkit.serve.web_sessions`).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from typing import Any

from partnerkit import paths
from partnerkit.accounts import login_name
from partnerkit.kernel_clients import IOPUB_PATIENCE_SECONDS, STEADY_CLIENT
from partnerkit.page import IDENTITY_DIR_ENV, QUERY_SECRET_ENV, READY_DIR_ENV, SERVED_ENV
from partnerkit.serve import page_script
from partnerkit.serve.console import ConsoleReport
from partnerkit.serve.forked_kernels import KernelTemplate
from partnerkit.serve.forked_kernels import configure as configure_forked_kernels
from partnerkit.serve.guides import guide_routes
from partnerkit.serve.handover import IdentityHandover
from partnerkit.serve.identity import PartnerkitIdentity
from partnerkit.serve.kernel_life import KernelLife, leaving_handler_class
from partnerkit.serve.landing import landing_handler, store_problem
from partnerkit.serve.lockdown import lock_handlers
from partnerkit.serve.logs import configure as configure_logs
from partnerkit.serve.logs import log_request
from partnerkit.serve.options import ServeOptions, check_options, plain_warning
from partnerkit.serve.page_templates import share_compiled_templates
from partnerkit.serve.room import (
    available_mib,
    cull_config,
    memory_verdict,
    needed_mib,
    page_limit,
)
from partnerkit.serve.state import SETTINGS_KEY, ServerState
from partnerkit.serve.verify_page import verify_handler
from partnerkit.serve.web_sessions import SIGNED_IN, SessionBook, WebSession, sweep_interval_seconds
from partnerkit.serve.workbook_pages import page_handler_class

FILL_DELAY_SECONDS = 2.0
MAX_FILL_DELAY_SECONDS = 30.0
PAGE_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")
"""The only front-end extensions a page's configuration names: the widgets. A page loads
none of them (its own script draws the widgets: partnerkit.serve.page_script); Voilà
would otherwise list every JupyterLab extension installed beside it."""
PAGE_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; "
            "base-uri 'self'; form-action 'self'")
"""Pages load nothing from other sites (Voilà's template links an icon font on a CDN)
and cannot be framed by another site."""
KERNELS = "partnerkit.serve.kernels"
KERNEL_TRANSPORT = "ipc"
"""Kernels talk to the server over files (Unix sockets) named after the kernel, not TCP
ports: ports picked for kernels starting together could clash (``ZMQError: Address
already in use``), leaving a pool kernel dead at birth."""
PAGE_KERNEL_RESTARTS = 0
"""A page kernel that dies is not restarted: the restarted kernel would be empty, and a page
connecting to it would show "model not found" in every part without a word. Ended
instead (``GentleKernelManager._handle_kernel_died``), its page says the connection was
lost and offers a reload."""


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
    config.Voila.base_url = options.base_url
    config.Voila.root_dir = str(paths.workbooks_dir())
    config.Voila.identity_provider_class = PartnerkitIdentity
    config.VoilaConfiguration.show_tracebacks = False
    config.VoilaExecutor.iopub_timeout = IOPUB_PATIENCE_SECONDS
    config.VoilaConfiguration.strip_sources = True
    config.VoilaConfiguration.file_allowlist = [r".*\.(png|svg)"]
    config.VoilaConfiguration.file_denylist = [r".*\.(ipynb|py|sqlite|db|csv|xlsx|json)"]
    config.VoilaConfiguration.extension_allowlist = list(PAGE_EXTENSIONS)
    config.VoilaConfiguration.resources = {"page_script_version": page_script.version()}
    config.Voila.tornado_settings = {"headers": {"Content-Security-Policy": PAGE_CSP}}
    config.KernelManager.transport = KERNEL_TRANSPORT
    config.KernelRestarter.restart_limit = PAGE_KERNEL_RESTARTS
    cull_config(config, options.limits.cull_minutes)
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
    config.AsyncKernelManager.client_class = STEADY_CLIENT
    config.VoilaConfiguration.multi_kernel_manager_class = f"{KERNELS}.GentleKernelManager"


def server_state(options: ServeOptions) -> ServerState:
    """The running server's sessions, hand-over folder and secrets (one per server)."""
    book = SessionBook(options.idle_minutes * 60)
    state = ServerState(data=options.data, book=book, handover=IdentityHandover(),
                        idle_minutes=options.idle_minutes,
                        default_workspace=options.workspace)
    book.on_end = state.closing
    state.life = KernelLife(state.page_gone)
    state.pages_per_person = options.limits.pages_per_person
    state.page_limit = page_limit(options.limits, available_mib())
    atexit.register(state.handover.close)
    if options.no_sign_in:
        login = login_name()
        state.local = WebSession("local", login, login, SIGNED_IN, 0.0, local=True,
                                 pinned=True)
    elif options.hub_user is not None:
        state.local = WebSession("hub", options.hub_user, options.hub_user, SIGNED_IN, 0.0,
                                 pinned=True)
        state.hub_logout = os.environ.get("JUPYTERHUB_BASE_URL", "/").rstrip("/") + "/hub/logout"
    return state


def kernel_environment(options: ServeOptions, state: ServerState) -> None:
    """What every kernel inherits: the data folder, that it is served, how to reach the server.

    The hand-over folder and the secret a preheated kernel sends to get its request;
    ``wss`` for that request when the server speaks HTTPS; the server's own address
    when it listens on one address only.
    """
    os.environ["PARTNERKIT_DATA"] = str(options.data)
    os.environ[SERVED_ENV] = "1"
    os.environ["PARTNERKIT_DOOR"] = "page"  # the audit trail's door for the kernels
    os.environ[IDENTITY_DIR_ENV] = str(state.handover.folder)
    os.environ[QUERY_SECRET_ENV] = state.query_secret
    ready_dir = tempfile.mkdtemp(prefix="partnerkit-ready-")
    atexit.register(shutil.rmtree, ready_dir, ignore_errors=True)
    os.environ[READY_DIR_ENV] = ready_dir
    if options.https:
        os.environ["VOILA_WS_PROTOCOL"] = "wss"
    if options.host not in ("", "0.0.0.0", "::"):
        os.environ["VOILA_APP_IP"] = "127.0.0.1" if options.host == "localhost" else options.host


def make_app(options: ServeOptions) -> Any:
    """Build the Voilà application: sign-in in front of every handler, the landing page."""
    from voila.app import Voila

    state = server_state(options)
    kernel_environment(options, state)
    share_compiled_templates()
    landing, page = landing_handler(), page_handler_class()

    class PartnerkitVoila(Voila):
        """Voilà with sign-in, the landing page at the root and partnerkit's page template."""

        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.template_paths.insert(0, str(paths.templates_dir() / "voila"))

        def init_settings(self) -> dict:
            settings = super().init_settings()
            state.kernel_manager = self.kernel_manager
            self.kernel_manager.before_cull = functools.partial(
                state.life.culling, minutes=options.limits.cull_minutes)
            settings[SETTINGS_KEY] = state
            settings["login_url"] = self.base_url + "signin"
            settings["log_function"] = log_request  # one line per page (serve/logs.py)
            _start_sweeping(state)
            ConsoleReport(self.kernel_manager).start()
            return settings

        def init_handlers(self) -> list:
            return _locked(super().init_handlers(), landing, page, self.server_url)

        def listen(self) -> None:
            _stop_promptly_on_signals(self.kernel_manager)
            if options.https:
                self.app.listen = functools.partial(  # type: ignore[method-assign]
                    self.app.listen, ssl_options={"certfile": str(options.certfile),
                                                  "keyfile": str(options.keyfile)})
            super().listen()

    app = PartnerkitVoila(config=kernel_template(voila_config(options), options))
    app.initialize([str(paths.workbooks_dir())])
    configure_logs(app.log)
    return app


def kernel_template(config: Any, options: ServeOptions) -> Any:
    """Start the kernel template and fork page kernels from it (not for one hub user).

    A hub user's own server holds a page or two: a template would cost more memory than
    it saves there.
    """
    if options.hub_user is not None:
        return config
    template = KernelTemplate()
    if template.start():
        configure_forked_kernels(config)
        atexit.register(template.stop)
    return config


def _locked(voila_handlers: list, landing: type, page: type, server_url: str) -> list:
    """Voilà's handlers with partnerkit's pages in, and every one locked behind sign-in."""
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.treehandler import TornadoVoilaTreeHandler

    ours = {TornadoVoilaHandler: page, VoilaShutdownKernelHandler: leaving_handler_class()}
    swapped = [(spec[0], ours[spec[1]], *spec[2:]) if spec[1] in ours else spec
               for spec in voila_handlers]
    root = server_url.rstrip("/") or ""
    guides = guide_routes(root)
    every = [(root + "/", landing), (root + "/index.html", landing),
             (root + "/verify", verify_handler()), page_script.route(root), *guides, *swapped]
    return lock_handlers(every, pages=(landing, page, TornadoVoilaTreeHandler, guides[0][1]))


def _stop_promptly_on_signals(manager: Any) -> None:
    """Ctrl+C (SIGINT) and SIGTERM stop the server at once, kernels and all.

    Python only acts on a signal when its main thread next runs; a server waiting for
    requests could sit for a minute before noticing Ctrl+C. The event loop's own signal
    handling wakes it at once; stopping the loop lets Voilà shut every kernel down.
    The console says so, so whoever pressed Ctrl+C knows what it is waiting for.
    """
    import signal

    from tornado.ioloop import IOLoop

    loop = IOLoop.current()

    def stop() -> None:
        print(f"partnerkit: stopping: ending {len(manager.list_kernel_ids())} kernel(s); "
              "every saved answer is already in the store", flush=True)
        loop.stop()

    for which in (signal.SIGINT, signal.SIGTERM):
        loop.asyncio_loop.add_signal_handler(which, stop)  # type: ignore[attr-defined]


def _start_sweeping(state: ServerState) -> None:
    """End idle sessions regularly, so their kernels stop and their pages say so."""
    from tornado.ioloop import PeriodicCallback

    seconds = sweep_interval_seconds(state.book.idle_seconds)
    PeriodicCallback(state.book.sweep, seconds * 1000).start()


def serve(options: ServeOptions) -> None:
    """Check the options, then serve until stopped (Ctrl+C).

    A store that cannot be opened stops the server from starting when the workspace has
    to be read from it; with ``--workspace`` the server starts, says so, and its pages
    show the same message until the store is put right. On another address than this
    computer's without HTTPS, it says plainly that passwords would cross in clear.
    """
    check_options(options)
    memory_warning = check_memory(options)
    app = make_app(options)
    problem = store_problem(options.data) if options.workspace else None
    host = options.host if ":" not in options.host else f"[{options.host}]"
    who = (f"without sign-in: working as {login_name()} on this computer"
           if options.no_sign_in else "everyone signs in")
    if options.hub_user is not None:
        who = f"JupyterHub signs people in: this is {options.hub_user}'s own server"
    print(f"partnerkit: serving the workbooks at {options.scheme}://{host}:{options.port}"
          f"{options.base_url} "
          f"({who}; data: {options.data}; stop with Ctrl+C)", flush=True)
    for warning in (plain_warning(options), memory_warning):
        if warning:
            print(f"partnerkit: warning: {warning}", flush=True)
    if problem is not None:
        print(f"partnerkit: warning: {problem} (until then every page shows this message)",
              flush=True)
    _say_room(options)
    _freeze_start_up_objects()
    app.start()
    left = len(app.kernel_manager.list_kernel_ids())
    print("partnerkit: stopped; " + (f"{left} kernel(s) did not end: see the log above"
                                     if left else "no kernel is left running"), flush=True)


def _freeze_start_up_objects() -> None:
    """Keep the objects of the server's imports and set-up out of every garbage collection.

    The server holds about 270,000 of them, and none will be freed: without this, each
    full collection walked them all again (0.2 s, about every dozen pages).
    """
    import gc

    gc.collect()
    gc.freeze()


def check_memory(options: ServeOptions) -> str | None:
    """Refuse a room the machine's memory cannot hold; a warning when it barely can."""
    needed = needed_mib(options.pool, options.pools, options.limits.room)
    return memory_verdict(needed, available_mib(), options.limits.room)


def _say_room(options: ServeOptions) -> None:
    """Say the pools and limits the server starts with."""
    from partnerkit.serve.room import pool_kernels

    limits = options.limits
    room = f"a room of {limits.room}: " if limits.room else ""
    print(f"partnerkit: {room}{pool_kernels(options.pool, options.pools)} preheated kernels; "
          f"at most {limits.pages_per_person} pages per person; idle pages end after "
          f"{limits.cull_minutes:g} minutes", flush=True)

