"""Running a render's targets on a Dask distributed cluster (``partnerkit render --scheduler``).

The cluster does the scheduling; partnerkit does on each worker what the local engine
does on each thread (:mod:`partnerkit.render.runner`): a warm kernel per worker thread,
kept by a worker plugin for every target that worker is given, and the same
:func:`~partnerkit.render.runner.run_target` that writes the executed notebook and the
reports. So a cluster render writes the same files as a local one.

- ``--scheduler local:N`` starts a :class:`distributed.LocalCluster` of N worker processes
  (one thread each) on this machine, on loopback, for as long as the render runs.
- ``--scheduler tcp://HOST:PORT`` uses a running cluster. Every worker needs this version
  of partnerkit installed, and must see the output folder and the store (the data folder
  on shared storage, or a PostgreSQL URL it can reach); both are checked before any
  target runs, and a worker that fails the check is named.
- A target that fails is run once more (on whichever worker is free); a second failure
  is reported with its cell and error, as a local render reports it. A worker that dies
  mid-render loses nothing: the scheduler gives its targets to the other workers.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from partnerkit import __version__
from partnerkit.errors import RenderInputError
from partnerkit.render.kernels import kernel_env, module_root
from partnerkit.render.outputs import TargetResult
from partnerkit.render.targets import Target

CONNECT_SECONDS = 10
"""How long a scheduler address may take to answer before the render gives up."""
RETRIES = 1
"""How many times a failed target is run again before it is reported failed."""
WHERE = "--scheduler"
CLUSTER_EXTRA = "pip install 'partnerkit[cluster]' (it adds Dask distributed)"


def parse_scheduler(value: str) -> str | int:
    """A scheduler address, or the number of local workers ``local:N`` asks for."""
    text = value.strip()
    if text.startswith("local:"):
        number = text.partition(":")[2]
        if not number.isdigit() or not 1 <= int(number) <= 64:
            raise RenderInputError("is not a number of local workers", value=value,
                                   where=WHERE, fix="use local:N with N from 1 to 64, "
                                   "for example local:2")
        return int(number)
    if "://" not in text and ":" not in text:
        raise RenderInputError("is not a scheduler address", value=value, where=WHERE,
                               fix="give the address the Dask scheduler prints, for "
                               "example tcp://10.0.0.5:8786, or local:N")
    return text


@contextmanager
def connected(scheduler: str) -> Iterator[Any]:
    """A Dask client on the scheduler (or on a LocalCluster started for ``local:N``)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise RenderInputError("needs Dask distributed, which is not installed",
                               value=scheduler, where=WHERE, fix=CLUSTER_EXTRA) from exc
    wanted = parse_scheduler(scheduler)
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if isinstance(wanted, int):
        with LocalCluster(n_workers=wanted, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(wanted, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError) as exc:
        raise RenderInputError(f"did not answer within {CONNECT_SECONDS} s", value=scheduler,
                               where=WHERE, fix="check the address and that the Dask "
                               "scheduler is running (dask scheduler), or use local:N to "
                               "render on this machine") from exc
    with client:
        yield client


def worker_problems(versions: dict[str, Any], sees_out: dict[str, Any],
                    out_dir: Path) -> list[str]:
    """What stops each worker from rendering, from what it answered to the checks."""
    problems = []
    for address in sorted(versions):
        version = versions[address]
        if isinstance(version, BaseException):
            problems.append(f"{address} does not have partnerkit installed: install "
                            f"partnerkit {__version__} on every worker")
        elif version != __version__:
            problems.append(f"{address} has partnerkit {version}, this render is "
                            f"{__version__}: install the same version on every worker")
        elif sees_out.get(address) is not True:
            problems.append(f"{address} cannot see the output folder {out_dir}: put it on "
                            "storage every worker shares")
    return problems


def installed_version() -> str:
    """The version of partnerkit where this runs (checked on every worker).

    Sent to the workers by reference, so a worker that cannot import partnerkit answers
    with its import error (the installed package's metadata alone is not enough).
    """
    return __version__


def check_workers(client: Any, out_dir: Path) -> None:
    """Refuse a cluster with no workers, or a worker without partnerkit or the out folder."""
    client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    marker = out_dir / f".cluster-check-{secrets.token_hex(8)}"
    marker.write_text("partnerkit render checks that every worker sees this folder\n")
    try:
        versions = client.run(installed_version, on_error="return")
        sees_out = client.run(os.path.exists, str(marker), on_error="return")
    finally:
        marker.unlink(missing_ok=True)
    problems = worker_problems(versions, sees_out, out_dir)
    if problems:
        raise RenderInputError("has workers that cannot render", value=client.scheduler.address,
                               where=WHERE, fix="; ".join(problems))


def run_targets_on_cluster(job: Any, targets: list[Target], scheduler: str,
                           done: Callable[[TargetResult], None]) -> None:
    """Run every target on the cluster; ``done`` gets each result as it comes back."""
    from partnerkit.render.cluster_worker import PLUGIN_NAME, ClusterTask, WarmKernels
    from partnerkit.render.inkernel import SETUP_CODE

    env = kernel_env(job.database_url, module_root(job.report.function.partition(":")[0]),
                     account=job.account)
    setup = SETUP_CODE.format(widget_state=job.widget_state)
    with connected(scheduler) as client:
        check_workers(client, job.out_dir)
        client.register_plugin(WarmKernels(), name=PLUGIN_NAME)
        _gather(client, [ClusterTask(job, t, env, setup) for t in targets], done)


def _gather(client: Any, tasks: list[Any], done: Callable[[TargetResult], None]) -> None:
    """Submit the tasks, run a failed one once more, hand on each final result."""
    from distributed import as_completed

    from partnerkit.render.cluster_worker import render_on_worker

    tries: dict[Any, tuple[Any, int]] = {}

    def submit(task: Any, attempt: int) -> Any:
        future = client.submit(render_on_worker, task, pure=False,
                               key=f"partnerkit-{task.target.name}-{secrets.token_hex(6)}")
        tries[future] = (task, attempt)
        return future

    running = as_completed([submit(task, 0) for task in tasks])
    for future in running:
        task, attempt = tries.pop(future)
        result = _result_of(future, task)
        if result.status == "failed" and attempt < RETRIES:
            running.add(submit(task, attempt + 1))
            continue
        if result.status == "failed" and attempt:
            result.error = f"{result.error} (it failed again when run once more)"
        done(result)


def _result_of(future: Any, task: Any) -> TargetResult:
    """The target's result, or a failure saying what the cluster reported."""
    from partnerkit.render.runner import one_line

    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a lost or failed task is that target's failure
        return TargetResult(task.target, "failed",
                            error=f"the cluster could not run it ({type(exc).__name__}: "
                                  f"{one_line(exc)})")
