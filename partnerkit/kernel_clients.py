"""Kernel clients that never miss a reply: for served pages, renders and the tests' runs.

Under load we saw a page hang for good: the kernel had sent its reply, the reply sat in
the client's socket, and the client's asyncio wait was never woken (a lost wake-up in the
ZeroMQ/asyncio glue); papermill runs of a workbook hung the same way. :class:`SteadyChannel`
waits in short slices instead of forever; a slice that times out looks at the socket
itself, so a lost wake-up costs a fraction of a second, never the page or the render.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type

POLL_SLICE_SECONDS = 0.25
IOPUB_PATIENCE_SECONDS = 120
"""How long a page waits for a cell's output after the cell has finished. nbclient's
default (4 s) drops the output when a room of pages opens at once: the forms vanish from
the page and it never becomes usable."""
HISTORY_IN_MEMORY = "--HistoryManager.hist_file=:memory:"
"""IPython writes every cell a kernel runs to a history database in the home folder of
whoever runs the server (``~/.ipython/profile_default/history.sqlite``: outside the
store, readable by others, never emptied). A page's parameters cell names its pupil (and
a render's, the pupil's name when asked for), so every kernel partnerkit starts keeps its
history in memory only; it also spares each cell a database write."""
STEADY_CLIENT = f"{__name__}.SteadyKernelClient"
"""The steady client's dotted name, for a kernel manager's ``client_class`` setting."""


def without_history_file(start_arguments: dict[str, Any]) -> dict[str, Any]:
    """A kernel start's keyword arguments, its IPython history kept in memory only."""
    extra = list(start_arguments.get("extra_arguments") or [])
    if HISTORY_IN_MEMORY not in extra:
        extra.append(HISTORY_IN_MEMORY)
    return {**start_arguments, "extra_arguments": extra}


class SteadyChannel(AsyncZMQSocketChannel):
    """A kernel channel whose waits look at the socket again every quarter second."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:  # type: ignore[override]
        """The next message; raises ``queue.Empty`` when none came within ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            wait = min(POLL_SLICE_SECONDS, left)
            if await self.socket.poll(int(wait * 1000)):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class SteadyKernelClient(AsyncKernelClient):
    """A kernel client with :class:`SteadyChannel` for every channel."""

    shell_channel_class = Type(SteadyChannel)  # type: ignore[assignment]
    iopub_channel_class = Type(SteadyChannel)  # type: ignore[assignment]
    control_channel_class = Type(SteadyChannel)  # type: ignore[assignment]
    stdin_channel_class = Type(SteadyChannel)  # type: ignore[assignment]


class SteadyKernelManager(AsyncKernelManager):
    """A kernel manager whose clients are :class:`SteadyKernelClient` (renders, test runs)."""

    client_class = DottedObjectName(STEADY_CLIENT)
