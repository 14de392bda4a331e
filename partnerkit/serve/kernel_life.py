"""A page's kernel lives as long as its page, and no longer; a page never gets a dead one.

- **Leaving a page.** Voilà's page sends ``POST /voila/api/shutdown/<kernel_id>`` (a
  beacon) when it is closed or left, with the ``_xsrf`` token it reads from the
  ``_xsrf`` cookie. That cookie used to be set only by the page's later request for who
  is signed in, so a page left before that request had finished sent no token, and the
  shutdown was refused (``'_xsrf' argument missing``). Now every workbook page sets the
  cookie itself (:mod:`~partnerkit.serve.workbook_pages`). The shutdown waits
  :data:`LEAVE_GRACE_SECONDS`, so that the page's last messages (the value of the box the
  person was in, sent as the page goes) reach the kernel and are saved first.
- **A page that went without a word** (the browser crashed, the laptop lid closed): when
  a kernel's last websocket closes and none comes back within
  :data:`GONE_GRACE_SECONDS`, the kernel is shut down.
- **Idle pages** are culled by Jupyter Server (``--cull-minutes``,
  :func:`partnerkit.serve.room.cull_config`); just before, the page's websocket is closed
  with :data:`CULLED_CLOSE_CODE`, and the page says the page ended after so many
  minutes without use, with a reload button. Every finished answer is saved by then
  (text as typed, dates and choices after a short pause).
- **A dead pool kernel** (one that died at birth or was killed) is taken out of its
  pool before a page is handed one, and replaced (:func:`drop_dead_pool_kernels`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

LEAVE_GRACE_SECONDS = 2.0
GONE_GRACE_SECONDS = 60.0
CULLED_CLOSE_CODE = 4408
"""The websocket close code when a page's kernel is ended for being idle."""


class KernelLife:
    """The open websockets of each page kernel, and the shutdowns waiting to happen.

    ``shut_down(kernel_id)`` ends a kernel (the server state's, which also forgets who
    it was handed to).
    """

    def __init__(self, shut_down: Callable[[str], None],
                 gone_grace: float = GONE_GRACE_SECONDS) -> None:
        self.shut_down = shut_down
        self.gone_grace = gone_grace
        self.sockets: dict[str, set[Any]] = {}
        self._waiting: dict[str, asyncio.TimerHandle] = {}

    def opened(self, kernel_id: str, socket: Any) -> None:
        """A page's websocket to its kernel opened: no shutdown for going away."""
        self.sockets.setdefault(kernel_id, set()).add(socket)
        self._cancel(kernel_id)

    def closed(self, kernel_id: str, socket: Any) -> None:
        """A websocket closed; with none left, the kernel ends unless one comes back."""
        left = self.sockets.get(kernel_id, set())
        left.discard(socket)
        if not left:
            self.sockets.pop(kernel_id, None)
            if kernel_id not in self._waiting:  # a page that said it left ends sooner
                self._later(kernel_id, self.gone_grace)

    def left(self, kernel_id: str) -> None:
        """The page said it is going: end its kernel after the short grace."""
        self._later(kernel_id, LEAVE_GRACE_SECONDS)

    def culling(self, kernel_id: str, minutes: float) -> None:
        """The kernel is about to be culled: tell its pages why their connection closes."""
        self._cancel(kernel_id)
        for socket in list(self.sockets.pop(kernel_id, ())):
            try:
                socket.close(CULLED_CLOSE_CODE, f"idle for {minutes:g} minutes")
            except Exception:  # noqa: BLE001 - a socket that is already gone
                log.debug("closing the websocket of culled kernel %s failed", kernel_id)

    def _later(self, kernel_id: str, delay: float) -> None:
        self._cancel(kernel_id)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.shut_down(kernel_id)
            return
        self._waiting[kernel_id] = loop.call_later(delay, self._end, kernel_id)

    def _end(self, kernel_id: str) -> None:
        self._waiting.pop(kernel_id, None)
        if not self.sockets.get(kernel_id):
            log.info("kernel %s: its page has gone; shutting it down", kernel_id)
            self.shut_down(kernel_id)

    def _cancel(self, kernel_id: str) -> None:
        timer = self._waiting.pop(kernel_id, None)
        if timer is not None:
            timer.cancel()


async def kernel_alive(manager: Any, kernel_id: str) -> bool:
    """True when the kernel is the manager's and the process it started with still runs.

    A pool kernel that died was restarted by Jupyter Server (a new process, empty): the
    workbook it had prepared for a page is gone with the old one, so it counts as dead.
    """
    if kernel_id not in manager:
        return False
    born = getattr(manager, "birth_pids", {}).get(kernel_id)
    if born is not None and manager.kernel_pid(kernel_id) != born:
        return False
    try:
        return bool(await manager.get_kernel(kernel_id).is_alive())
    except Exception:  # noqa: BLE001 - a kernel half gone counts as dead
        return False


def pool_kernels(pool: list[asyncio.Future]) -> list[tuple[asyncio.Future, str | None]]:
    """Each finished task of a Voilà pool, with the id of the kernel it started.

    The id is None for a task that failed to start its kernel or was cancelled. Tasks
    still starting are left out.
    """
    finished = [task for task in pool if task.done()]
    return [(task, None if task.cancelled() or task.exception()
             else task.result().get("kernel_id")) for task in finished]


async def drop_dead_pool_kernels(manager: Any, notebook: str) -> int:
    """Take every dead kernel out of ``notebook``'s pool, shut it down, refill; how many.

    A pool kernel still starting is left alone (Voilà waits for it); one that failed to
    start, or whose process has gone, is dropped. With the pool then empty the page
    starts a kernel of its own, as Voilà does.
    """
    pool = getattr(manager, "_pools", {}).get(notebook)
    if not pool:
        return 0
    dead = [(task, kernel_id) for task, kernel_id in pool_kernels(pool)
            if kernel_id is None or not await kernel_alive(manager, kernel_id)]
    for task, kernel_id in dead:
        if task in pool:
            pool.remove(task)
        log.warning("pool kernel %s for %s is dead; replacing it", kernel_id, notebook)
        if kernel_id is not None:
            task.result()["task"].cancel()
        if kernel_id is not None and kernel_id in manager:
            try:
                await manager.shutdown_kernel(kernel_id, now=True)
            except Exception:  # noqa: BLE001 - its process is gone already
                log.debug("shutting down dead kernel %s failed", kernel_id, exc_info=True)
    if dead:
        manager.fill_if_needed(delay=0, notebook_name=notebook)
    return len(dead)


def ready_pages(manager: Any) -> tuple[int, int]:
    """(pool kernels ready for a page, pool kernels wanted), over every workbook."""
    pools = getattr(manager, "_pools", {})
    config = getattr(manager, "kernel_pools_config", {})
    default = config.get("default", {}).get("pool_size", 0)
    is_ready = getattr(manager, "is_ready", lambda kernel_id: True)
    ready = sum(1 for pool in pools.values() for _task, kernel_id in pool_kernels(pool)
                if kernel_id is not None and is_ready(kernel_id))
    wanted = sum(config.get(name, {}).get("pool_size", default) for name in pools)
    return ready, wanted


def pages_open(manager: Any) -> int:
    """Kernels the server runs that are not waiting in a pool (pages open or closing)."""
    pooled = sum(len(pool) for pool in getattr(manager, "_pools", {}).values())
    return max(0, len(manager.list_kernel_ids()) - pooled)


def leaving_handler_class() -> type:
    """Voilà's shutdown handler, ending the kernel after :data:`LEAVE_GRACE_SECONDS`."""
    from tornado import web
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    from partnerkit.serve.state import ServerState

    class LeavingPageHandler(VoilaShutdownKernelHandler):
        """``POST /voila/api/shutdown/<kernel_id>``: the page is going.

        The lockdown lets only the session the kernel was handed to here.
        """

        @web.authenticated
        async def post(self, kernel_id: str) -> None:
            state = ServerState.of(self)
            state.life.left(kernel_id)
            self.set_status(204)
            self.finish()

    return LeavingPageHandler
