"""Warm kernels: started once, set up, and reused for many targets.

Starting a kernel and importing pandas and matplotlib costs seconds, running a workbook
a fraction of one, so each worker keeps one kernel for all its targets. Kernels talk
over IPC sockets in a private folder (no open TCP ports), keep no history file, and get
an environment in which this partnerkit (and the report function's package) imports
and no served page is pretended. Between two targets the namespace is cleared (see
:mod:`partnerkit.render.inkernel`); a kernel that dies is replaced.

A kernel is used from one thread only, on that thread's event loop (the one
``jupyter_core.utils.run_sync`` and nbclient use there), so several workers run their
kernels side by side.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from jupyter_core.utils import run_sync

from partnerkit import paths
from partnerkit.errors import KernelDiedError

STARTUP_TIMEOUT = 120
"""Seconds a kernel may take to start and answer."""

_KERNEL_NUMBERS = itertools.count(1)


@lru_cache(maxsize=1)
def socket_dir() -> str:
    """A private folder for the kernels' sockets (IPC: no open TCP ports, no warning)."""
    folder = tempfile.mkdtemp(prefix="pk-kernels-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def module_root(module_name: str) -> str | None:
    """The folder to import a module from (for the kernels), if it is imported here."""
    module = sys.modules.get(module_name)
    file = getattr(module, "__file__", None)
    if not file:
        return None
    root = Path(file).resolve().parent
    levels = module_name.count(".") + (1 if Path(file).name == "__init__.py" else 0)
    for _ in range(levels):
        root = root.parent
    return str(root)


def kernel_env(database_url: str | None, extra: str | None = None,
               account: str | None = None) -> dict[str, str]:
    """The kernels' environment: this partnerkit importable, not taken for a served page.

    With ``account`` the kernels act as that account (``PARTNERKIT_ACCOUNT``), whatever
    the environment of the render said.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VOILA_") and k not in ("PARTNERKIT_SERVED", "QUERY_STRING")}
    current = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    for root in (extra, str(Path(paths.PACKAGE_DIR).parent)):
        if root and root not in current:
            current.insert(0, root)
    env["PYTHONPATH"] = os.pathsep.join(current)
    env["PARTNERKIT_DOOR"] = "render"  # the audit trail's door for these kernels
    if database_url:
        env["PARTNERKIT_DATABASE_URL"] = database_url
    if account:
        env["PARTNERKIT_ACCOUNT"] = account
    return env


class WarmKernel:
    """One kernel kept alive across targets, with its client (``km``, ``kc``).

    ``setup`` is code run once after each start; ``used`` is true once a target ran,
    so the next one first clears the namespace.
    """

    def __init__(self, kernel_name: str, env: dict[str, str], cwd: str,
                 setup: str = "") -> None:
        self.kernel_name = kernel_name
        self.env = env
        self.cwd = cwd
        self.setup = setup
        self.km: Any = None
        self.kc: Any = None
        self.used = False

    async def _start(self) -> None:
        """Start the kernel, connect a client and run the set-up code."""
        from partnerkit.kernel_clients import SteadyKernelManager, without_history_file

        self.km = SteadyKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                     ip=os.path.join(socket_dir(), f"k{next(_KERNEL_NUMBERS)}"))
        await self.km.start_kernel(**without_history_file({"env": self.env, "cwd": self.cwd}))
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        self.kc.allow_stdin = False
        self.used = False
        if self.setup:
            reply = await self._call(self.setup, STARTUP_TIMEOUT)
            if reply["content"].get("status") != "ok":
                content = reply["content"]
                raise RuntimeError(f"setting up the kernel failed: {content.get('ename')}: "
                                   f"{content.get('evalue')}")

    start = run_sync(_start)

    async def _stop(self) -> None:
        """Shut the kernel down and free its sockets (also when it already died)."""
        if self.km is None:
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if await self.km.is_alive():
                await self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - a kernel that will not stop is cleaned up below
            pass
        finally:
            try:
                await self.km.cleanup_resources()
            except Exception:  # noqa: BLE001
                pass
            self.km = self.kc = None

    stop = run_sync(_stop)

    def restart(self) -> None:
        """Replace the kernel with a fresh one (set up again)."""
        self.stop()
        self.start()

    async def _alive(self) -> bool:
        """True while the kernel's process runs."""
        try:
            return bool(self.km is not None and await self.km.is_alive())
        except Exception:  # noqa: BLE001
            return False

    alive = run_sync(_alive)

    async def _call(self, code: str, timeout: float) -> dict[str, Any]:
        """Run code here (recorded in no notebook); return the kernel's reply.

        Raises:
            TimeoutError: no reply within ``timeout`` seconds.
            KernelDiedError: the kernel stopped before it replied.
        """
        task = asyncio.ensure_future(self.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=timeout,
            output_hook=lambda msg: None))
        while True:
            finished, _ = await asyncio.wait({task}, timeout=1.0)
            if finished:
                return task.result()
            if not await self.km.is_alive():
                task.cancel()
                raise KernelDiedError("the kernel stopped")

    call = run_sync(_call)

    def reset(self, code: str) -> None:
        """Clear what the last target left (modules stay imported); restart if that fails."""
        if not self.used:
            return
        try:
            ok = self.call(code, STARTUP_TIMEOUT)["content"].get("status") == "ok"
        except (TimeoutError, KernelDiedError):
            ok = False
        if not ok:
            self.restart()
