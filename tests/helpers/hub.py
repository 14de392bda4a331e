"""A real JupyterHub (from PyPI, with configurable-http-proxy from npm) on loopback, running
``deploy/jupyterhub/jupyterhub_config.py`` over a fresh PostgreSQL store with the demo school.

The only test setting is the spawner: every person's server runs as the test's own user
(``PARTNERKIT_HUB_SPAWNER=simple``), as there are no system users for the demo accounts.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from partnerkit.demo import create_demo
from tests.helpers.backends import fresh_postgres_database

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PASSWORD = "glenbrae-demo-only"
START_SECONDS = 180


@dataclass
class Hub:
    """A running hub: its address, its store's URL and its log."""

    url: str
    database_url: str
    folder: Path
    pid: int = 0

    def log(self) -> str:
        """What the hub has logged so far."""
        return (self.folder / "hub.log").read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _own_ports() -> list[str]:
    """Free ports for the hub's own API and the proxy's API (8081 and 8001 by default), so
    two hubs can run at once (two test modules, or a test beside a benchmark)."""
    return [f"--JupyterHub.hub_port={_free_port()}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}"]


def _wait_until_up(url: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("JupyterHub stopped at start:\n" + (folder / "hub.log").read_text())
        try:
            if requests.get(url + "hub/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"JupyterHub did not answer within {START_SECONDS} s")


@contextmanager
def running_hub(folder: Path, env: dict[str, str] | None = None,
                prepare: Callable[[str], None] | None = None) -> Iterator[Hub]:
    """JupyterHub serving partnerkit over PostgreSQL, stopped (with every server) after.

    ``env`` adds the hub's settings (``PARTNERKIT_HUB_PAGES``, ``PARTNERKIT_HUB_POOL``);
    ``prepare(url)`` adds to the store after the demo school is made (more accounts).
    Used by the hub tests and by ``benchmarks/hub_latency.py``.
    """
    if not shutil.which("configurable-http-proxy"):
        pytest.fail("configurable-http-proxy is missing; scripts/test.sh installs it from npm")
    with fresh_postgres_database() as url:
        create_demo(data=folder / "data", url=url)
        if prepare is not None:
            prepare(url)
        port = _free_port()
        env = {**os.environ, "PARTNERKIT_DATABASE_URL": url,
               "PARTNERKIT_DATA": str(folder / "data"), "PARTNERKIT_HUB_SPAWNER": "simple",
               "PARTNERKIT_HUB_PORT": str(port), **(env or {})}
        env.pop("PARTNERKIT_ACCOUNT", None)
        with open(folder / "hub.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG), *_own_ports()],
                cwd=folder, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_until_up(f"http://127.0.0.1:{port}/", process, folder)
            yield Hub(f"http://127.0.0.1:{port}/", url, folder, process.pid)
        finally:
            _stop(process)
            _stop_left_behind(f"PARTNERKIT_HUB_PORT={port}",
                              f"PARTNERKIT_DATA={folder / 'data'}")


def _stop_left_behind(*marks: str) -> None:
    """End what the hub left running, found by ``marks`` in their environment.

    configurable-http-proxy runs in a session of its own, so only the hub's own shutdown
    ends it (it has the hub's port); a user's server that hangs on its way out (a
    library's thread holding it open) outlives the hub (it has the hub's data folder).
    """
    wanted = {mark.encode() for mark in marks}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if wanted & set((entry / "environ").read_bytes().split(b"\0")):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def _stop(process: subprocess.Popen) -> None:
    """Stop the hub (it stops every user's server), then anything left in its group."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
