"""What runs on each Dask worker of a cluster render: warm kernels and the one-target task.

Imported on the workers (and by :mod:`partnerkit.render.cluster` when a render uses a
cluster), never by a plain render: it imports Dask distributed.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from distributed import WorkerPlugin, get_worker

from partnerkit.render.kernels import WarmKernel
from partnerkit.render.outputs import TargetResult
from partnerkit.render.runner import one_line, run_target
from partnerkit.render.targets import Target

PLUGIN_NAME = "partnerkit-warm-kernels"


@dataclass(frozen=True)
class ClusterTask:
    """What a worker needs to run one target: the job, the target, the kernels' settings."""

    job: Any
    target: Target
    env: dict[str, str]
    setup: str


class WarmKernels(WorkerPlugin):
    """A worker plugin: one warm kernel per worker thread, stopped when the worker closes.

    Registered with :meth:`distributed.Client.register_plugin`; Dask calls ``setup`` and
    ``teardown`` on each worker.
    """

    name = PLUGIN_NAME

    kernels: dict[tuple[int, str], WarmKernel]
    lock: threading.Lock

    def setup(self, worker: Any) -> None:
        """Start with no kernels (made here, on the worker: a lock cannot be pickled)."""
        self.kernels = {}
        self.lock = threading.Lock()

    def teardown(self, worker: Any) -> None:
        """Stop every kernel this worker started."""
        with self.lock:
            kernels, self.kernels = list(self.kernels.values()), {}
        for kernel in kernels:
            _stop_quietly(kernel)

    def kernel_for(self, task: ClusterTask) -> WarmKernel:
        """The calling thread's warm kernel for the task's kernel settings (started if need be)."""
        key = (threading.get_ident(), repr(sorted(task.env.items())) + task.setup)
        with self.lock:
            kernel = self.kernels.get(key)
            if kernel is None:
                kernel = WarmKernel(task.job.kernel_name, task.env, os.getcwd(), task.setup)
                self.kernels[key] = kernel
        if kernel.km is None:
            kernel.start()
        return kernel


def _stop_quietly(kernel: WarmKernel) -> None:
    try:
        kernel.stop()
    except Exception:  # noqa: BLE001 - a worker closing must not fail on a stuck kernel
        process = getattr(getattr(kernel.km, "provisioner", None), "process", None)
        if process is not None:
            process.kill()


def render_on_worker(task: ClusterTask) -> TargetResult:
    """Run one target on this worker's warm kernel (the task a Dask worker is given)."""
    plugin = get_worker().plugins[PLUGIN_NAME]
    try:
        kernel = plugin.kernel_for(task)
    except Exception as exc:  # noqa: BLE001 - reported as the target's failure
        return TargetResult(task.target, "failed", error=(
            f"could not start a '{task.job.kernel_name}' kernel on a worker "
            f"({one_line(exc)})"))
    return run_target(task.job, kernel, task.target)
