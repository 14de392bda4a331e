"""The kernel client of ``partnerkit serve`` finds a reply even when a wake-up is lost."""

from __future__ import annotations

import asyncio
import logging
from queue import Empty

import pytest

from partnerkit import kernel_clients
from partnerkit.serve import kernels


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


def _channel(socket: FakeSocket) -> kernel_clients.SteadyChannel:
    channel = kernel_clients.SteadyChannel.__new__(kernel_clients.SteadyChannel)
    channel.socket = socket

    async def recv(**_kwargs):
        return {"msg_type": "execute_reply"}

    channel._recv = recv
    return channel


def test_a_wait_without_a_timeout_looks_again_every_slice():
    socket = FakeSocket(missed=3)
    message = asyncio.run(_channel(socket).get_msg())
    assert message == {"msg_type": "execute_reply"}
    assert socket.waits == [int(kernel_clients.POLL_SLICE_SECONDS * 1000)] * 4


def test_a_wait_with_a_timeout_still_ends_empty():
    socket = FakeSocket(missed=0, ready=False)
    with pytest.raises(Empty):
        asyncio.run(_channel(socket).get_msg(timeout=0))
    assert socket.waits == [0]


async def _idle() -> float:
    return 0.0


def _machine(shares: list[float]):
    """A machine whose CPU use over successive seconds is ``shares`` (then idle)."""
    asked = []

    async def busy() -> float:
        asked.append(True)
        await asyncio.sleep(0.01)
        return shares[len(asked) - 1] if len(asked) <= len(shares) else 0.0

    return busy, asked


def test_warming_waits_while_the_machine_is_busy_with_pages(tmp_path):
    busy, asked = _machine([0.95, 0.9, 0.2])
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, busy=busy, busy_patience=30)
    asyncio.run(gate.admit())
    assert len(asked) == 3, "admitted before the machine was quiet"


def test_warming_starts_anyway_when_the_machine_stays_busy(tmp_path):
    busy, asked = _machine([1.0] * 1000)
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, busy=busy, busy_patience=0.1)
    asyncio.run(asyncio.wait_for(gate.admit(), timeout=5))
    assert 1 <= len(asked) < 1000


def test_a_pool_kernel_a_page_waits_for_starts_at_once(tmp_path):
    busy, _asked = _machine([1.0] * 1000)
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, busy=busy, busy_patience=60)
    claimed = []

    async def scenario() -> bool:
        waiting = asyncio.create_task(gate.admit(lambda: bool(claimed)))
        await asyncio.sleep(0.1)
        assert not waiting.done(), "a busy machine should hold the warming back"
        claimed.append(True)  # a page has taken this kernel from the pool
        return await asyncio.wait_for(waiting, timeout=2)

    assert asyncio.run(scenario()) is False, "a claimed kernel starts without taking a slot"
    assert gate.in_use == 0


def test_a_server_told_to_stop_lets_waiting_pool_kernels_go_on_at_once(tmp_path):
    busy, _asked = _machine([1.0] * 1000)
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, busy=busy, busy_patience=60)

    async def scenario() -> bool:
        waiting = asyncio.create_task(gate.admit())
        await asyncio.sleep(0.1)
        assert not waiting.done(), "a busy machine should hold the warming back"
        gate.closing = True  # what GentleKernelManager.shutdown_all does first
        return await asyncio.wait_for(waiting, timeout=2)

    assert asyncio.run(scenario()) is False, "it goes on without taking a slot"
    assert gate.in_use == 0


def test_the_machine_share_in_use_is_a_fraction(tmp_path):
    share = asyncio.run(kernels.busy_share(0.2))
    assert share is None or 0.0 <= share <= 1.0


def test_a_second_pool_kernel_waits_until_the_first_is_ready(tmp_path):
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, patience=30, busy=_idle)
    order: list[str] = []

    async def warm(kernel_id: str) -> None:
        assert await gate.admit()
        order.append(f"{kernel_id} started")
        asyncio.get_running_loop().create_task(gate.release_when_ready(kernel_id, lambda: True))

    async def scenario() -> None:
        await warm("k1")
        second = asyncio.create_task(warm("k2"))
        await asyncio.sleep(0.5)
        assert order == ["k1 started"], "k2 started while k1 was still warming"
        gate.ready_file("k1").touch()
        await asyncio.wait_for(second, timeout=5)
        assert order == ["k1 started", "k2 started"]
        assert not gate.ready_file("k1").exists(), "the ready file is tidied away"

    asyncio.run(scenario())


def test_a_kernel_that_dies_or_never_says_ready_frees_its_slot(tmp_path):
    gate = kernels.WarmingGate(slots=1, ready_dir=tmp_path, patience=0.3, busy=_idle)

    async def scenario() -> None:
        assert await gate.admit()
        await gate.release_when_ready("dead", lambda: False)
        assert await asyncio.wait_for(gate.admit(), timeout=1)
        started = asyncio.get_running_loop().time()
        await gate.release_when_ready("silent", lambda: True)
        assert asyncio.get_running_loop().time() - started >= 0.3
        assert await asyncio.wait_for(gate.admit(), timeout=1)

    asyncio.run(scenario())


def test_pool_kernels_start_at_once_until_each_workbook_has_started_one():
    from types import SimpleNamespace

    has_none_yet = kernels.GentleKernelManager._a_workbook_has_no_kernel_yet
    manager = SimpleNamespace(
        _pools={"mapping_tool.ipynb": ["task"], "six_steps.ipynb": ["task"],
                "attendance.ipynb": []},
        notebook_data={"mapping_tool.ipynb": {}})
    assert has_none_yet(manager), "six_steps has not started one yet"
    manager.notebook_data["six_steps.ipynb"] = {}
    assert not has_none_yet(manager), "an empty pool needs no kernel"


def test_the_culler_leaves_a_kernel_still_starting_alone_without_an_error(caplog):
    # A kernel the manager lists before it has finished starting has no last activity
    # yet: Jupyter Server's culler logged an ERROR with a traceback for it ("The
    # 'last_activity' trait ... expected a datetime, not the NoneType None").
    from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

    manager = kernels.GentleKernelManager(cull_idle_timeout=1)
    manager.log = logging.getLogger("test.culler")
    starting = ServerKernelManager(kernel_name="python3")
    manager._kernels["starting"] = starting
    with caplog.at_level(logging.DEBUG, logger="test.culler"):
        asyncio.run(manager.cull_kernels())
    assert "starting" in manager  # not culled
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
