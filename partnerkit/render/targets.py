"""What to render: the workbook, its formats and its targets (pupils, steps, author, workspace).

Every value from the command line is checked here, before any kernel starts: a pupil
reference by :func:`partnerkit.records.refs.pupil_ref`, a step by
:func:`partnerkit.six_steps.rules.check_step`, the workbook by the catalog.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerkit import catalog
from partnerkit.catalog import Workbook
from partnerkit.errors import NotFoundError, RenderInputError
from partnerkit.paths import workbooks_dir
from partnerkit.records.refs import pupil_ref
from partnerkit.reports import FORMATS

LIST_LIMIT = 20


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


_UNSAFE = re.compile(r"(?:[^A-Za-z0-9_.-]|(?<![A-Za-z0-9])\.|\.(?![A-Za-z0-9]))+")
"""Runs of characters a file name does not keep: all but letters, digits, '_', '-', and a
dot between two letters or digits (``morag.grant`` stays; ``..`` or a leading dot goes)."""


def slug(text: str) -> str:
    """A file-name-safe form of a name; a short hash keeps two names apart."""
    cleaned = _UNSAFE.sub("-", text).strip("-")[:50]
    if cleaned == text:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned or 'target'}-{digest}"


def make_target(row: Workbook, value: Any) -> Target:
    """The target of a workbook for one pupil, step or author (or the workspace)."""
    if row.target == "workspace":
        return Target(name="workspace", value=None, parameters={})
    if row.target == "step":
        return Target(name=f"step-{value}", value=value, parameters={row.parameter: value})
    return Target(name=slug(str(value)), value=value, parameters={row.parameter: value})


def listing(values: Sequence[Any]) -> str:
    """Values for a message's fix: the first :data:`LIST_LIMIT`, then how many in all."""
    shown = ", ".join(str(v) for v in values[:LIST_LIMIT])
    if len(values) > LIST_LIMIT:
        shown += f", … ({len(values)} in all)"
    return shown or "(none)"


def find_workbook(workbook: str | os.PathLike[str]) -> tuple[Workbook, Path]:
    """The catalog row and file of a workbook given by name (or as a path to a notebook).

    A path is looked up in the catalog by its file name, so a copy of a shipped
    workbook renders as that workbook.

    Raises:
        NotFoundError: no shipped workbook has that name.
        RenderInputError: the notebook's name is in no catalog row.
    """
    text = str(workbook)
    candidate = Path(text)
    if text.endswith(".ipynb") and candidate.is_file():
        row = catalog.find(candidate.stem)
        if row is None:
            names = [w.name for w in catalog.available()]
            raise RenderInputError("has no report to render", value=candidate.stem,
                                   where="workbook", fix=f"use one of: {listing(names)}")
        return row, candidate
    row = catalog.get(text)
    return row, workbooks_dir() / row.filename


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


def workspace_pupils(store: Any, workspace: str) -> list[str]:
    """The pupil references with a profile in the workspace, in the order they were added."""
    return [record.key for record in store.list(workspace, "pupil_profile")]


def check_workspace(store: Any, workspace: str) -> None:
    """Raise a clear error when the workspace is not in the store.

    Raises:
        RenderInputError: the workspace is not there; the fix lists those that are.
    """
    known = list(store.workspaces())
    if workspace not in known:
        raise RenderInputError("is not a workspace in this store", value=workspace,
                               where="--workspace",
                               fix=f"use one of: {listing(known)} (or run 'partnerkit demo')")


@dataclass(frozen=True)
class Wanted:
    """The targets a command line asks for, before they are checked."""

    pupils: Sequence[str] | None = None
    all_pupils: bool = False
    steps: Sequence[Any] | None = None
    all_steps: bool = False
    author: str | None = None


def select_targets(row: Workbook, store: Any, workspace: str, wanted: Wanted) -> list[Target]:
    """The targets a command line asks for, checked against the store and the workbook.

    Raises:
        RenderInputError: targets of the wrong kind, or none where some are needed.
        PupilReferenceError: a --pupil that is not a pupil reference.
        NotFoundError: a --pupil with no profile in the workspace.
        StepError: a --step that is not one of the six steps.
    """
    check_workspace(store, workspace)
    if row.target != "pupil" and (wanted.pupils or wanted.all_pupils):
        raise _wrong_kind(row, "--pupil/--all-pupils")
    if row.target != "step" and (wanted.steps or wanted.all_steps):
        raise _wrong_kind(row, "--step/--all-steps")
    if row.target == "pupil":
        values: list[Any] = _pupils(store, workspace, wanted, row)
    elif row.target == "step":
        values = _steps(wanted, row)
    elif row.target == "author":
        if not wanted.author or not wanted.author.strip():
            raise RenderInputError("makes one report per practitioner; say whose",
                                   value=row.name, where="workbook", fix="add --author NAME")
        values = [wanted.author.strip()]
    else:
        values = [None]
    return [make_target(row, value) for value in values]


def _wrong_kind(row: Workbook, option: str) -> RenderInputError:
    hint = {"pupil": "--pupil REF or --all-pupils", "step": "--step N or --all-steps",
            "author": "--author NAME", "workspace": "no target option"}[row.target]
    noun = "the workspace" if row.target == "workspace" else f"each {row.target}"
    return RenderInputError(f"makes its report for {noun}, so {option} does not apply",
                            value=row.name, where="workbook", fix=f"use {hint}")


def _steps(wanted: Wanted, row: Workbook) -> list[int]:
    # Imported here: the six steps wing is needed only for a step workbook.
    from partnerkit.six_steps.rules import STEPS, check_step

    if wanted.all_steps:
        return list(STEPS)
    if not wanted.steps:
        raise RenderInputError("makes one report per step; say which", value=row.name,
                               where="workbook", fix="add --step N (1-6) or --all-steps")
    return list(dict.fromkeys(check_step(s, where="--step") for s in wanted.steps))


def _pupils(store: Any, workspace: str, wanted: Wanted, row: Workbook) -> list[str]:
    known = workspace_pupils(store, workspace)
    if wanted.all_pupils:
        if wanted.pupils:
            raise RenderInputError("cannot be used with --pupil", value="--all-pupils",
                                   where="command line", fix="give one or the other")
        if not known:
            raise RenderInputError("has no pupils yet", value=workspace, where="workspace",
                                   fix="add pupil profiles in the mapping tool first")
        return known
    if not wanted.pupils:
        raise RenderInputError("makes one report per pupil; say which", value=row.name,
                               where="workbook", fix="add --pupil REF or --all-pupils")
    chosen = []
    for value in wanted.pupils:
        ref = pupil_ref(str(value).strip(), where="--pupil")
        if ref not in known:
            raise NotFoundError(f"is not a pupil in workspace {workspace!r}", value=ref,
                                where="--pupil",
                                fix=f"use one of: {listing(known)} (or --all-pupils)")
        chosen.append(ref)
    return list(dict.fromkeys(chosen))
