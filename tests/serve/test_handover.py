"""The server hands a page's kernel its account: owner-only files, before the kernel runs."""

from __future__ import annotations

import asyncio
import json
import stat

import pytest

from partnerkit import page
from partnerkit.serve.handover import IdentityHandover, KernelHandover


def test_the_folder_is_the_servers_alone_and_each_file_too(tmp_path):
    handover = IdentityHandover(tmp_path / "who")
    path = handover.write("k-1", {"username": "ann"})
    assert stat.S_IMODE(handover.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"username": "ann"}
    assert path == page.identity_file(handover.folder, "k-1")


def test_a_kernel_reads_its_identity_once(tmp_path, monkeypatch):
    handover = IdentityHandover(tmp_path / "who")
    handover.write("k-2", {"username": "ann"})
    monkeypatch.setenv(page.IDENTITY_DIR_ENV, str(handover.folder))
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-2")
    assert page.handed_over_identity() == {"username": "ann"}
    with pytest.raises(Exception, match="not opened by a signed-in person"):
        page.handed_over_identity()


def test_a_kernel_id_with_path_characters_is_refused(tmp_path):
    handover = IdentityHandover(tmp_path / "who")
    with pytest.raises(ValueError):
        handover.write("../escape", {"username": "ann"})
    assert not (tmp_path / "escape.json").exists()


def test_a_kernel_that_never_read_its_identity_leaves_nothing_behind(tmp_path):
    handover = IdentityHandover(tmp_path / "who")
    handover.write("k-3", {"username": "ann"})
    handover.remove("k-3")
    assert list(handover.folder.iterdir()) == []
    handover.close()
    assert not handover.folder.exists()


class FakeManager:
    """A kernel manager that records the order of events."""

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.notebook_data = {"x.ipynb": {}}

    async def get_rendered_notebook(self, **_kwargs):
        self.events.append("pool kernel taken")
        return "task", ["<p>cell</p>"], "k-pool"

    def start_kernel(self, **_kwargs):  # Voilà awaits it through ensure_async
        self.events.append("kernel started")
        return "k-fresh"

    async def shutdown_kernel(self, kernel_id):
        self.events.append(f"shut down {kernel_id}")


def test_the_identity_is_written_as_soon_as_the_page_gets_a_kernel():
    events: list[str] = []
    manager = KernelHandover(FakeManager(events), lambda k: events.append(f"handed {k}"))

    async def page_handler():
        rendered = await manager.get_rendered_notebook(notebook_name="x.ipynb")
        events.append("request sent to the kernel")
        fresh = await manager.start_kernel(kernel_name="python3")
        events.append("cells run")
        return rendered, fresh

    rendered, fresh = asyncio.run(page_handler())
    assert rendered == ("task", ["<p>cell</p>"], "k-pool") and fresh == "k-fresh"
    assert events == ["pool kernel taken", "handed k-pool", "request sent to the kernel",
                      "kernel started", "handed k-fresh", "cells run"]
    assert manager.notebook_data == {"x.ipynb": {}}  # everything else is the real manager's


def test_a_kernel_that_cannot_be_handed_over_is_shut_down():
    events: list[str] = []

    def fail(_kernel_id):
        raise OSError("disk full")

    manager = KernelHandover(FakeManager(events), fail)
    with pytest.raises(OSError):
        asyncio.run(manager.start_kernel())
    assert events == ["kernel started", "shut down k-fresh"]


def test_a_kernel_asks_for_its_request_at_the_servers_own_address(monkeypatch):
    for name, value in {"VOILA_WS_PROTOCOL": "wss", "VOILA_APP_IP": "::1",
                        "VOILA_APP_PORT": "9443", "VOILA_SERVER_URL": "/",
                        "VOILA_KERNEL_ID": "k-9"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
    assert page.request_info_url() == "wss://[::1]:9443/voila/query/k-9"


def test_without_the_servers_secret_a_kernel_waits_as_plain_voila_does(monkeypatch):
    import voila.utils

    calls = []
    monkeypatch.delenv(page.QUERY_SECRET_ENV, raising=False)
    monkeypatch.setattr(voila.utils, "wait_for_request", lambda: calls.append("voila"))
    page.fetch_request_info()
    assert calls == ["voila"]
