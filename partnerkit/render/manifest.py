"""What is up to date: each target's fingerprint and the manifest of past renders in ``OUT``.

With ``changed_only`` a target is skipped when nothing it depends on has changed since
its last successful render by the same account: the workbook file, the parameters (and
files they name), the formats, the templates and partnerkit's version, and the store's
changes for the workspace (for a pupil: all but other pupils' records), as
:meth:`partnerkit.store.Store.change_counts` reports them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit import __version__, paths
from partnerkit.records.sharing import is_export_key
from partnerkit.render.outputs import TargetResult
from partnerkit.render.targets import Target
from partnerkit.reports import write_private

MANIFEST = "render-manifest.json"


def store_changes(store: Any, workspace: str, *, names: bool = False) -> dict[str, str]:
    """The latest change and count of changes for each record key in a workspace.

    Keyed by the record key's first part (a pupil's records are filed under the pupil
    reference), so a change to one pupil tells which packs it touches. The sharing log's
    export entries are left out: each render logs the packs it writes, and that must not
    make them out of date for the next one.
    """
    groups: dict[str, tuple[str, int]] = {}
    for key, at, count in store.change_counts(workspace, names=names):
        if is_export_key(str(key)):
            continue
        first = str(key).split("/", 1)[0]
        latest, total = groups.get(first, ("", 0))
        groups[first] = (max(latest, str(at)), total + int(count))
    return {k: f"{at}#{n}" for k, (at, n) in groups.items()}


def target_changes(changes: dict[str, str], target: Target, others: Iterable[str]) -> str:
    """The store's state as one target sees it: all but ``others`` (other pupils)."""
    hidden = set(others) - {str(target.value)}
    relevant = sorted((k, v) for k, v in changes.items() if k not in hidden)
    return hashlib.sha256(json.dumps(relevant).encode()).hexdigest()


def templates_hash() -> str:
    """One hash of every template file (a changed template changes every report)."""
    digest = hashlib.sha256()
    folder = paths.templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _parameter_files(parameters: dict[str, Any]) -> list[str]:
    """Content hashes of files named in the parameters (an attendance export ...)."""
    hashes = []
    for value in parameters.values():
        if isinstance(value, str) and len(value) < 4096:
            path = Path(value)
            try:
                if path.is_file():
                    hashes.append(hashlib.sha256(path.read_bytes()).hexdigest())
            except OSError:
                continue
    return hashes


def fingerprint(*, workbook_hash: str, templates_hash: str, parameters: dict[str, Any],
                store_state: str, names: bool, account: str | None = None) -> str:
    """One hash of everything a target's report depends on (who reads it included)."""
    material = {"workbook": workbook_hash, "templates": templates_hash,
                "parameters": parameters, "store": store_state, "names": names,
                "files": _parameter_files(parameters), "partnerkit": __version__}
    if account is not None:
        material["account"] = account
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


def save_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest owner-only, replacing the old one in one step."""
    temporary = out_dir / f".{MANIFEST}.{os.getpid()}"
    write_private(temporary, json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(temporary, out_dir / MANIFEST)


def is_current(entry: Any, digest: str, formats: list[str], out_dir: Path) -> bool:
    """True when a manifest entry has this fingerprint and every asked format's file."""
    if not isinstance(entry, dict) or entry.get("fingerprint") != digest:
        return False
    files = entry.get("files") or {}
    return all(fmt in files and (out_dir / files[fmt]).is_file() for fmt in formats)


@dataclass
class Plan:
    """The targets to run, every target's fingerprint, and those found up to date."""

    todo: list[Target]
    digests: dict[str, str]
    unchanged: list[TargetResult]


@dataclass(frozen=True)
class Inputs:
    """What every target of one render shares: the notebook, parameters, store state."""

    workbook: str
    source: Any
    base_parameters: dict[str, Any]
    names: bool
    formats: list[str]
    out_dir: Path
    account: str | None = None


def plan(inputs: Inputs, targets: list[Target], changes: dict[str, str],
         others: Iterable[str], manifest: dict[str, Any], changed_only: bool) -> Plan:
    """Fingerprint each target; with ``changed_only``, set aside those up to date.

    ``others`` are the keys one target's report never shows (the other pupils).
    """
    workbook_hash = hashlib.sha256(
        json.dumps(inputs.source, sort_keys=True, default=str).encode()).hexdigest()
    templates = templates_hash()
    others = set(others)
    result = Plan(todo=[], digests={}, unchanged=[])
    for target in targets:
        parameters = {**inputs.base_parameters, **target.parameters}
        digest = fingerprint(workbook_hash=workbook_hash, templates_hash=templates,
                             parameters={k: v for k, v in parameters.items() if k != "data_dir"},
                             store_state=target_changes(changes, target, others),
                             names=inputs.names, account=inputs.account)
        result.digests[target.name] = digest
        entry = manifest["targets"].get(key(inputs.workbook, target))
        if changed_only and is_current(entry, digest, inputs.formats, inputs.out_dir):
            files = {fmt: inputs.out_dir / entry["files"][fmt] for fmt in inputs.formats}
            result.unchanged.append(TargetResult(target, "unchanged", files=files))
        else:
            result.todo.append(target)
    return result


def key(workbook: str, target: Target) -> str:
    """A target's key in the manifest."""
    return f"{workbook}/{target.name}"


def record(manifest: dict[str, Any], workbook: str, result: TargetResult, digest: str,
           out_dir: Path) -> None:
    """Remember a written target (or forget a failed one) in the manifest."""
    if result.status == "written":
        manifest["targets"][key(workbook, result.target)] = {
            "fingerprint": digest,
            "files": {fmt: str(p.relative_to(out_dir)) for fmt, p in result.files.items()},
            "rendered_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        manifest.get("refused", {}).pop(key(workbook, result.target), None)
    else:
        manifest["targets"].pop(key(workbook, result.target), None)


def record_refusal(manifest: dict[str, Any], workbook: str, result: TargetResult,
                   account: str | None) -> None:
    """Remember that a target was refused to an account, and why (under ``refused``).

    An earlier render of it is forgotten, so ``changed_only`` never counts it as current;
    its files are left where they are.
    """
    manifest["targets"].pop(key(workbook, result.target), None)
    manifest.setdefault("refused", {})[key(workbook, result.target)] = {
        "account": account, "reason": result.error,
        "refused_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
