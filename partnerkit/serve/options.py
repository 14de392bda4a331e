"""What ``partnerkit serve`` was asked for, and the checks that refuse unsafe options.

Safe by default: bound to 127.0.0.1; any other address needs a token or a password.
Every refusal is a :class:`~partnerkit.errors.ServeError` naming the option, the bad
value and the fix, raised before anything starts.
"""

from __future__ import annotations

import errno
import getpass
import ipaddress
import socket
from dataclasses import dataclass, field
from pathlib import Path

from partnerkit import catalog, paths
from partnerkit.errors import ServeError

DEFAULT_PORT = 8866
DEFAULT_POOL = 1
MAX_POOL = 200


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

    Another address than this computer's needs a token or a password; the data folder
    must exist (it is never created here); the port must be free.
    """
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
    """Ask for a password (8 characters or more) twice on the terminal; return its hash."""
    first = getpass.getpass("Password for the web forms: ")
    if len(first) < 8:
        raise ServeError("is too short", value="(hidden)", where="--password",
                         fix="use at least 8 characters")
    if getpass.getpass("Type it again: ") != first:
        raise ServeError("the two passwords differ", where="--password", fix="try again")
    return hash_password(first)
