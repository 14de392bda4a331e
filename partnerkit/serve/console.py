"""What ``partnerkit serve`` says on its console while it runs: pages ready, kernels, memory.

A line when the number of pages ready (preheated kernels waiting for a page) or of
kernels changes, at most every :data:`REPORT_SECONDS`::

    partnerkit: 7 of 7 pages ready; 9 kernel(s) running, 162 MiB each on average (1.4 GiB in all)

A kernel's memory is its proportional set size (``Pss`` in ``/proc/PID/smaps_rollup``):
memory shared between kernels is split between them, so the sum is what they take.
Reading it walks the kernel's whole memory map (3-5 ms a kernel), so each kernel's size
is read again only after :data:`MEMORY_REFRESH_SECONDS`: in a busy room the line changes
with every page, and reading 30 kernels each time was the server's own work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from partnerkit.serve.kernel_life import ready_pages

log = logging.getLogger(__name__)

REPORT_SECONDS = 5.0
MEMORY_REFRESH_SECONDS = 60.0


def process_mib(pid: int) -> float | None:
    """A process's proportional set size in MiB (resident size if unknown); None if gone."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            with open(f"/proc/{pid}/{name}", encoding="ascii") as info:
                for line in info:
                    if line.startswith(key):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return None


def kernel_pid(manager: Any, kernel_id: str) -> int | None:
    """The process id of one of the manager's kernels, if it runs on this machine."""
    try:
        kernel = manager.get_kernel(kernel_id)
        process = getattr(kernel.provisioner, "process", None)
        return getattr(process, "pid", None)
    except Exception:  # noqa: BLE001 - a kernel going away
        return None


class KernelSizes:
    """Each kernel's memory in MiB, read at most once every :data:`MEMORY_REFRESH_SECONDS`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._known: dict[int, tuple[float, float]] = {}  # pid: (when read, MiB)

    def size(self, pid: int) -> float | None:
        """The kernel's memory: as last read if that was recent, else read now."""
        now = self.clock()
        known = self._known.get(pid)
        if known is not None and now - known[0] < MEMORY_REFRESH_SECONDS:
            return known[1]
        size = process_mib(pid)
        if size is not None:
            self._known[pid] = (now, size)
        return size

    def of(self, manager: Any) -> list[float]:
        """The memory of every running kernel of the manager, in MiB."""
        pids = [kernel_pid(manager, kernel_id) for kernel_id in list(manager.list_kernel_ids())]
        living = {pid for pid in pids if pid}
        self._known = {pid: known for pid, known in self._known.items() if pid in living}
        sizes = [self.size(pid) for pid in pids if pid]
        return [size for size in sizes if size is not None]


def status_line(manager: Any, sizes: KernelSizes | None = None) -> str:
    """Pages ready, kernels running and their memory, in one line."""
    ready, wanted = ready_pages(manager)
    memory = (sizes or KernelSizes()).of(manager)
    line = f"{ready} of {wanted} pages ready; {len(memory)} kernel(s) running"
    if memory:
        line += (f", {sum(memory) / len(memory):.0f} MiB each on average "
                 f"({sum(memory) / 1024:.1f} GiB in all)")
    return line


class ConsoleReport:
    """Prints :func:`status_line` when the pages ready or the kernels change."""

    def __init__(self, manager: Any, say: Any = print) -> None:
        self.manager = manager
        self.say = say
        self.sizes = KernelSizes()
        self._last: tuple[int, int] | None = None

    def tick(self) -> None:
        """Say the status when it changed since the last time."""
        try:
            now = (ready_pages(self.manager)[0], len(self.manager.list_kernel_ids()))
            if now != self._last:
                self._last = now
                self.say(f"partnerkit: {status_line(self.manager, self.sizes)}", flush=True)
        except Exception:  # noqa: BLE001 - the report must never stop the server
            log.debug("the console report failed", exc_info=True)

    def start(self) -> None:
        """Report every few seconds from the server's event loop."""
        from tornado.ioloop import PeriodicCallback

        PeriodicCallback(self.tick, REPORT_SECONDS * 1000).start()
