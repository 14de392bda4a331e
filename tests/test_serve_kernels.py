"""The kernel client of ``partnerkit serve`` finds a reply even when a wake-up is lost."""

from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from partnerkit import serve_kernels


class FakeSocket:
    """A socket whose poll misses the first ``missed`` wake-ups, as seen under load."""

    def __init__(self, missed: int, ready: bool = True) -> None:
        self.missed = missed
        self.ready = ready
        self.waits: list[int | None] = []

    async def poll(self, timeout_ms=None):
        self.waits.append(timeout_ms)
        if timeout_ms is None:
            raise AssertionError("waited forever: a lost wake-up would hang the page")
        if self.missed:
            self.missed -= 1
            return 0
        return 1 if self.ready else 0


def _channel(socket: FakeSocket) -> serve_kernels.SteadyChannel:
    channel = serve_kernels.SteadyChannel.__new__(serve_kernels.SteadyChannel)
    channel.socket = socket

    async def recv(**_kwargs):
        return {"msg_type": "execute_reply"}

    channel._recv = recv
    return channel


def test_a_wait_without_a_timeout_looks_again_every_slice():
    socket = FakeSocket(missed=3)
    message = asyncio.run(_channel(socket).get_msg())
    assert message == {"msg_type": "execute_reply"}
    assert socket.waits == [int(serve_kernels.POLL_SLICE_SECONDS * 1000)] * 4


def test_a_wait_with_a_timeout_still_ends_empty():
    socket = FakeSocket(missed=0, ready=False)
    with pytest.raises(Empty):
        asyncio.run(_channel(socket).get_msg(timeout=0))
    assert socket.waits == [0]


def test_the_served_kernels_use_the_steady_client():
    from pathlib import Path

    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    from partnerkit.serve import ServeOptions, voila_config

    manager = ServerKernelManager(config=voila_config(ServeOptions(data=Path("."))))
    assert manager.client_factory is serve_kernels.SteadyKernelClient
    client = manager.client()
    assert client.shell_channel_class is serve_kernels.SteadyChannel
    assert client.iopub_channel_class is serve_kernels.SteadyChannel
