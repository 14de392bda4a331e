"""What ``partnerkit serve`` says on its console while it runs: pages ready, kernels, memory.

A line when the number of pages ready (preheated kernels waiting for a page) or of
kernels changes, at most every :data:`REPORT_SECONDS`::

    partnerkit: 7 of 7 pages ready; 9 kernel(s) running, 162 MiB each on average (1.4 GiB in all)

A kernel's memory is its proportional set size (``Pss`` in ``/proc/PID/smaps_rollup``):
memory shared between kernels is split between them, so the sum is what they take.
"""

from __future__ import annotations

import logging
from typing import Any

from partnerkit.serve.kernel_life import ready_pages

log = logging.getLogger(__name__)

REPORT_SECONDS = 5.0


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


def kernel_memory(manager: Any) -> list[float]:
    """The memory of every running kernel of the manager, in MiB."""
    sizes = []
    for kernel_id in list(manager.list_kernel_ids()):
        pid = kernel_pid(manager, kernel_id)
        size = process_mib(pid) if pid else None
        if size is not None:
            sizes.append(size)
    return sizes


def status_line(manager: Any) -> str:
    """Pages ready, kernels running and their memory, in one line."""
    ready, wanted = ready_pages(manager)
    sizes = kernel_memory(manager)
    line = f"{ready} of {wanted} pages ready; {len(sizes)} kernel(s) running"
    if sizes:
        line += (f", {sum(sizes) / len(sizes):.0f} MiB each on average "
                 f"({sum(sizes) / 1024:.1f} GiB in all)")
    return line


class ConsoleReport:
    """Prints :func:`status_line` when the pages ready or the kernels change."""

    def __init__(self, manager: Any, say: Any = print) -> None:
        self.manager = manager
        self.say = say
        self._last: tuple[int, int] | None = None

    def tick(self) -> None:
        """Say the status when it changed since the last time."""
        try:
            now = (ready_pages(self.manager)[0], len(self.manager.list_kernel_ids()))
            if now != self._last:
                self._last = now
                self.say(f"partnerkit: {status_line(self.manager)}", flush=True)
        except Exception:  # noqa: BLE001 - the report must never stop the server
            log.debug("the console report failed", exc_info=True)

    def start(self) -> None:
        """Report every few seconds from the server's event loop."""
        from tornado.ioloop import PeriodicCallback

        PeriodicCallback(self.tick, REPORT_SECONDS * 1000).start()
