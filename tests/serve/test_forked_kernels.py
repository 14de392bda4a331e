"""Page kernels forked from the kernel template (partnerkit/serve/forked_kernels.py).

A real template process and real kernels through jupyter_client's kernel manager with
partnerkit's provisioner, as ``partnerkit serve`` uses them.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config

from partnerkit import paths
from partnerkit.serve import forked_kernels
from partnerkit.serve.forked_kernels import (
    PROVISIONER,
    TEMPLATE_ENV,
    ForkedProcess,
    KernelTemplate,
    ask_template,
)
from partnerkit.serve.kernel_template import is_kernel_command


@pytest.fixture(scope="module", autouse=True)
def forked_by_default():
    """Kernel managers in this process use partnerkit's provisioner, as the server's do.

    (The server passes it as configuration; a bare kernel manager here has no parent to
    take configuration from, so the provisioner factory's default is set directly.)
    """
    forked_kernels.configure(Config())
    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    factory.default_provisioner_name = PROVISIONER
    yield
    factory.default_provisioner_name = before


@pytest.fixture(scope="module")
def template():
    """A running kernel template (its socket in this process's environment)."""
    running = KernelTemplate()
    assert running.start(), "the kernel template did not start"
    yield running
    running.stop()


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


async def run_kernel(code: str) -> tuple[int, str]:
    """Start a kernel through the provisioner, run ``code``, shut it down; (pid, output)."""
    manager = AsyncKernelManager(transport="ipc")
    await manager.start_kernel()
    pid = manager.provisioner.pid
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        out: list[str] = []
        reply = await client.execute_interactive(
            code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await manager.shutdown_kernel()
    return pid, "".join(out)


def test_only_this_pythons_ipykernel_is_forked():
    assert is_kernel_command([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    assert not is_kernel_command(["/usr/bin/python3-other", "-m", "ipykernel_launcher"])
    assert not is_kernel_command([sys.executable, "-c", "import os"])
    assert not is_kernel_command([sys.executable])


def test_a_forked_kernel_runs_code_with_widgets_and_its_own_environment(template):
    code = ("import os, ipywidgets\n"
            "from IPython import get_ipython\n"
            "targets = get_ipython().kernel.comm_manager.targets\n"
            "print('control' if 'jupyter.widget.control' in targets else 'none',"
            " os.getppid(), os.environ.get('KERNEL_MARK'), os.getcwd())")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KERNEL_MARK", "given")
        pid, output = asyncio.run(run_kernel(code))
    widgets, parent, mark, cwd = output.split()
    assert widgets == "control", "the widgets' comm targets are registered in the kernel"
    assert int(parent) == template.process.pid, "the kernel was forked from the template"
    assert mark == "given", "the kernel has the environment it was started with"
    assert cwd == os.getcwd()
    assert ForkedProcess(pid).poll() is not None, "shut down: the process has gone"


def test_a_forked_kernel_starts_with_the_content_read_and_the_partials_compiled(template):
    code = ("from partnerkit.content import _packaged_content\n"
            "from partnerkit.reports.parts import _environment\n"
            "print(_packaged_content.cache_info().currsize, len(_environment().cache))")
    _pid, output = asyncio.run(run_kernel(code))
    content, partials = map(int, output.split())
    assert content == 1, "the framework content was read before the fork"
    assert partials == len(list((paths.templates_dir() / "parts").rglob("*.j2"))), \
        "every page partial was compiled before the fork"


def test_a_forked_kernel_imports_nothing_of_ipykernel_or_its_debugger_as_it_starts(template):
    code = ("import sys\n"
            "from partnerkit.serve import kernel_template\n"
            "before = kernel_template.preloaded_modules\n"
            "late = sorted(m for m in set(sys.modules) - before\n"
            "              if m.split('.')[0] in ('ipykernel', 'debugpy', 'pydevd', 'IPython'))\n"
            "print(len(before), ' '.join(late) or '-')")
    _pid, output = asyncio.run(run_kernel(code))
    count, late = output.split(maxsplit=1)
    assert int(count) > 1000, "the template recorded the modules it had when it forked"
    assert late.strip() == "-", f"imported after the fork: {late}"


def test_a_forked_kernel_draws_a_chart_without_importing_anything_more(template):
    """A page draws its chart (the ecomap, the principles wheel) as SVG once its fields
    are usable; what that imports was imported by the template before the fork."""
    code = ("import io, sys\n"
            "from partnerkit.serve import kernel_template\n"
            "import partnerkit.mapping_tool.ecomap, partnerkit.principles.wheel\n"
            "from matplotlib.figure import Figure\n"
            "figure = Figure()\n"
            "figure.add_subplot().plot([1, 2], [3, 4])\n"
            "figure.savefig(io.BytesIO(), format='svg')\n"
            "figure.savefig(io.BytesIO(), format='png')\n"
            "late = sorted(m for m in set(sys.modules) - kernel_template.preloaded_modules\n"
            "              if m.split('.')[0] in ('partnerkit', 'matplotlib', 'PIL', 'pyarrow'))\n"
            "print(' '.join(late) or '-')")
    _pid, output = asyncio.run(run_kernel(code))
    assert output.strip() == "-", f"imported after the fork: {output}"


def test_without_the_template_a_kernel_starts_the_ordinary_way(template):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(TEMPLATE_ENV)
        pid, output = asyncio.run(run_kernel("import os; print(os.getppid())"))
    assert int(output) == os.getpid(), "started by this process, not forked"


def test_the_template_refuses_any_other_command_and_names_why(template):
    with pytest.raises(OSError, match="not an ipykernel command"):
        asyncio.run(ask_template(str(template.socket), ["/bin/sh", "-c", "true"],
                                 dict(os.environ), os.getcwd()))


def test_a_template_that_has_gone_leaves_kernels_starting_the_ordinary_way(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv(TEMPLATE_ENV, str(tmp_path / "no-such.sock"))
    pid, output = asyncio.run(run_kernel("import os; print(os.getppid())"))
    assert int(output) == os.getpid()


def test_a_kernel_killed_is_seen_as_ended(template):
    async def kill_one() -> ForkedProcess:
        manager = AsyncKernelManager(transport="ipc")
        await manager.start_kernel()
        process = manager.provisioner.process
        await manager.provisioner.kill()
        for _ in range(100):
            if process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        await manager.cleanup_resources()
        return process

    process = asyncio.run(kill_one())
    assert isinstance(process, ForkedProcess)
    assert process.poll() is not None, "a killed kernel is seen as ended"
    assert process.returncode == -9, "ended by the SIGKILL sent to it"



def test_a_kernel_that_died_on_its_own_is_shut_down_without_an_error(template):
    """jupyter_client interrupts a kernel before shutting it down, and the server's
    restarter shuts down a kernel that died: a kernel already gone is not an error."""
    import signal

    async def die_then_shut_down() -> ForkedProcess:
        manager = AsyncKernelManager(transport="ipc")
        await manager.start_kernel()
        process = manager.provisioner.process
        os.kill(process.pid, signal.SIGKILL)  # a crash: not through the provisioner
        for _ in range(100):
            if process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        await manager.interrupt_kernel()
        await manager.shutdown_kernel(now=True)
        return process

    process = asyncio.run(die_then_shut_down())
    assert process.poll() is not None


def test_signalling_a_kernel_that_has_ended_does_nothing():
    import signal
    import subprocess

    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait(timeout=30)
    process = ForkedProcess(ended.pid)
    process.send_signal(signal.SIGINT)
    process.terminate()
    process.kill()
    assert process.poll() == 0, "ended on its own, not by a signal from here"

SERVER_STAND_IN = """
import asyncio, os, sys, time
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from traitlets.config import Config
from partnerkit import paths
from partnerkit.serve import forked_kernels

template = forked_kernels.KernelTemplate()
assert template.start()
forked_kernels.configure(Config())
KernelProvisionerFactory.instance().default_provisioner_name = forked_kernels.PROVISIONER

async def start():
    manager = AsyncKernelManager(transport="ipc")
    await manager.start_kernel()
    return manager.provisioner.pid

print(template.process.pid, asyncio.run(start()), flush=True)
time.sleep(600)
"""


def test_a_server_killed_outright_leaves_no_template_and_no_kernel():
    import signal
    import subprocess
    import time

    stand_in = subprocess.Popen([sys.executable, "-c", SERVER_STAND_IN],
                                stdout=subprocess.PIPE, text=True)
    try:
        template_pid, kernel_pid = map(int, stand_in.stdout.readline().split())
        assert _alive(kernel_pid) and _alive(template_pid)
        stand_in.send_signal(signal.SIGKILL)
        stand_in.wait(timeout=10)
        deadline = time.monotonic() + 30
        while (_alive(kernel_pid) or _alive(template_pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(template_pid), "the template ends when its server has gone"
        assert not _alive(kernel_pid), "the kernel ends when its template has gone"
    finally:
        stand_in.kill()


def _alive(pid: int) -> bool:
    return ForkedProcess(pid).poll() is None
