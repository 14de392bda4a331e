"""Kernel plumbing for ``partnerkit serve``: a gentle kernel pool.

Voilà runs each page's notebook through a kernel client in the server process; the
server makes it :class:`partnerkit.kernel_clients.SteadyKernelClient`, which never
misses a reply.

:class:`GentleKernelManager` warms pool kernels a few at a time. Voilà refills a pool
by starting every missing kernel at once; after a room of 30 people has opened a page,
30 kernels importing pandas and matplotlib together take the CPU from the pages still
loading. Here a pool kernel holds one of :data:`WARMING_SLOTS` until it says it is ready
for a page (a file named after it in ``$PARTNERKIT_READY_DIR``, written by
:func:`partnerkit.page.mark_ready`), so warming never takes more than
about half the machine, and a kernel only starts warming when the machine is not busy
(less than :data:`BUSY_SHARE` of its CPU used over the last second) or has been busy for
:data:`BUSY_PATIENCE_SECONDS`: the refill waits until a room's pages have loaded. Kernels
for pages themselves (an empty pool) never wait.

It notes each kernel's activity for culling from its messages' headers alone
(:mod:`partnerkit.serve.kernel_activity`).

A page kernel that dies is not restarted (``PAGE_KERNEL_RESTARTS`` in
:mod:`partnerkit.serve.app`): a restarted kernel is empty, and a page that connected to
one would show none of its forms ("model not found" in every part) without a word. It is
shut down instead (:meth:`GentleKernelManager._handle_kernel_died`), so its page hears
that its kernel is dead and says so, and its files are cleared away.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

from partnerkit.kernel_clients import without_history_file
from partnerkit.page import READY_DIR_ENV
from partnerkit.serve.kernel_activity import still_starting, watch_activity
from partnerkit.serve.kernel_life import drop_dead_pool_kernels, pool_kernels

log = logging.getLogger(__name__)

WARMING_SLOTS = max(1, ((os.cpu_count() or 2) + 1) // 2)
"""Pool kernels warming at once: half the cores, at least one."""
WARM_PATIENCE_SECONDS = 90.0
"""A pool kernel that has not said it is ready by then gives up its slot anyway."""
READY_POLL_SECONDS = 0.1
BUSY_SHARE = 0.5
"""A machine using more than this share of its CPU is busy serving pages."""
BUSY_PATIENCE_SECONDS = 120.0
"""A pool kernel starts warming after this long even on a machine that stays busy."""


def _cpu_times() -> tuple[int, int] | None:
    """(all, idle) CPU time of the machine so far, from /proc/stat; None elsewhere."""
    try:
        first_line = Path("/proc/stat").read_text().split("\n", 1)[0]
        values = [int(v) for v in first_line.split()[1:9]]
    except (OSError, ValueError):
        return None
    return sum(values), values[3] + values[4]


async def busy_share(interval: float = 1.0) -> float | None:
    """The share of the machine's CPU used over the next ``interval``; None if unknown."""
    first = _cpu_times()
    await asyncio.sleep(interval)
    second = _cpu_times()
    if first is None or second is None or second[0] <= first[0]:
        return None
    return 1.0 - (second[1] - first[1]) / (second[0] - first[0])


class WarmingGate:
    """At most ``slots`` pool kernels warming at once, and none while the machine is busy.

    A slot is freed when its kernel is ready. A pool kernel a page is already waiting
    for (``claimed``) never waits: the page comes first.
    """

    def __init__(self, slots: int, ready_dir: Path, patience: float = WARM_PATIENCE_SECONDS,
                 busy: Callable[[], Awaitable[float | None]] = busy_share,
                 busy_patience: float = BUSY_PATIENCE_SECONDS):
        self.slots = slots
        self.ready_dir = ready_dir
        self.patience = patience
        self.busy = busy
        self.busy_patience = busy_patience
        self.in_use = 0
        self.closing = False
        """Set when the server stops: kernels still waiting to warm go on at once."""
        self.ready: set[str] = set()
        """Kernels that said they are ready for a page (their ready file was tidied away)."""

    async def admit(self, claimed: Callable[[], bool] = lambda: False) -> bool:
        """Wait until this kernel may warm; True when it took a slot (to be released)."""
        deadline = time.monotonic() + self.busy_patience
        while not claimed() and not self.closing:
            if self.in_use < self.slots:
                share = await self.busy()
                quiet = share is None or share < BUSY_SHARE or time.monotonic() >= deadline
                if quiet and self.in_use < self.slots and not claimed():
                    self.in_use += 1
                    return True
            else:
                await asyncio.sleep(READY_POLL_SECONDS)
        return False

    def release(self) -> None:
        """Give a slot back."""
        self.in_use = max(0, self.in_use - 1)

    def ready_file(self, kernel_id: str) -> Path:
        """Where a kernel says it is ready for a page."""
        return self.ready_dir / kernel_id

    async def release_when_ready(self, kernel_id: str, alive: Callable[[], bool]) -> None:
        """Free the slot once the kernel is ready, has gone, or has run out of patience."""
        deadline = time.monotonic() + self.patience
        marker = self.ready_file(kernel_id)
        try:
            while not marker.exists() and alive() and time.monotonic() < deadline:
                await asyncio.sleep(READY_POLL_SECONDS)
            if marker.exists():
                self.ready.add(kernel_id)
            elif alive():
                log.warning("pool kernel %s was not ready after %.0f s; warming the next one",
                            kernel_id, self.patience)
        finally:
            marker.unlink(missing_ok=True)
            self.release()


class PageKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager, its kernels keeping their history in memory.

    The kernel manager of every server that runs workbook pages: ``partnerkit serve``'s
    (through :class:`GentleKernelManager`) and the hub's Voilà extension pages.
    """

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel that keeps its IPython history in memory only."""
        return await super().start_kernel(*args, **without_history_file(kwargs))


class GentleKernelManager(PageKernelManager):
    """Jupyter Server's kernel manager, warming pool kernels a few at a time.

    ``before_cull(kernel_id)``, when set, is called just before an idle kernel is
    culled, so that its page can be told why (:mod:`partnerkit.serve.kernel_life`).
    """

    _gate: WarmingGate | None = None
    _culling: str | None = None
    before_cull: Callable[[str], None] | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._clearing: set[asyncio.Future] = set()  # dead kernels being cleared away
        self.birth_pids: dict[str, int | None] = {}
        """The process each kernel started with (a kernel restarted since has another:
        only through the REST API now, as partnerkit never restarts a page kernel)."""

    def start_watching_activity(self, kernel_id: str) -> None:
        """Note each kernel's activity for culling from its messages' headers alone."""
        watch_activity(self, kernel_id)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter Server's culling, noting which kernel is being looked at.

        A kernel still starting, or gone since the culler listed it, is left alone.
        """
        if kernel_id not in self or still_starting(self.get_kernel(kernel_id)):
            return
        self._culling = kernel_id
        try:
            await super().cull_kernel_if_idle(kernel_id)
        finally:
            self._culling = None

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Shut a kernel down; a culled one's page is told first."""
        if self._culling == kernel_id and self.before_cull is not None:
            self.before_cull(kernel_id)
        self.birth_pids.pop(kernel_id, None)
        if self.gate is not None:
            self.gate.ready.discard(kernel_id)
            self.gate.ready_file(kernel_id).unlink(missing_ok=True)
        await super().shutdown_kernel(kernel_id, *args, **kwargs)

    def _handle_kernel_died(self, kernel_id: str) -> None:
        """A kernel died and is not restarted: clear it away (its page was told it is dead).

        A pool kernel is replaced in its pool; a page's kernel is shut down. Jupyter
        Server would only forget it, leaving its files and connections behind.
        """
        log.warning("kernel %s died; it is cleared away, and a page on it says the "
                    "connection was lost", kernel_id)
        clearing = asyncio.ensure_future(self._clear_dead(kernel_id))
        self._clearing.add(clearing)  # held until done: the loop keeps only a weak reference
        clearing.add_done_callback(self._clearing.discard)

    async def _clear_dead(self, kernel_id: str) -> None:
        notebook = self._pool_holding(kernel_id)
        try:
            if notebook is not None:
                await drop_dead_pool_kernels(self, notebook)
            elif kernel_id in self:
                await self.shutdown_kernel(kernel_id, now=True)
        except Exception:  # noqa: BLE001 - what is left of it is gone already
            log.debug("clearing dead kernel %s failed", kernel_id, exc_info=True)
            self.remove_kernel(kernel_id)

    def _pool_holding(self, kernel_id: str) -> str | None:
        """The workbook whose pool holds ``kernel_id`` (started, not yet handed out), or None."""
        for notebook, pool in getattr(self, "_pools", {}).items():
            if any(held == kernel_id for _task, held in pool_kernels(pool)):
                return notebook
        return None

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        """Stop every kernel; pool kernels waiting their turn to warm stop waiting first.

        (Voilà waits for its pools' kernels to start before it stops them; on a busy
        machine the gate would otherwise hold a server that was told to stop.)
        """
        if self._gate is not None:
            self._gate.closing = True
        result = super().shutdown_all(*args, **kwargs)
        if inspect.isawaitable(result):
            await result

    def is_ready(self, kernel_id: str) -> bool:
        """True once a pool kernel has said it waits for a page (True if nobody can tell)."""
        gate = self.gate
        if gate is None:
            return True
        return kernel_id in gate.ready or gate.ready_file(kernel_id).exists()

    @property
    def gate(self) -> WarmingGate | None:
        """The warming gate, when the server gave kernels a folder to say they are ready."""
        folder = os.environ.get(READY_DIR_ENV)
        if folder and self._gate is None:
            self._gate = WarmingGate(WARMING_SLOTS, Path(folder))
        return self._gate

    def _claimed(self, task: asyncio.Task | None) -> bool:
        """True once a page has taken this pool task out of its pool to wait for it."""
        pools = getattr(self, "_pools", {})
        return task is not None and not any(task in pool for pool in pools.values())

    def _a_workbook_has_no_kernel_yet(self) -> bool:
        """True while some workbook's pool has not started a kernel yet.

        Voilà only hands a page a pool kernel once its workbook's pool has started one;
        until then the pool kernels start at once, as Voilà would start them.
        """
        started = getattr(self, "notebook_data", {})
        return any(pool and name not in started
                   for name, pool in getattr(self, "_pools", {}).items())

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        """Start a kernel; a pool kernel first waits its turn to warm (see WarmingGate)."""
        kernel_id = await self._start_kernel_gently(*args, **kwargs)
        self.birth_pids[kernel_id] = self.kernel_pid(kernel_id)
        return kernel_id

    def kernel_pid(self, kernel_id: str) -> int | None:
        """The process id of a kernel running on this machine; None if unknown."""
        try:
            process = getattr(self.get_kernel(kernel_id).provisioner, "process", None)
        except Exception:  # noqa: BLE001 - a kernel going away
            return None
        return getattr(process, "pid", None)

    async def _start_kernel_gently(self, *args: Any, **kwargs: Any) -> str:
        env = kwargs.get("env") or {}
        gate = self.gate
        if (gate is None or env.get("VOILA_PREHEAT") != "True"
                or self._a_workbook_has_no_kernel_yet()):
            return await super().start_kernel(*args, **kwargs)
        task = asyncio.current_task()
        holds_slot = await gate.admit(lambda: self._claimed(task))
        try:
            kernel_id = await super().start_kernel(*args, **kwargs)
        except BaseException:
            if holds_slot:
                gate.release()
            raise
        if holds_slot:
            watcher = asyncio.get_running_loop().create_task(
                gate.release_when_ready(kernel_id, lambda: kernel_id in self))
            self._warming_tasks = {*getattr(self, "_warming_tasks", set()), watcher}
            watcher.add_done_callback(self._warming_tasks.discard)
        return kernel_id
