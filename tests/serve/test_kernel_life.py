"""A page kernel's life on the server: ended when its page goes, told when culled."""

from __future__ import annotations

import asyncio

from partnerkit.serve import kernel_life
from partnerkit.serve.kernel_life import CULLED_CLOSE_CODE, KernelLife


class Socket:
    """A websocket that records how it was closed."""

    def __init__(self) -> None:
        self.closed_with: tuple[int, str] | None = None

    def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


def test_a_page_that_says_it_leaves_ends_its_kernel_after_the_grace(monkeypatch):
    monkeypatch.setattr(kernel_life, "LEAVE_GRACE_SECONDS", 0.05)
    ended: list[str] = []

    async def visit() -> None:
        life = KernelLife(ended.append, gone_grace=10)
        socket = Socket()
        life.opened("k1", socket)
        life.left("k1")
        life.closed("k1", socket)
        await asyncio.sleep(0.3)

    asyncio.run(visit())
    assert ended == ["k1"], "ended once, after the short grace, not the long one"


def test_a_page_gone_without_a_word_ends_its_kernel_unless_it_comes_back():
    ended: list[str] = []

    async def visit() -> None:
        life = KernelLife(ended.append, gone_grace=0.1)
        first, again = Socket(), Socket()
        life.opened("back", first)
        life.opened("gone", Socket())
        life.closed("back", first)
        life.opened("back", again)  # the connection came back within the grace
        life.closed("gone", next(iter(life.sockets["gone"])))
        await asyncio.sleep(0.4)

    asyncio.run(visit())
    assert ended == ["gone"]


def test_a_culled_kernels_pages_are_told_why():
    life = KernelLife(lambda kernel_id: None)
    page = Socket()
    life.opened("k", page)
    life.culling("k", minutes=20)
    assert page.closed_with == (CULLED_CLOSE_CODE, "idle for 20 minutes")
    assert "k" not in life.sockets


class Pools:
    """What ready_pages reads of Voilà's kernel manager: its pools and their sizes."""

    def __init__(self, pools, sizes, ready) -> None:
        self._pools = pools
        self.kernel_pools_config = {"default": {"pool_size": 1}, **sizes}
        self.ready = ready

    def is_ready(self, kernel_id: str) -> bool:
        return kernel_id in self.ready


def test_pages_ready_are_pool_kernels_started_and_waiting_for_a_page():
    from partnerkit.serve.kernel_life import ready_pages

    async def count() -> tuple[int, int]:
        async def started(kernel_id: str) -> dict:
            return {"kernel_id": kernel_id}

        async def failed() -> dict:
            raise RuntimeError("died at birth")

        waiting = asyncio.get_running_loop().create_future()
        tasks = [asyncio.ensure_future(started(k)) for k in ("a", "b", "c")]
        broken = asyncio.ensure_future(failed())
        await asyncio.gather(*tasks, broken, return_exceptions=True)
        manager = Pools({"m.ipynb": [*tasks[:2], asyncio.ensure_future(waiting)],
                         "p.ipynb": [tasks[2], broken]}, {"m.ipynb": {"pool_size": 3},
                                                          "p.ipynb": {"pool_size": 2}},
                        ready={"a", "c"})
        result = ready_pages(manager)
        waiting.cancel()
        return result

    assert asyncio.run(count()) == (2, 5), "a and c ready; b still warming; one failed"
