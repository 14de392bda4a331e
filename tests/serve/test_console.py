"""What ``partnerkit serve`` says on its console: pages ready, kernels and their memory."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from partnerkit.serve import console
from tests.serve.running import running_server

LINE = re.compile(r"partnerkit: (\d+) of (\d+) pages ready; (\d+) kernel\(s\) running, "
                  r"(\d+) MiB each on average \((\d+\.\d) GiB in all\)")


class Manager:
    """The part of the server's kernel manager the console reads: kernels and their pids."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = dict(pids)

    def list_kernel_ids(self) -> list[str]:
        return list(self.pids)

    def get_kernel(self, kernel_id: str) -> SimpleNamespace:
        process = SimpleNamespace(pid=self.pids[kernel_id])
        return SimpleNamespace(provisioner=SimpleNamespace(process=process))


@pytest.fixture
def two_processes():
    """Two real processes standing in for kernels, each holding about 40 MiB."""
    hold = "import sys, time; block = bytearray(40 * 2**20); sys.stdout.write('ok\\n'); " \
           "sys.stdout.flush(); time.sleep(120)"
    started = [subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE)
               for _ in range(2)]
    for process in started:
        assert process.stdout.readline() == b"ok\n"
    yield [process.pid for process in started]
    for process in started:
        process.kill()
        process.wait()


def test_the_line_gives_the_kernels_and_their_memory(two_processes):
    manager = Manager({"k-1": two_processes[0], "k-2": two_processes[1]})
    line = console.status_line(manager)
    found = LINE.fullmatch(f"partnerkit: {line}")
    assert found, line
    assert found.group(3) == "2"
    each = int(found.group(4))
    assert 40 <= each <= 200, f"{each} MiB: each process holds at least its 40 MiB block"
    expected = sum(console.process_mib(pid) for pid in two_processes) / 2
    assert abs(each - expected) <= 2


def test_a_kernels_memory_is_read_again_only_after_the_refresh_time(two_processes,
                                                                   monkeypatch):
    reads: list[int] = []
    real = console.process_mib
    monkeypatch.setattr(console, "process_mib", lambda pid: reads.append(pid) or real(pid))
    now = [0.0]
    sizes = console.KernelSizes(clock=lambda: now[0])
    manager = Manager({"k-1": two_processes[0], "k-2": two_processes[1]})
    first = sizes.of(manager)
    now[0] = console.MEMORY_REFRESH_SECONDS - 1
    assert sizes.of(manager) == first
    assert sorted(reads) == sorted(two_processes), "each kernel read once"
    now[0] = console.MEMORY_REFRESH_SECONDS + 1
    sizes.of(manager)
    assert len(reads) == 4, "read again once the refresh time has passed"


def test_a_kernel_that_has_gone_is_neither_counted_nor_remembered(two_processes):
    manager = Manager({"k-1": two_processes[0], "k-2": two_processes[1]})
    sizes = console.KernelSizes()
    assert len(sizes.of(manager)) == 2
    del manager.pids["k-2"]
    assert len(sizes.of(manager)) == 1
    assert set(sizes._known) == {two_processes[0]}


def test_the_report_speaks_only_when_pages_or_kernels_change(two_processes):
    said: list[str] = []
    manager = Manager({"k-1": two_processes[0]})
    report = console.ConsoleReport(manager, say=lambda text, flush: said.append(text))
    report.tick()
    report.tick()
    assert len(said) == 1 and "1 kernel(s) running" in said[0]
    manager.pids["k-2"] = two_processes[1]
    report.tick()
    assert len(said) == 2 and "2 kernel(s) running" in said[1]


def test_a_real_server_says_when_its_pool_is_ready_with_each_kernels_memory(tmp_path):
    with running_server(tmp_path, "--pool", "0", "--pool", "reflective_log=1") as server:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not re.search(
                r"1 of 1 pages ready; \d+ kernel\(s\) running, \d+ MiB", server.log_text()):
            time.sleep(0.5)
        lines = LINE.findall(server.log_text())
    assert lines, server.log_text()[-2000:]
    ready, wanted, kernels, each, _total = lines[-1]
    assert (ready, wanted, kernels) == ("1", "1", "1")
    assert 20 <= int(each) <= 400, f"{each} MiB for one preheated kernel"
