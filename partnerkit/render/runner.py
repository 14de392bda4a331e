"""Running targets: each worker thread keeps one warm kernel and takes targets from a queue.

For each target the workbook is parameterised as papermill does (the values go into a
cell tagged ``injected-parameters`` right after the ``parameters`` cell), the kernel's
namespace is cleared, and the notebook runs through papermill's engine registry on the
warm kernel (:mod:`partnerkit.render.engine`). The executed notebook is kept under
``OUT/notebooks/``; then the same kernel builds the report and writes it in each
format, so kernels convert reports in parallel. A kernel that dies is restarted and
the target it was running is reported failed. One target failing never stops the
others; its result says which cell failed and why.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papermill.engines import papermill_engines
from papermill.parameterize import parameterize_notebook

from partnerkit import __version__, errors
from partnerkit.errors import KernelDiedError
from partnerkit.render.builders import Report
from partnerkit.render.engine import ENGINE_NAME
from partnerkit.render.inkernel import RESET_CODE, SETUP_CODE, WRITE_CODE
from partnerkit.render.kernels import WarmKernel, kernel_env, module_root
from partnerkit.render.outputs import TargetResult, notebook_path, private_dir, report_files
from partnerkit.render.targets import Target
from partnerkit.reports import write_private

CELL_TIMEOUT = 600
"""Seconds one cell may run before the target is stopped and reported failed."""


@dataclass
class Job:
    """Everything a worker needs for the whole render."""

    workbook: str
    path: Path
    source: Any
    report: Report
    kernel_name: str
    base_parameters: dict[str, Any]
    formats: list[str]
    out_dir: Path
    timeout: int
    names: bool
    author: str | None
    workspace: str
    data_dir: Path
    database_url: str | None
    widget_state: bool = False
    account: str | None = None
    """The username the render acts as; its kernels act as it too (``PARTNERKIT_ACCOUNT``)."""


def run_targets(job: Job, targets: list[Target], jobs: int,
                done: Callable[[TargetResult], None]) -> None:
    """Run every target on ``jobs`` warm kernels at once; ``done`` gets each result.

    A kernel that cannot start leaves its targets to the others; when none can, each
    target left is reported failed with the reason.
    """
    waiting: queue.SimpleQueue[Target] = queue.SimpleQueue()
    for target in targets:
        waiting.put(target)
    start_errors: list[str] = []
    workers = max(1, min(jobs, len(targets)))
    with ThreadPoolExecutor(workers, thread_name_prefix="pk-render") as pool:
        for future in [pool.submit(_worker, job, waiting, done, start_errors)
                       for _ in range(workers)]:
            future.result()
    while not waiting.empty():
        done(TargetResult(waiting.get(), "failed", error=start_errors[-1]))


def _worker(job: Job, waiting: queue.SimpleQueue[Target],
            done: Callable[[TargetResult], None], start_errors: list[str]) -> None:
    """One thread: start a kernel, run targets until none are left, stop the kernel."""
    env = kernel_env(job.database_url, module_root(job.report.function.partition(":")[0]),
                     account=job.account)
    kernel = WarmKernel(job.kernel_name, env, os.getcwd(),
                        SETUP_CODE.format(widget_state=job.widget_state))
    try:
        while True:
            if kernel.km is None:
                try:
                    kernel.start()
                except Exception as exc:  # noqa: BLE001 - the other kernels take its targets
                    start_errors.append(f"could not start a '{job.kernel_name}' kernel "
                                        f"({one_line(exc)})")
                    return
            try:
                target = waiting.get_nowait()
            except queue.Empty:
                return
            done(run_target(job, kernel, target))
    finally:
        kernel.stop()


def run_target(job: Job, kernel: WarmKernel, target: Target) -> TargetResult:
    """Run one target's notebook, then write its report; what happened, with why."""
    begun = time.perf_counter()
    notebook, error = execute(job, kernel, target)
    files: dict[str, Path] = {}
    if error is None:
        files, error = write_reports(job, kernel, target)
    seconds = time.perf_counter() - begun
    if error is None:
        return TargetResult(target, "written", files=files, notebook=notebook,
                            seconds=seconds)
    return TargetResult(target, "failed", notebook=notebook, error=error, seconds=seconds)


def one_line(exc: BaseException | str) -> str:
    """An error (or its text) on one line, at most 300 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def parameterised(job: Job, target: Target) -> Any:
    """A copy of the workbook with the target's parameters injected, as papermill does."""
    nb = copy.deepcopy(job.source)
    parameters = {**job.base_parameters, **target.parameters}
    nb = parameterize_notebook(nb, parameters, kernel_name=job.kernel_name,
                               language="python")
    nb.metadata.papermill.update(
        input_path=str(job.path),
        output_path=str(notebook_path(job.out_dir, job.workbook, target)),
        environment_variables={}, version=f"partnerkit {__version__}")
    return nb


def execute(job: Job, kernel: WarmKernel, target: Target) -> tuple[Path, str | None]:
    """Run the workbook for a target; keep the executed notebook; say why it failed."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = parameterised(job, target)
    kernel.reset(RESET_CODE.format(cwd=kernel.cwd))
    kernel.used = True
    try:
        papermill_engines.execute_notebook_with_engine(
            ENGINE_NAME, nb, job.kernel_name, km=kernel.km, kc=kernel.kc,
            execution_timeout=job.timeout, progress_bar=False, autosave_cell_every=0)
        error = failed_cell(nb)
    except CellTimeoutError:
        error = (f"{cell_label(nb, running_cell(nb))} ran longer than {job.timeout} s and "
                 "was stopped")
        _restart_quietly(kernel)
    except Exception as exc:  # noqa: BLE001 - one target's failure never stops the rest
        if isinstance(exc, DeadKernelError) or not kernel.alive():
            error = (f"the kernel stopped while running {cell_label(nb, running_cell(nb))}"
                     " (it crashed or ran out of memory); it was restarted for the other "
                     "targets")
        else:
            error = f"could not run the notebook ({type(exc).__name__}: {one_line(exc)})"
        _restart_quietly(kernel)
    if error is not None:
        nb.metadata.papermill["exception"] = True
    path = notebook_path(job.out_dir, job.workbook, target)
    private_dir(path.parent)
    write_private(path, json.dumps(nb, ensure_ascii=False, sort_keys=True))
    return path, error


def _restart_quietly(kernel: WarmKernel) -> None:
    try:
        kernel.restart()
    except Exception:  # noqa: BLE001 - the worker reports a kernel that cannot start
        kernel.stop()


def running_cell(nb: Any) -> int | None:
    """The index of the last cell papermill started (where a run stopped)."""
    started = [i for i, cell in enumerate(nb.cells)
               if cell.metadata.get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def cell_label(nb: Any, index: int | None) -> str:
    """A cell as a person finds it: its number and first line."""
    if index is None:
        return "the notebook"
    source = next((line.strip() for line in nb.cells[index].source.splitlines()
                   if line.strip()), "")
    if len(source) > 70:
        source = source[:69] + "…"
    return f"cell {index + 1} ({source!r})" if source else f"cell {index + 1}"


def failed_cell(nb: Any) -> str | None:
    """Which cell failed and the error's last line, as the executed notebook shows it."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return (f"{cell_label(nb, index)}: {output.get('ename', 'Error')}: "
                        f"{one_line(output.get('evalue', ''))}")
        if cell.metadata.get("papermill", {}).get("exception"):
            return f"{cell_label(nb, index)} failed"
    return None


def report_request(job: Job, target: Target, files: dict[str, Path]) -> str:
    """What a kernel needs to build and write one target's report, as JSON."""
    return json.dumps({
        "report": dataclasses.asdict(job.report), "workspace": job.workspace,
        "value": target.value, "names": job.names, "author": job.author,
        "parameters": {**job.base_parameters, **target.parameters},
        "data_dir": str(job.data_dir), "database_url": job.database_url,
        "account": job.account, "out_dir": str(job.out_dir),
        "files": {fmt: str(path) for fmt, path in files.items()}}, default=str)


def write_reports(job: Job, kernel: WarmKernel,
                  target: Target) -> tuple[dict[str, Path], str | None]:
    """Have the kernel that ran the target's notebook build and write its report."""
    files = report_files(job.out_dir, job.workbook, target, job.formats)
    code = WRITE_CODE.format(request=report_request(job, target, files))
    try:
        reply = kernel.call(code, job.timeout)
    except TimeoutError:
        _restart_quietly(kernel)
        return files, f"the report took longer than {job.timeout} s and was stopped"
    except KernelDiedError:
        _restart_quietly(kernel)
        return files, ("the kernel stopped while making the report (it crashed or ran out "
                       "of memory); it was restarted for the other targets")
    content = reply["content"]
    if content.get("status") != "ok":
        ename, evalue = content.get("ename", "Error"), content.get("evalue", "")
        shown = evalue if hasattr(errors, ename) else f"{ename}: {evalue}"
        return files, f"the report could not be made: {one_line(shown)}"
    return files, None

