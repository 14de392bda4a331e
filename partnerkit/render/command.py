"""``partnerkit render`` and its Python twin :func:`render`: check, plan, run, summarise."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit import paths
from partnerkit.catalog import Workbook
from partnerkit.errors import RenderInputError, StoreError
from partnerkit.render import manifest as manifests
from partnerkit.render import who
from partnerkit.render.builders import Report, report_of, resolve
from partnerkit.render.cluster import parse_scheduler, run_targets_on_cluster
from partnerkit.render.outputs import RenderSummary, TargetResult, prepare_out_dir
from partnerkit.render.progress import Progress
from partnerkit.render.runner import CELL_TIMEOUT, Job, run_targets
from partnerkit.render.targets import (
    Target,
    Wanted,
    find_workbook,
    make_target,
    parse_formats,
    select_targets,
    workspace_pupils,
)
from partnerkit.store import open_store

DEFAULT_KERNEL = "python3"


def render(workbook: str | os.PathLike[str], targets: Sequence[Target | Any],
           formats: str | Iterable[str] | None = ("html",),
           out_dir: str | os.PathLike[str] = "reports", jobs: int | None = None,
           changed_only: bool = False, names: bool = False, author: str | None = None,
           data_dir: str | os.PathLike[str] | None = None, workspace: str = "demo", *,
           database_url: str | None = None, progress: bool = True,
           timeout: int = CELL_TIMEOUT, widget_state: bool = False,
           as_: str | None = None, scheduler: str | None = None) -> RenderSummary:
    """Run a workbook for each target and write its report in each format.

    Args:
        workbook: a workbook name ("mapping_tool") or a path to a notebook whose name is
            a row of :data:`partnerkit.catalog.WORKBOOKS`.
        targets: :class:`Target` objects, or plain values (pupil references, step
            numbers, an author) made into targets for the workbook.
        formats: "html", "docx", "pdf" (a list, or one comma-separated string).
        out_dir: where the reports, the executed notebooks and the manifest go.
        jobs: how many kernels run at once (default: one per CPU core).
        changed_only: skip targets whose inputs have not changed since they were last
            written here.
        names: show pupils' real names (if recorded) instead of their references.
        author: the practitioner named as author in the notebooks.
        data_dir: the data folder (default: $PARTNERKIT_DATA or the per-user folder).
        workspace: the workspace to report on.
        database_url: a PostgreSQL URL instead of the data folder's SQLite store.
        progress: show a progress bar on stderr.
        timeout: seconds one cell may run.
        widget_state: keep the widgets' live state in the executed notebooks (slower:
            see :func:`partnerkit.render.inkernel.setup`).
        as_: the username to render as (default: ``$PARTNERKIT_ACCOUNT``, else the login
            name's linked account; a store without accounts: its one local user). The
            render reads only what that account may read, and its kernels act as it.
        scheduler: run the targets on a Dask cluster: ``local:N`` (N worker processes on
            this machine) or a scheduler address (:mod:`partnerkit.render.cluster`);
            ``jobs`` is then ignored.

    Returns:
        A :class:`RenderSummary`; its ``exit_status`` is 1 when any target failed or was
        refused (another person's reflective log). A store that cannot be opened
        (damaged, newer) fails every target with its message.

    Raises:
        NotFoundError: an unknown workbook.
        RenderInputError: an unknown format or workspace, a folder that cannot be written.
        ReportUnavailableError: the workbook's report function cannot be imported.
        AccessDeniedError: the account is not a member of the workspace, or may not open
            the workbook there.
    """
    started = time.perf_counter()
    if scheduler is not None:
        parse_scheduler(scheduler)
    row, path = find_workbook(workbook)
    resolve(row)
    report = report_of(row)
    chosen_formats = parse_formats(formats)
    folder = prepare_out_dir(out_dir)
    data = paths.data_dir(data_dir, create=False)
    chosen = [t if isinstance(t, Target) else make_target(row, t) for t in targets]
    summary = RenderSummary(workbook=row.name, out_dir=folder, formats=chosen_formats)
    if chosen:
        job = _make_job(row, report, path, chosen_formats, folder, timeout=timeout,
                        names=names, author=author, workspace=workspace, data=data,
                        database_url=database_url, widget_state=widget_state, as_=as_)
        _render(job, row, chosen, summary, Running(jobs or os.cpu_count() or 1, scheduler),
                changed_only=changed_only, progress=progress)
    order = {t.name: i for i, t in enumerate(chosen)}
    summary.results.sort(key=lambda r: order.get(r.target.name, 0))
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass(frozen=True)
class Running:
    """Where the targets run: ``jobs`` warm kernels here, or a Dask ``scheduler``."""

    jobs: int
    scheduler: str | None = None


@dataclass
class _Reading:
    """What the render's account read before any kernel starts."""

    refused: dict[str, str]
    changes: dict[str, str]
    others: list[str]


def _read_as_account(job: Job, row: Workbook, targets: list[Target]) -> _Reading:
    """Check the account (:mod:`partnerkit.render.who`) and read what planning needs as it.

    A workspace or workbook the account may not open refuses the whole render; a target
    it may not read is refused alone. Raises :class:`~partnerkit.errors.StoreError` for a
    store that cannot be opened.
    """
    store = open_store(job.data_dir, job.database_url)
    try:
        account = who.acting_account(store, job.account)
        job.account = account.username
        who.check_render(store, account, job.workspace, row)
        view = who.guarded(store, account)
        return _Reading(
            refused=who.refusals(view, job.workspace, row, targets),
            changes=manifests.store_changes(view, job.workspace, names=job.names),
            others=workspace_pupils(view, job.workspace) if row.target == "pupil" else [])
    finally:
        store.close()


def _render(job: Job, row: Workbook, targets: list[Target], summary: RenderSummary,
            running: Running, *, changed_only: bool, progress: bool) -> None:
    """Check the account, plan against the manifest, run what is not up to date.

    Targets the account may not read are listed as refused (in the summary and the
    manifest). A store that cannot be opened (damaged, newer) fails every target with
    its message.
    """
    try:
        reading = _read_as_account(job, row, targets)
    except StoreError as exc:
        summary.results.extend(TargetResult(t, "failed", error=str(exc)) for t in targets)
        return
    manifest = manifests.load_manifest(job.out_dir)
    inputs = manifests.Inputs(workbook=job.workbook, source=job.source,
                              base_parameters=job.base_parameters, names=job.names,
                              formats=job.formats, out_dir=job.out_dir, account=job.account)
    plan = manifests.plan(inputs, [t for t in targets if t.name not in reading.refused],
                          reading.changes, reading.others, manifest, changed_only)
    summary.results.extend(plan.unchanged)
    for target in (t for t in targets if t.name in reading.refused):
        result = TargetResult(target, "refused", error=reading.refused[target.name])
        summary.results.append(result)
        manifests.record_refusal(manifest, job.workbook, result, job.account)
    try:
        if plan.todo:
            _run(job, plan, manifest, summary, running, progress=progress)
    finally:
        if plan.todo or reading.refused:
            manifests.save_manifest(job.out_dir, manifest)


def _run(job: Job, plan: manifests.Plan, manifest: dict[str, Any], summary: RenderSummary,
         running: Running, *, progress: bool) -> None:
    """Run the planned targets on warm kernels; remember each result in the manifest."""
    bar = Progress(job.workbook, len(plan.todo), show=progress)
    lock = threading.Lock()

    def done(result: TargetResult) -> None:
        with lock:
            summary.results.append(result)
            manifests.record(manifest, job.workbook, result, plan.digests[result.target.name],
                             job.out_dir)
        bar.done(result)

    try:
        if running.scheduler is None:
            run_targets(job, plan.todo, running.jobs, done)
        else:
            run_targets_on_cluster(job, plan.todo, running.scheduler, done)
    finally:
        bar.close()


def _make_job(row: Workbook, report: Report, path: Path, formats: list[str], folder: Path, *,
              timeout: int, names: bool, author: str | None, workspace: str, data: Path,
              database_url: str | None, widget_state: bool, as_: str | None) -> Job:
    from papermill.iorw import load_notebook_node

    source = load_notebook_node(str(path))
    kernel_name = (source.metadata.get("kernelspec") or {}).get("name") or DEFAULT_KERNEL
    base: dict[str, Any] = {"data_dir": str(data), "workspace": workspace}
    if author and row.target != "author":
        base["author"] = author
    if names:
        base["names"] = True
    return Job(workbook=row.name, path=path, source=source, report=report,
               kernel_name=kernel_name, base_parameters=base, formats=formats,
               out_dir=folder, timeout=timeout, names=names, author=author,
               workspace=workspace, data_dir=data, database_url=database_url,
               widget_state=widget_state, account=as_)


def run_command(workbook: str, *, data: str | None = None, database_url: str | None = None,
                workspace: str = "demo", pupils: Sequence[str] | None = None,
                all_pupils: bool = False, steps: Sequence[str] | None = None,
                all_steps: bool = False, author: str | None = None, names: bool = False,
                formats: Sequence[str] | None = None, out: str = "reports",
                jobs: int | None = None, changed_only: bool = False,
                progress: bool = True, as_: str | None = None,
                scheduler: str | None = None) -> RenderSummary:
    """``partnerkit render``: check the command line's values, pick the targets, render.

    Every bad value raises a :class:`partnerkit.errors.PartnerkitError` naming it and
    the fix before any notebook runs; so does a render the account (``as_``, see
    :func:`render`) may not make. The targets are picked from what the account may read.
    """
    row, _ = find_workbook(workbook)
    resolve(row)
    parse_formats(formats)
    if scheduler is not None:
        parse_scheduler(scheduler)
    if jobs is not None and jobs < 1:
        raise RenderInputError("is not a number of kernels", value=jobs, where="--jobs",
                               fix="use 1 or more")
    prepare_out_dir(out)
    data_folder = paths.data_dir(data, create=False)
    store = open_store(data_folder, database_url)
    try:
        account = who.acting_account(store, as_)
        who.check_render(store, account, workspace, row)
        view = who.guarded(store, account)
        if row.target == "author":
            who.check_author(view, workspace, author)
        targets = select_targets(row, view, workspace, Wanted(
            pupils=pupils, all_pupils=all_pupils, steps=steps, all_steps=all_steps,
            author=author))
    finally:
        store.close()
    return render(workbook, targets, formats, out, jobs=jobs, changed_only=changed_only,
                  names=names, author=author, data_dir=data_folder, workspace=workspace,
                  database_url=database_url, progress=progress, as_=account.username,
                  scheduler=scheduler)
