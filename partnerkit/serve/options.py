"""What ``partnerkit serve`` was asked for, and the checks that refuse unsafe options.

Safe by default: bound to 127.0.0.1, and everyone signs in, on this computer too.
``--no-sign-in`` is the explicit choice for one person on their own laptop, so it is
refused on any address but loopback. A store with no accounts cannot be signed in to,
so without ``--no-sign-in`` the server does not start on one. On another address the
server speaks HTTPS with ``--certfile``/``--keyfile``; without them it starts, and says
plainly that passwords would cross the network in clear (:func:`plain_warning`).

Every refusal is a :class:`~partnerkit.errors.ServeError` naming the option, the bad
value and the fix, raised before anything starts.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass, field
from pathlib import Path

from partnerkit import catalog, paths
from partnerkit.errors import ServeError
from partnerkit.serve.room import RoomLimits, check_limits, room_pools

DEFAULT_PORT = 8866
DEFAULT_POOL = 1
MAX_POOL = 200
DEFAULT_IDLE_MINUTES = 30.0
MAX_IDLE_MINUTES = 24 * 60.0


@dataclass
class ServeOptions:
    """What ``partnerkit serve`` was asked for, checked by :func:`check_options`."""

    data: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    pool: int = DEFAULT_POOL
    pools: dict[str, int] = field(default_factory=dict)
    workspace: str | None = None
    no_sign_in: bool = False
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    certfile: Path | None = None
    keyfile: Path | None = None
    limits: RoomLimits = field(default_factory=RoomLimits)
    hub_user: str | None = None
    """With ``--hub``: the JupyterHub user whose own server this is (``$JUPYTERHUB_USER``)."""
    base_url: str = "/"
    """The path the server answers under (``$JUPYTERHUB_SERVICE_PREFIX`` with ``--hub``)."""

    @property
    def https(self) -> bool:
        """True when the server speaks HTTPS itself (``--certfile``/``--keyfile``)."""
        return self.certfile is not None

    @property
    def scheme(self) -> str:
        """``https`` or ``http``."""
        return "https" if self.https else "http"


def is_loopback(host: str) -> bool:
    """True for localhost and the loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_pools(values: list[str] | None) -> tuple[int | None, dict[str, int]]:
    """Read ``--pool`` values: ``N`` for every workbook, ``WORKBOOK=N`` for one (0 to 200)."""
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
        if size < 0 or size > MAX_POOL:
            raise ServeError("is out of range", value=value, where="--pool",
                             fix=f"use a pool size from 0 to {MAX_POOL}")
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
    """Refuse unsafe or impossible options before anything starts.

    ``--no-sign-in`` only on loopback; certificate and key together, and readable; an
    idle timeout from a few seconds to a day; the room's limits in range (and its pools
    sized, :mod:`~partnerkit.serve.room`); the data folder must exist (it is never
    created here); the port must be free; and, unless ``--no-sign-in``, the store must
    have an account to sign in with.
    """
    if options.hub_user is not None:
        check_hub(options)
    if options.no_sign_in and not is_loopback(options.host):
        raise ServeError(
            "is not this computer only, and --no-sign-in lets anyone who reaches the server "
            "work as you", value=options.host, where="--no-sign-in with --host",
            fix="keep the default --host 127.0.0.1 with --no-sign-in, or leave out "
                "--no-sign-in so that everyone signs in")
    _check_tls(options)
    if not 0 < options.idle_minutes <= MAX_IDLE_MINUTES:
        raise ServeError("is not a number of minutes from above 0 to 1440",
                         value=options.idle_minutes, where="--idle-minutes",
                         fix="give the minutes without activity after which a session ends "
                             f"(default {DEFAULT_IDLE_MINUTES:g})")
    check_limits(options.limits)
    options.pools = room_pools(options.limits.room, options.pool, options.pools)
    options.data = paths.data_dir(options.data, create=False).resolve()
    if not options.no_sign_in and options.hub_user is None:
        check_accounts(options)
    check_port_free(options.host, options.port)
    return options


def hub_options(environ: dict[str, str]) -> tuple[str, str]:
    """The hub user and the path prefix JupyterHub gives the server it starts."""
    user = environ.get("JUPYTERHUB_USER", "").strip()
    if not user:
        raise ServeError("is for a server that JupyterHub starts, and JUPYTERHUB_USER is not "
                         "set", value="--hub", where="partnerkit serve",
                         fix="start it from JupyterHub (deploy/jupyterhub/jupyterhub_config.py"
                             "), or leave out --hub to serve with partnerkit's own sign-in")
    prefix = environ.get("JUPYTERHUB_SERVICE_PREFIX", "/") or "/"
    return user, prefix if prefix.endswith("/") else prefix + "/"


def check_hub(options: ServeOptions) -> None:
    """A hub user's server listens on this computer only, behind the hub's proxy."""
    if options.no_sign_in:
        raise ServeError("cannot go with --no-sign-in: the hub signs people in",
                         value="--hub", where="partnerkit serve", fix="leave out --no-sign-in")
    if not is_loopback(options.host):
        raise ServeError("is not this computer only, and a hub user's server must be reached "
                         "through the hub's proxy alone", value=options.host,
                         where="--hub with --host",
                         fix="keep the default --host 127.0.0.1 (jupyter-standaloneproxy "
                             "forwards to it)")


def _check_tls(options: ServeOptions) -> None:
    """A certificate needs its key and the other way round; both must be readable files."""
    if (options.certfile is None) != (options.keyfile is None):
        given, missing = (("--certfile", "--keyfile") if options.keyfile is None
                          else ("--keyfile", "--certfile"))
        raise ServeError(f"was given without {missing}",
                         value=str(options.certfile or options.keyfile), where=given,
                         fix="give both --certfile and --keyfile (PEM files), or neither")
    for where, path in (("--certfile", options.certfile), ("--keyfile", options.keyfile)):
        if path is not None and not Path(path).is_file():
            raise ServeError("is not a file", value=str(path), where=where,
                             fix="give the path of a PEM file (a certificate and its key)")


def check_accounts(options: ServeOptions) -> None:
    """Refuse a store without accounts: nobody could sign in to it.

    A store that cannot be opened is left for :func:`partnerkit.serve.serve` to report
    (with ``--workspace`` the server starts and its pages say what is wrong).
    """
    from partnerkit.accounts import has_accounts
    from partnerkit.errors import PartnerkitError
    from partnerkit.store import open_store

    try:
        store = open_store(options.data)
    except PartnerkitError:
        if options.workspace:
            return
        raise
    try:
        if has_accounts(store):
            return
    finally:
        store.close()
    raise ServeError(
        "has no accounts yet, so nobody could sign in", value=str(options.data),
        where="the store in --data",
        fix="run partnerkit demo (demo accounts for every role) or partnerkit users add "
            "USERNAME --name \"Full Name\" --role ROLE --workspace WORKSPACE; or, for one "
            "person on their own computer, start with --no-sign-in")


def plain_warning(options: ServeOptions) -> str | None:
    """What to say at start when passwords would cross the network in clear, else None."""
    if options.https or is_loopback(options.host) or options.no_sign_in:
        return None
    return (f"serving on {options.host} over plain HTTP: passwords and pupils' records "
            "would cross the network in clear; give --certfile and --keyfile to serve "
            "HTTPS, or keep --host 127.0.0.1 behind an HTTPS reverse proxy (see the README)")
