"""Page kernels forked from the kernel template instead of started from nothing.

:class:`KernelTemplate` starts ``partnerkit.serve.kernel_template`` beside the server
and waits until it has imported what pages need. :class:`ForkedProvisioner` is the
jupyter_client kernel provisioner the server's kernel managers use (entry point
``partnerkit-forked-provisioner``, set as the default in :func:`configure`): for an
ipykernel command it asks the template for a forked kernel, and manages that process
by its id (:class:`ForkedProcess`) exactly as the local provisioner manages a
``Popen``: signals to the kernel's own process group, polling until it has gone. When
the template is not there (it failed to start, or died) a kernel is started the
ordinary way, so a page never waits on the template.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

log = logging.getLogger(__name__)

TEMPLATE_ENV = "PARTNERKIT_KERNEL_TEMPLATE"
"""The template's socket, in the server's environment (never a kernel's concern)."""
PROVISIONER = "partnerkit-forked-provisioner"
READY_SECONDS = 120.0
ASK_SECONDS = 30.0
POLL_SECONDS = 0.1


class KernelTemplate:
    """The template process beside the server, and the socket it listens on."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="partnerkit-template-"))
        os.chmod(self.folder, 0o700)
        self.socket = self.folder / "template.sock"
        self.process: subprocess.Popen | None = None

    def start(self) -> bool:
        """Start the template and wait until it listens; False (and logged) if it did not."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "partnerkit.serve.kernel_template", str(self.socket)],
            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.socket.exists():
                os.environ[TEMPLATE_ENV] = str(self.socket)
                return True
            if self.process.poll() is not None:
                break
            time.sleep(POLL_SECONDS)
        log.warning("the kernel template did not start; kernels start the ordinary way")
        self.stop()
        return False

    def stop(self) -> None:
        """End the template (kernels it forked are the server's to shut down)."""
        os.environ.pop(TEMPLATE_ENV, None)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.socket.unlink(missing_ok=True)
        try:
            self.folder.rmdir()
        except OSError:
            pass


def configure(config: Any) -> None:
    """Make the server's kernel managers start kernels through :class:`ForkedProvisioner`.

    The provisioner is declared as an entry point in ``pyproject.toml``; an install made
    before that (an older editable one) learns of it here.
    """
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    KernelProvisionerFactory.provisioners.setdefault(PROVISIONER, EntryPoint(
        PROVISIONER, f"{__name__}:ForkedProvisioner", KernelProvisionerFactory.GROUP_NAME))
    config.KernelProvisionerFactory.default_provisioner_name = PROVISIONER


class ForkedProcess:
    """A forked kernel, managed by its process id as a ``Popen`` would be.

    The template reaps its children, so a kernel that has ended simply no longer
    exists; its exit code is not known here and is given as the signal that ended it
    when this side sent one, else 0.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._last_signal = 0

    def poll(self) -> int | None:
        """The exit code once the kernel has ended, else None."""
        if self.returncode is None and not _alive(self.pid):
            self.returncode = -self._last_signal if self._last_signal else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel has ended (at most ``timeout`` seconds); its exit code."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["kernel", str(self.pid)], timeout or 0)
            time.sleep(POLL_SECONDS)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel and what it started (its own process group).

        A kernel that has ended is not signalled, as ``Popen.send_signal`` does not
        signal a process that has exited: jupyter_client interrupts a dead kernel before
        it shuts it down, and an error there would leave the dead kernel in the server.
        """
        if self.poll() is not None:
            return
        self._last_signal = signum
        try:
            os.killpg(self.pid, signum)
        except ProcessLookupError:
            return
        except OSError:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                return

    def kill(self) -> None:
        """End the kernel at once (SIGKILL)."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Ask the kernel to end (SIGTERM)."""
        self.send_signal(signal.SIGTERM)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


async def ask_template(path: str, argv: list[str], env: dict[str, str], cwd: str) -> int:
    """Ask the template at ``path`` to fork the kernel ``argv``; the kernel's process id."""
    reader, writer = await asyncio.wait_for(asyncio.open_unix_connection(path), ASK_SECONDS)
    try:
        request = {"argv": argv, "env": env, "cwd": cwd}
        writer.write(json.dumps(request).encode() + b"\n")
        await writer.drain()
        reply = json.loads(await asyncio.wait_for(reader.readline(), ASK_SECONDS))
    finally:
        writer.close()
    if "pid" not in reply:
        raise OSError(reply.get("error", "no answer"))
    return int(reply["pid"])


class ForkedProvisioner(LocalProvisioner):
    """The local provisioner, with ipykernel kernels forked from the kernel template."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Fork the kernel from the template; the ordinary start when that cannot be done."""
        path = os.environ.get(TEMPLATE_ENV)
        if not path:
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel sets it
        cwd = str(kwargs.get("cwd") or Path.cwd())
        try:
            pid = await ask_template(path, list(cmd), env, cwd)
        except (TimeoutError, OSError, ValueError) as problem:
            log.warning("the kernel template could not fork a kernel (%s); starting it the "
                        "ordinary way", problem)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = self.pgid = pid  # the kernel leads its own session and process group
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        """Signal a forked kernel through its process (which knows what ended it)."""
        if isinstance(self.process, ForkedProcess):
            self.process.send_signal(signum)
        else:
            await super().send_signal(signum)
