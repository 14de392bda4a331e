"""Batch rendering: run a workbook once per target with papermill's parameters, write reports.

One target is one parameter set: a pupil, a step, a practitioner, or the workspace. For
each target the workbook is parameterised as papermill does (the values go into a cell
tagged ``injected-parameters`` right after the ``parameters`` cell), executed, and kept
under ``OUT/notebooks/``; then its report (see :mod:`partnerkit.render.registry`) is
written once per format under ``OUT/<format>/<workbook>-<target>.<ext>``. Every file is
owner-only.

Starting a kernel and importing pandas and matplotlib costs seconds, running a workbook
a fraction of one, so a few kernels (``jobs``, default one per core) are started once
and reused: each target runs in a kernel that already has the modules imported, after
its namespace is cleared (``%reset -f``, figures and widgets closed). The report is
built and converted in that same kernel, so kernels work on reports in parallel, and a
report the workbook itself built for the target is reused, not built twice. Widgets
are made without comm messages (nobody can click them in a batch) unless
``widget_state`` is asked for. A kernel that dies is restarted and the target it was
running is reported failed. One target failing never stops the others; the summary
says which cell failed and why.

With ``changed_only`` a target is skipped when nothing it depends on has changed since
its last successful render: the workbook file, the parameters, the formats, the
templates and partnerkit's version, and the store's changes for the workspace (for a
pupil: all but other pupils' records). A small manifest in ``OUT`` remembers them.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import copy
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib
import inspect
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from partnerkit import __version__, paths
from partnerkit.errors import KernelDiedError, RenderInputError
from partnerkit.render.registry import REGISTRY, ReportSpec, spec_for
from partnerkit.reports import FORMATS, convert_html, write_private

MANIFEST = "render-manifest.json"
NOTEBOOKS = "notebooks"
CELL_TIMEOUT = 600
"""Seconds one cell may run before the target is stopped and reported failed."""
STARTUP_TIMEOUT = 120
DEFAULT_KERNEL = "python3"
LIST_LIMIT = 20

SETUP_CODE = """\
from partnerkit.render import kernel_setup as _pk_setup
_pk_setup({function!r}, widget_state={widget_state!r})
del _pk_setup
"""
"""Run in a kernel once, when it has started (see :func:`kernel_setup`)."""

RESET_CODE = """\
from partnerkit.render import kernel_reset as _pk_reset
_pk_reset({cwd!r})
del _pk_reset
get_ipython().run_line_magic("reset", "-f")
"""
"""Run in a kernel between two targets: a clean namespace, modules still imported."""


# ------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """One run of a workbook: its parameters and the name its files are written under.

    Attributes:
        name: the file stem ("P-1001", "step-3", a practitioner's slug, the workspace).
        value: what the report is about (the pupil reference, step number, author).
        parameters: the target's own notebook parameters ({"pupil": "P-1001"}).
    """

    name: str
    value: Any = None
    parameters: dict[str, Any] = field(default_factory=dict)


def slug(text: str) -> str:
    """A file-name-safe form of a name; a short hash keeps two names apart."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:50]
    if cleaned == text:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or 'target'}-{digest}"


def make_target(spec: ReportSpec, value: Any) -> Target:
    """The target of a workbook for one pupil, step or author (or the workspace)."""
    if spec.target == "workspace":
        return Target(name="workspace", value=None, parameters={})
    if spec.target == "step":
        return Target(name=f"step-{value}", value=value, parameters={spec.parameter: value})
    name = value if spec.target == "pupil" else slug(str(value))
    return Target(name=slug(str(name)), value=value, parameters={spec.parameter: value})


def known_workbooks() -> list[str]:
    """The shipped workbooks, by name."""
    return sorted(p.stem for p in paths.workbooks_dir().glob("*.ipynb"))


def find_workbook(workbook: str | os.PathLike[str]) -> tuple[str, Path, ReportSpec]:
    """The name, file and report of a workbook given by name (or as a path to a notebook).

    Raises:
        RenderInputError: no such workbook, or no report is registered for it.
    """
    text = str(workbook)
    candidate = Path(text)
    if text.endswith(".ipynb") and candidate.is_file():
        name, path = candidate.stem, candidate
    else:
        name = text.removesuffix(".ipynb")
        path = paths.workbooks_dir() / f"{name}.ipynb"
        if not path.is_file():
            raise RenderInputError("is not a workbook", value=text, where="workbook",
                                   fix=f"use one of: {_listing(known_workbooks())}")
    spec = spec_for(name)
    if spec is None:
        reportable = [w for w in known_workbooks() if w in REGISTRY]
        raise RenderInputError("has no report to render", value=name, where="workbook",
                               fix=f"use one of: {_listing(reportable)}")
    return name, path, spec


def _listing(values: Sequence[Any]) -> str:
    shown = ", ".join(str(v) for v in values[:LIST_LIMIT])
    if len(values) > LIST_LIMIT:
        shown += f", … ({len(values)} in all)"
    return shown or "(none)"


def parse_formats(values: str | Iterable[str] | None) -> list[str]:
    """The formats asked for ("html,docx" or a list), in order, without repeats.

    Raises:
        RenderInputError: a format partnerkit does not write.
    """
    if values is None:
        return ["html"]
    if isinstance(values, str):
        values = [values]
    chosen: list[str] = []
    for value in values:
        for part in str(value).split(","):
            fmt = part.strip().lower().lstrip(".")
            if not fmt:
                continue
            if fmt not in FORMATS:
                raise RenderInputError("is not a report format", value=part.strip(),
                                       where="--format",
                                       fix=f"use one or more of {','.join(FORMATS)}, "
                                           "for example --format html,pdf")
            if fmt not in chosen:
                chosen.append(fmt)
    if not chosen:
        raise RenderInputError("names no format", value=",".join(values), where="--format",
                               fix=f"use one or more of {','.join(FORMATS)}")
    return chosen


def known_steps() -> list[int]:
    """The step numbers of the six steps framework."""
    from partnerkit.content import load_content

    steps = []
    for item in load_content().items("six_steps", kind="step"):
        tail = item.id.rsplit(".", 1)[-1]
        if tail.isdigit():
            steps.append(int(tail))
    return sorted(steps) or list(range(1, 7))


def check_step(value: Any) -> int:
    """A step number from the command line, or an error saying the range."""
    steps = known_steps()
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise RenderInputError("is not a step number", value=text, where="--step",
                               fix=f"use a whole number from {steps[0]} to {steps[-1]}")
    number = int(text)
    if number not in steps:
        raise RenderInputError("is not one of the six steps", value=number, where="--step",
                               fix=f"use a whole number from {steps[0]} to {steps[-1]}")
    return number


def workspace_pupils(store: Any, workspace: str) -> list[str]:
    """The pupil references with a profile in the workspace, in the order they were added."""
    return [record.key for record in store.list(workspace, "pupil_profile")]


def check_workspace(store: Any, workspace: str) -> None:
    """Raise a clear error when the workspace is not in the store."""
    known = list(store.workspaces())
    if workspace not in known:
        raise RenderInputError("is not a workspace in this store", value=workspace,
                               where="--workspace",
                               fix=f"use one of: {_listing(known)} (or run 'partnerkit demo')")


def select_targets(spec: ReportSpec, store: Any, workspace: str, *,
                   pupils: Sequence[str] | None = None, all_pupils: bool = False,
                   steps: Sequence[Any] | None = None, all_steps: bool = False,
                   author: str | None = None) -> list[Target]:
    """The targets a command line asks for, checked against the store and the workbook.

    Raises:
        RenderInputError: an unknown pupil or step, or targets of the wrong kind.
    """
    check_workspace(store, workspace)
    kind = spec.target
    wants_pupils, wants_steps = bool(pupils) or all_pupils, bool(steps) or all_steps
    if kind != "pupil" and wants_pupils:
        raise _wrong_kind(spec, "--pupil/--all-pupils")
    if kind != "step" and wants_steps:
        raise _wrong_kind(spec, "--step/--all-steps")
    if kind == "pupil":
        return [make_target(spec, p) for p in _pupil_values(store, workspace, pupils,
                                                            all_pupils, spec)]
    if kind == "step":
        if not wants_steps:
            raise RenderInputError("makes one report per step; say which", value=spec.workbook,
                                   where="workbook", fix="add --step N (1-6) or --all-steps")
        chosen = known_steps() if all_steps else [check_step(s) for s in steps or []]
        return [make_target(spec, s) for s in dict.fromkeys(chosen)]
    if kind == "author":
        if not author or not author.strip():
            raise RenderInputError("makes one report per practitioner; say whose",
                                   value=spec.workbook, where="workbook",
                                   fix="add --author NAME")
        return [make_target(spec, author.strip())]
    return [make_target(spec, None)]


def _wrong_kind(spec: ReportSpec, option: str) -> RenderInputError:
    hint = {"pupil": "--pupil REF or --all-pupils", "step": "--step N or --all-steps",
            "author": "--author NAME", "workspace": "no target option"}[spec.target]
    noun = "the workspace" if spec.target == "workspace" else f"each {spec.target}"
    return RenderInputError(f"makes its report for {noun}, so {option} does not apply",
                            value=spec.workbook, where="workbook", fix=f"use {hint}")


def _pupil_values(store: Any, workspace: str, pupils: Sequence[str] | None,
                  all_pupils: bool, spec: ReportSpec) -> list[str]:
    known = workspace_pupils(store, workspace)
    if all_pupils:
        if pupils:
            raise RenderInputError("cannot be used with --pupil", value="--all-pupils",
                                   where="command line", fix="give one or the other")
        if not known:
            raise RenderInputError("has no pupils yet", value=workspace, where="workspace",
                                   fix="add pupil profiles in the mapping tool first")
        return known
    if not pupils:
        raise RenderInputError("makes one report per pupil; say which", value=spec.workbook,
                               where="workbook", fix="add --pupil REF or --all-pupils")
    chosen = []
    for pupil in pupils:
        ref = str(pupil).strip()
        if ref not in known:
            raise RenderInputError(f"is not a pupil in workspace {workspace!r}", value=ref,
                                   where="--pupil",
                                   fix=f"use one of: {_listing(known)} (or --all-pupils)")
        chosen.append(ref)
    return list(dict.fromkeys(chosen))


# ------------------------------------------------------------------ results


@dataclass
class TargetResult:
    """What happened to one target: written, failed (with why) or unchanged (skipped)."""

    target: Target
    status: str
    files: dict[str, Path] = field(default_factory=dict)
    notebook: Path | None = None
    error: str | None = None
    seconds: float = 0.0


@dataclass
class RenderSummary:
    """Every target's result, the folder they went to and how long it took."""

    workbook: str
    out_dir: Path
    formats: list[str]
    results: list[TargetResult] = field(default_factory=list)
    seconds: float = 0.0

    def _with(self, status: str) -> list[TargetResult]:
        return [r for r in self.results if r.status == status]

    @property
    def written(self) -> list[TargetResult]:
        """Targets whose reports were written."""
        return self._with("written")

    @property
    def failed(self) -> list[TargetResult]:
        """Targets that failed, each with its reason."""
        return self._with("failed")

    @property
    def unchanged(self) -> list[TargetResult]:
        """Targets skipped by ``changed_only`` because nothing they show had changed."""
        return self._with("unchanged")

    @property
    def exit_status(self) -> int:
        """0 when every target was written or unchanged, 1 when any failed."""
        return 1 if self.failed else 0

    def describe(self) -> str:
        """A few plain lines: what was written where, and what failed and why."""
        lines = [f"{self.workbook}: {len(self.written)} written, {len(self.failed)} failed, "
                 f"{len(self.unchanged)} unchanged, of {len(self.results)} "
                 f"(formats {','.join(self.formats)}; {self.seconds:.1f} s)."]
        for result in self.written:
            files = ", ".join(str(p) for p in result.files.values())
            lines.append(f"  written    {result.target.name}: {files}")
        for result in self.unchanged:
            lines.append(f"  unchanged  {result.target.name}")
        for result in self.failed:
            lines.append(f"  FAILED     {result.target.name}: {result.error}")
        if self.results:
            lines.append(f"Executed notebooks are in {self.out_dir / NOTEBOOKS}.")
        return "\n".join(lines)


# ---------------------------------------------------------------- fingerprint


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _templates_hash() -> str:
    digest = hashlib.sha256()
    folder = paths.templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def store_changes(store: Any, workspace: str, *, names: bool = False) -> dict[str, str]:
    """The latest change and count of changes for each record key in a workspace.

    Keyed by the record key's first part (a pupil's records are filed under the pupil
    reference), so a change to one pupil tells which packs it touches.
    """
    groups: dict[str, tuple[str, int]] = {}
    rows = store.change_counts(workspace, names=names)
    for key, at, count in rows:
        first = str(key).split("/", 1)[0]
        latest, total = groups.get(first, ("", 0))
        groups[first] = (max(latest, str(at)), total + int(count))
    return {k: f"{at}#{n}" for k, (at, n) in groups.items()}


def _target_changes(changes: dict[str, str], target: Target, spec: ReportSpec,
                    pupils: set[str]) -> str:
    """The store's state as one target sees it: all but other pupils' records."""
    others = pupils - {str(target.value)} if spec.target == "pupil" else set()
    relevant = sorted((k, v) for k, v in changes.items() if k not in others)
    return hashlib.sha256(json.dumps(relevant).encode()).hexdigest()


def _parameter_files(parameters: dict[str, Any]) -> list[str]:
    """Content hashes of files named in the parameters (an attendance export ...)."""
    hashes = []
    for value in parameters.values():
        if isinstance(value, str) and len(value) < 4096:
            path = Path(value)
            try:
                if path.is_file():
                    hashes.append(_file_hash(path))
            except OSError:
                continue
    return hashes


def fingerprint(*, workbook_hash: str, templates_hash: str, parameters: dict[str, Any],
                store_state: str, names: bool) -> str:
    """One hash of everything a target's report depends on."""
    material = {"workbook": workbook_hash, "templates": templates_hash,
                "parameters": parameters, "store": store_state, "names": names,
                "files": _parameter_files(parameters), "partnerkit": __version__}
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str)
                          .encode()).hexdigest()


def load_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest of past renders in ``out_dir`` (empty when missing or unreadable)."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": 1, "targets": {}}
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
        return {"version": 1, "targets": {}}
    return data


def _save_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    temporary = out_dir / f".{MANIFEST}.{os.getpid()}"
    write_private(temporary, json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(temporary, out_dir / MANIFEST)


def _is_current(entry: Any, digest: str, formats: list[str], out_dir: Path) -> bool:
    if not isinstance(entry, dict) or entry.get("fingerprint") != digest:
        return False
    files = entry.get("files") or {}
    return all(fmt in files and (out_dir / files[fmt]).is_file() for fmt in formats)


# ---------------------------------------------------------------- kernels


def _module_root(spec: ReportSpec) -> str | None:
    """The folder to import the report function's module from (for the kernels)."""
    module_name = spec.function.partition(":")[0]
    module = sys.modules.get(module_name)
    file = getattr(module, "__file__", None)
    if not file:
        return None
    root = Path(file).resolve().parent
    levels = module_name.count(".") + (1 if Path(file).name == "__init__.py" else 0)
    for _ in range(levels):
        root = root.parent
    return str(root)


def _kernel_env(database_url: str | None, extra: str | None = None) -> dict[str, str]:
    """The kernels' environment: this partnerkit importable, not taken for a served page."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("VOILA_") and k not in ("PARTNERKIT_SERVED", "QUERY_STRING")}
    current = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    for root in (extra, str(Path(paths.PACKAGE_DIR).parent)):
        if root and root not in current:
            current.insert(0, root)
    env["PYTHONPATH"] = os.pathsep.join(current)
    if database_url:
        env["PARTNERKIT_DATABASE_URL"] = database_url
    return env


_KERNEL_NUMBERS = itertools.count(1)


@lru_cache(maxsize=1)
def _socket_dir() -> str:
    """A private folder for the kernels' sockets (IPC: no open TCP ports, no warning)."""
    folder = tempfile.mkdtemp(prefix="pk-kernels-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


class _Kernel:
    """One kernel kept alive across targets, with its client."""

    def __init__(self, kernel_name: str, env: dict[str, str], cwd: str,
                 setup: str = "") -> None:
        self.kernel_name = kernel_name
        self.env = env
        self.cwd = cwd
        self.setup = setup
        self.km: Any = None
        self.kc: Any = None
        self.used = False
        self.running: dict[str, int | None] = {}

    async def start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                     ip=os.path.join(_socket_dir(), f"k{next(_KERNEL_NUMBERS)}"))
        await self.km.start_kernel(env=self.env, cwd=self.cwd,
                                   extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        self.used = False
        if self.setup:
            reply = await self.call(self.setup, STARTUP_TIMEOUT)
            if reply["content"].get("status") != "ok":
                content = reply["content"]
                raise RuntimeError(f"setting up the kernel failed: {content.get('ename')}: "
                                   f"{content.get('evalue')}")

    async def stop(self) -> None:
        if self.km is None:
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            if await self.km.is_alive():
                await self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - a kernel that will not stop is cleaned up below
            pass
        finally:
            try:
                await self.km.cleanup_resources()
            except Exception:  # noqa: BLE001
                pass
            self.km = self.kc = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def call(self, code: str, timeout: float) -> dict[str, Any]:
        """Run code here (not recorded in any notebook); return the kernel's reply.

        Raises:
            TimeoutError: no reply within ``timeout`` seconds.
            KernelDiedError: the kernel stopped before it replied.
        """
        task = asyncio.ensure_future(self.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=timeout,
            output_hook=lambda msg: None))
        while True:
            finished, _ = await asyncio.wait({task}, timeout=1.0)
            if finished:
                return task.result()
            if not await self.km.is_alive():
                task.cancel()
                raise KernelDiedError("the kernel stopped")

    async def reset(self) -> None:
        """Clear the namespace a previous target left (modules stay imported)."""
        if not self.used:
            return
        try:
            reply = await self.call(RESET_CODE.format(cwd=self.cwd), STARTUP_TIMEOUT)
        except (TimeoutError, KernelDiedError):
            reply = {"content": {"status": "error"}}
        if reply["content"].get("status") != "ok":
            await self.restart()

    def running_cell(self) -> int | None:
        """The index of the cell the last run was executing (or finished on)."""
        return self.running.get("cell")

    async def run(self, nb: Any, timeout: int) -> Any:
        """Execute a notebook in this kernel, after clearing what the last target left."""
        from nbclient import NotebookClient

        await self.reset()
        running: dict[str, int | None] = {"cell": None}

        def on_cell_execute(cell: Any, cell_index: int) -> None:
            running["cell"] = cell_index

        client = NotebookClient(nb, km=self.km, kernel_name=self.kernel_name,
                                timeout=timeout, allow_errors=False,
                                interrupt_on_timeout=False, record_timing=True,
                                on_cell_execute=on_cell_execute)
        client.kc = self.kc
        self.used = True
        self.running = running
        await client.async_execute()
        return nb


# ------------------------------------------------------------ inside a kernel

_REPORT_MEMO: dict[tuple[Any, ...], Any] = {}
"""Reports a workbook built for the current target, by call (cleared between targets)."""


def kernel_setup(report_function: str, *, widget_state: bool = False) -> None:
    """Prepare a batch kernel; runs inside it once, when it has started.

    Without ``widget_state``, widgets are made without a page to talk to (no comm
    messages: there is nobody to click them in a batch), which spares the kernel and
    this process hundreds of messages per target; the executed notebooks then keep
    each widget's text form rather than its live state. The report function is
    wrapped so that a report the workbook itself builds for the target (the same
    function, the same arguments, the same store) is not built a second time.
    """
    if not widget_state:
        import comm

        comm.create_comm = _silent_comm
    _remember_reports(report_function)


def _silent_comm(*args: Any, **kwargs: Any) -> Any:
    import comm

    return comm.DummyComm(*args, **kwargs)


def _remember_reports(report_function: str) -> None:
    module_name, _, name = report_function.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return
    original = getattr(module, name, None)
    if not callable(original) or getattr(original, "_pk_remembered", False):
        return
    signature = inspect.signature(original)

    @functools.wraps(original)
    def remembered(*args: Any, **kwargs: Any) -> Any:
        key = _call_key(report_function, signature, args, kwargs)
        if key is None:
            return original(*args, **kwargs)
        if key not in _REPORT_MEMO:
            _REPORT_MEMO[key] = original(*args, **kwargs)
        return _REPORT_MEMO[key]

    remembered._pk_remembered = True  # type: ignore[attr-defined]
    setattr(module, name, remembered)


def _call_key(function: str, signature: inspect.Signature, args: tuple[Any, ...],
              kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """A call's arguments by value (a store by its URL); None if one has no plain value."""
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    parts: list[Any] = [function]
    for name, value in bound.arguments.items():
        if value is None or isinstance(value, (str, int, float, bool)):
            parts.append((name, type(value).__name__, value))
        elif hasattr(value, "engine") and hasattr(value, "url"):
            parts.append((name, "store", str(value.url)))
        else:
            return None
    return tuple(parts)


def kernel_reset(cwd: str) -> None:
    """Forget what the last target left in a kernel (runs inside it, before ``%reset``).

    Remembered reports are dropped, figures closed, and the last target's widgets
    forgotten without a message each; the working folder is set back.
    """
    _REPORT_MEMO.clear()
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    widget_module = sys.modules.get("ipywidgets.widgets.widget")
    if widget_module is not None:
        try:
            import comm

            manager = comm.get_comm_manager()
            for widget in list(widget_module._instances.values()):
                if widget.comm is not None:
                    widget.comm._closed = True
                    manager.comms.pop(widget.comm.comm_id, None)
            widget_module._instances.clear()
        except Exception:  # noqa: BLE001 - ipywidgets' internals moved: close them properly
            widget_module.Widget.close_all()
    os.chdir(cwd)


# ---------------------------------------------------------------- rendering


@dataclass
class _Job:
    """Everything a worker needs for the whole render."""

    spec: ReportSpec
    workbook_name: str
    path: Path
    source: Any
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


def render(workbook: str | os.PathLike[str], targets: Sequence[Target | Any],
           formats: str | Iterable[str] | None = ("html",),
           out_dir: str | os.PathLike[str] = "reports", jobs: int | None = None,
           changed_only: bool = False, names: bool = False, author: str | None = None,
           data_dir: str | os.PathLike[str] | None = None, workspace: str = "demo", *,
           database_url: str | None = None, progress: bool = True,
           timeout: int = CELL_TIMEOUT, widget_state: bool = False) -> RenderSummary:
    """Run a workbook for each target and write its report in each format.

    Args:
        workbook: a workbook name ("mapping_tool") or a path to a notebook whose name is
            registered in :data:`partnerkit.render.registry.REGISTRY`.
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
            every widget then sends its state; see :func:`kernel_setup`).

    Returns:
        A :class:`RenderSummary`; its ``exit_status`` is 1 when any target failed.

    Raises:
        RenderInputError: an unknown workbook or format, a folder that cannot be written.
    """
    started = time.perf_counter()
    name, path, spec = find_workbook(workbook)
    spec.builder()
    chosen_formats = parse_formats(formats)
    folder = prepare_out_dir(out_dir)
    data = paths.data_dir(data_dir, create=False)
    chosen = [t if isinstance(t, Target) else make_target(spec, t) for t in targets]
    summary = RenderSummary(workbook=name, out_dir=folder, formats=chosen_formats)
    if not chosen:
        return summary

    from partnerkit.store import open_store

    store = open_store(data, database_url)
    try:
        check_workspace(store, workspace)
        job = _make_job(spec, name, path, chosen_formats, folder, timeout, names, author,
                        workspace, data, database_url)
        job.widget_state = widget_state
        manifest = load_manifest(folder)
        todo, digests = _plan(job, chosen, store, manifest, changed_only, summary)
        if todo:
            _run_async(_render_all(job, todo, digests, manifest, summary,
                                   jobs or os.cpu_count() or 1, progress))
    finally:
        store.close()
    order = {t.name: i for i, t in enumerate(chosen)}
    summary.results.sort(key=lambda r: order.get(r.target.name, 0))
    summary.seconds = time.perf_counter() - started
    return summary


def prepare_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """Make the output folder (owner-only) and check it can be written.

    Raises:
        RenderInputError: the folder cannot be made or written.
    """
    folder = Path(out_dir).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = folder / f".partnerkit-write-check-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RenderInputError(f"cannot be written ({reason})", value=str(folder),
                               where="output folder",
                               fix="pass --out with a folder you can write to") from None
    return folder.resolve()


def _make_job(spec: ReportSpec, name: str, path: Path, formats: list[str], folder: Path,
              timeout: int, names: bool, author: str | None, workspace: str, data: Path,
              database_url: str | None) -> _Job:
    from papermill.iorw import load_notebook_node

    source = load_notebook_node(str(path))
    kernel_name = (source.metadata.get("kernelspec") or {}).get("name") or DEFAULT_KERNEL
    base: dict[str, Any] = {"data_dir": str(data), "workspace": workspace}
    if author and spec.target != "author":
        base["author"] = author
    if names:
        base["names"] = True
    return _Job(spec=spec, workbook_name=name, path=path, source=source, kernel_name=kernel_name,
                base_parameters=base, formats=formats, out_dir=folder, timeout=timeout,
                names=names, author=author, workspace=workspace, data_dir=data,
                database_url=database_url)


def _manifest_key(job: _Job, target: Target) -> str:
    return f"{job.workbook_name}/{target.name}"


def _plan(job: _Job, targets: list[Target], store: Any, manifest: dict[str, Any],
          changed_only: bool, summary: RenderSummary) -> tuple[list[Target], dict[str, str]]:
    """Fingerprint each target; with ``changed_only``, set aside those unchanged."""
    workbook_hash = hashlib.sha256(
        json.dumps(job.source, sort_keys=True, default=str).encode()).hexdigest()
    templates_hash = _templates_hash()
    changes = store_changes(store, job.workspace, names=job.names)
    pupils = set(workspace_pupils(store, job.workspace)) if job.spec.target == "pupil" else set()
    todo, digests = [], {}
    for target in targets:
        parameters = {**job.base_parameters, **target.parameters}
        digest = fingerprint(workbook_hash=workbook_hash, templates_hash=templates_hash,
                             parameters={k: v for k, v in parameters.items() if k != "data_dir"},
                             store_state=_target_changes(changes, target, job.spec, pupils),
                             names=job.names)
        digests[target.name] = digest
        entry = manifest["targets"].get(_manifest_key(job, target))
        if changed_only and _is_current(entry, digest, job.formats, job.out_dir):
            files = {fmt: job.out_dir / entry["files"][fmt] for fmt in job.formats}
            summary.results.append(TargetResult(target, "unchanged", files=files))
        else:
            todo.append(target)
    return todo, digests


def _run_async(coroutine: Any) -> Any:
    """Run the render's event loop, also from code that already runs one (a notebook)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _render_all(job: _Job, targets: list[Target], digests: dict[str, str],
                      manifest: dict[str, Any], summary: RenderSummary, jobs: int,
                      progress: bool) -> None:
    from tqdm import tqdm

    queue: asyncio.Queue[Target] = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target)
    env = _kernel_env(job.database_url, _module_root(job.spec))
    setup = SETUP_CODE.format(function=job.spec.function, widget_state=job.widget_state)
    kernels = [_Kernel(job.kernel_name, env, os.getcwd(), setup)
               for _ in range(max(1, min(jobs, len(targets))))]
    bar = tqdm(total=len(targets), desc=f"Rendering {job.workbook_name}", unit="target",
               file=sys.stderr, disable=not progress, leave=True)
    start_errors: list[str] = []

    def done(result: TargetResult) -> None:
        summary.results.append(result)
        if result.status == "written":
            manifest["targets"][_manifest_key(job, result.target)] = {
                "fingerprint": digests[result.target.name],
                "files": {fmt: str(p.relative_to(job.out_dir)) for fmt, p in result.files.items()},
                "rendered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        else:
            manifest["targets"].pop(_manifest_key(job, result.target), None)
        bar.update(1)
        if result.status == "failed":
            bar.write(f"partnerkit: {job.workbook_name} {result.target.name} failed: "
                      f"{result.error}", file=sys.stderr)

    async def worker(kernel: _Kernel) -> None:
        try:
            await kernel.start()
        except Exception as exc:  # noqa: BLE001 - the other kernels take its targets
            start_errors.append(f"could not start a '{job.kernel_name}' kernel "
                                f"({_one_line(exc)})")
            return
        while not queue.empty():
            if kernel.km is None:
                try:
                    await kernel.start()
                except Exception as exc:  # noqa: BLE001 - the other kernels go on
                    start_errors.append(f"could not restart a '{job.kernel_name}' kernel "
                                        f"({_one_line(exc)})")
                    return
            target = queue.get_nowait()
            begun = time.perf_counter()
            notebook, error = await _execute(job, kernel, target)
            files: dict[str, Path] = {}
            if error is None:
                files, error = await _write_reports(job, kernel, target)
            seconds = time.perf_counter() - begun
            if error is None:
                done(TargetResult(target, "written", files=files, notebook=notebook,
                                  seconds=seconds))
            else:
                done(TargetResult(target, "failed", notebook=notebook, error=error,
                                  seconds=seconds))

    try:
        await asyncio.gather(*(worker(k) for k in kernels))
        while not queue.empty():
            done(TargetResult(queue.get_nowait(), "failed", error=start_errors[-1]))
    finally:
        await asyncio.gather(*(k.stop() for k in kernels), return_exceptions=True)
        bar.close()
        _save_manifest(job.out_dir, manifest)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _parameterised(job: _Job, target: Target) -> Any:
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(job.source)
    parameters = {**job.base_parameters, **target.parameters}
    nb = parameterize_notebook(nb, parameters, kernel_name=job.kernel_name,
                               language="python")
    nb.metadata.papermill.update(
        input_path=str(job.path),
        output_path=str(_notebook_path(job, target)), environment_variables={},
        version=f"partnerkit {__version__}", exception=None,
        start_time=dt.datetime.now(dt.UTC).isoformat())
    return nb


def _notebook_path(job: _Job, target: Target) -> Path:
    return job.out_dir / NOTEBOOKS / f"{job.workbook_name}-{target.name}.ipynb"


def _private_dir(folder: Path) -> Path:
    """A folder of the output, made owner-only (0700) if new."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


async def _execute(job: _Job, kernel: _Kernel, target: Target) -> tuple[Path | None, str | None]:
    """Run the workbook for a target; keep the executed notebook; say why it failed."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = _parameterised(job, target)
    begun = time.perf_counter()
    error: str | None = None
    try:
        await kernel.run(nb, job.timeout)
    except CellTimeoutError:
        error = (f"{_cell_label(nb, kernel.running_cell())} ran longer than "
                 f"{job.timeout} s and was stopped")
        await _restart_quietly(kernel)
    except CellExecutionError as exc:
        error = _cell_failure(nb, exc, kernel.running_cell())
    except Exception as exc:  # noqa: BLE001 - one target's failure never stops the rest
        if isinstance(exc, DeadKernelError) or not await _alive(kernel):
            error = (f"the kernel stopped while running {_cell_label(nb, kernel.running_cell())}"
                     " (it crashed or ran out of memory); it was restarted for the other "
                     "targets")
        else:
            error = f"could not run the notebook ({type(exc).__name__}: {_one_line(exc)})"
        await _restart_quietly(kernel)
    seconds = time.perf_counter() - begun
    nb.metadata.papermill.update(end_time=dt.datetime.now(dt.UTC).isoformat(),
                                 duration=round(seconds, 3), exception=error is not None)
    path = _notebook_path(job, target)
    _private_dir(path.parent)
    write_private(path, json.dumps(nb, ensure_ascii=False, sort_keys=True))
    return path, error


async def _alive(kernel: _Kernel) -> bool:
    try:
        return bool(kernel.km is not None and await kernel.km.is_alive())
    except Exception:  # noqa: BLE001
        return False


async def _restart_quietly(kernel: _Kernel) -> None:
    try:
        await kernel.restart()
    except Exception:  # noqa: BLE001 - the next target reports a kernel that cannot start
        kernel.used = False


def _cell_label(nb: Any, index: int | None) -> str:
    if index is None:
        return "the notebook"
    source = next((line.strip() for line in nb.cells[index].source.splitlines()
                   if line.strip()), "")
    if len(source) > 70:
        source = source[:69] + "…"
    return f"cell {index + 1} ({source!r})" if source else f"cell {index + 1}"


def _cell_failure(nb: Any, exc: Exception, running: int | None) -> str:
    """Which cell failed and the error's last line, as the executed notebook shows it."""
    index = None
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error"
                                            for o in cell.get("outputs", [])):
            index = i
            break
    if index is None:
        index = running
    ename = getattr(exc, "ename", "") or type(exc).__name__
    evalue = getattr(exc, "evalue", "") or str(exc)
    return f"{_cell_label(nb, index)}: {ename}: {_one_line(evalue)}"


def _report_files(job: _Job, target: Target) -> dict[str, Path]:
    return {fmt: job.out_dir / fmt / f"{job.workbook_name}-{target.name}.{fmt}"
            for fmt in job.formats}


async def _write_reports(job: _Job, kernel: _Kernel,
                         target: Target) -> tuple[dict[str, Path], str | None]:
    """Have the kernel that ran the target's notebook build and write its report.

    The kernel has partnerkit imported already, and the kernels work in parallel, so
    Word and PDF conversions do not queue behind one another in this process.
    """
    files = _report_files(job, target)
    request = {
        "spec": dataclasses.asdict(job.spec), "workspace": job.workspace,
        "value": target.value, "names": job.names, "author": job.author,
        "parameters": {**job.base_parameters, **target.parameters},
        "data_dir": str(job.data_dir), "database_url": job.database_url,
        "files": {fmt: str(path) for fmt, path in files.items()}}
    code = ("from partnerkit.render import write_reports_in_kernel as _pk_write\n"
            f"_pk_write({json.dumps(request, default=str)!r})")
    try:
        reply = await kernel.call(code, job.timeout)
    except TimeoutError:
        await _restart_quietly(kernel)
        return files, f"the report took longer than {job.timeout} s and was stopped"
    except KernelDiedError:
        await _restart_quietly(kernel)
        return files, ("the kernel stopped while making the report (it crashed or ran out "
                       "of memory); it was restarted for the other targets")
    content = reply["content"]
    if content.get("status") != "ok":
        ename, evalue = content.get("ename", "Error"), content.get("evalue", "")
        from partnerkit import errors
        from partnerkit.render import registry as report_registry

        ours = hasattr(errors, ename) or hasattr(report_registry, ename)
        shown = evalue if ours else f"{ename}: {evalue}"
        return files, f"the report could not be made: {_one_line(shown)}"
    return files, None


def write_reports_in_kernel(request_json: str) -> None:
    """Build one target's report and write it in each format (runs inside a kernel).

    Args:
        request_json: the report spec, the target, its parameters and the files to
            write, as :func:`_write_reports` sends them.
    """
    from partnerkit.store import open_store

    request = json.loads(request_json)
    fields = dict(request["spec"])
    fields["aliases"] = tuple(fields.get("aliases") or ())
    spec = ReportSpec(**fields)
    store = open_store(request["data_dir"], request["database_url"])
    try:
        page = spec.build(store, request["workspace"], request["value"],
                          names=bool(request["names"]), author=request["author"],
                          parameters=request["parameters"])
    finally:
        store.close()
    for fmt, path in request["files"].items():
        target = Path(path)
        _private_dir(target.parent)
        write_private(target, convert_html(page, fmt))


# ---------------------------------------------------------------- command line


def run_command(workbook: str, *, data: str | None = None, database_url: str | None = None,
                workspace: str = "demo", pupils: Sequence[str] | None = None,
                all_pupils: bool = False, steps: Sequence[str] | None = None,
                all_steps: bool = False, author: str | None = None, names: bool = False,
                formats: Sequence[str] | None = None, out: str = "reports",
                jobs: int | None = None, changed_only: bool = False,
                progress: bool = True) -> RenderSummary:
    """``partnerkit render``: check the command line's values, pick the targets, render.

    Every bad value raises :class:`RenderInputError` naming it and the fix before any
    notebook runs.
    """
    _, _, spec = find_workbook(workbook)
    spec.builder()
    chosen_formats = parse_formats(formats)
    if jobs is not None and jobs < 1:
        raise RenderInputError("is not a number of kernels", value=jobs, where="--jobs",
                               fix="use 1 or more")
    folder = prepare_out_dir(out)
    data_folder = paths.data_dir(data, create=False)
    from partnerkit.store import open_store

    store = open_store(data_folder, database_url)
    try:
        targets = select_targets(spec, store, workspace, pupils=pupils,
                                 all_pupils=all_pupils, steps=steps, all_steps=all_steps,
                                 author=author)
    finally:
        store.close()
    return render(workbook, targets, chosen_formats, folder, jobs=jobs,
                  changed_only=changed_only, names=names, author=author,
                  data_dir=data_folder, workspace=workspace, database_url=database_url,
                  progress=progress)


__all__ = [
    "MANIFEST", "NOTEBOOKS", "RenderInputError", "RenderSummary", "Target", "TargetResult",
    "check_step", "find_workbook", "known_workbooks", "make_target", "parse_formats",
    "prepare_out_dir", "render", "run_command", "select_targets", "store_changes",
]
