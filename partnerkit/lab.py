"""``partnerkit lab``: JupyterLab on a working copy of the workbooks in the data folder.

It starts only on a store it can open: a damaged or newer store stops it with the
store's message (the file named, what is wrong, the fix) before JupyterLab starts. The
notebooks act as one account (``--as USERNAME``, else ``$PARTNERKIT_ACCOUNT``, else the
login name's linked account), checked before JupyterLab starts too.

A practitioner's edits never touch the installed package. When a newer partnerkit
ships a changed workbook, an unedited copy is updated in place; an edited copy is
kept and the new version is put beside it as ``<name>.updated.ipynb``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from partnerkit import paths
from partnerkit.accounts import ACCOUNT_ENV

if TYPE_CHECKING:
    from partnerkit.access import Account

MANIFEST = ".shipped.json"
LAB_UMASK = 0o077


@dataclass
class SyncReport:
    """What :func:`sync_workbooks` did to each workbook of the working copy."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Plain lines for the terminal."""
        lines = [f"Workbooks for JupyterLab: {self.folder}"]
        if self.copied:
            lines.append("  new: " + ", ".join(self.copied))
        if self.updated:
            lines.append("  updated to this version: " + ", ".join(self.updated))
        for name in self.kept_edited:
            lines.append(f"  {name}: your edited copy is kept; this version's is beside it as "
                         f"{Path(name).stem}.updated.ipynb")
        return "\n".join(lines)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_private(source: Path, copy: Path) -> None:
    """Copy a workbook owner-only (0600): a practitioner's saved copy holds pupils' answers."""
    shutil.copyfile(source, paths.private_file(copy))


def sync_workbooks(data: str | os.PathLike[str] | None = None) -> SyncReport:
    """Bring the working copy in ``<data>/workbooks`` up to date with the shipped workbooks."""
    folder = paths.data_dir(data) / "workbooks"
    paths.private_dir(folder)
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    report = SyncReport(folder)
    for shipped in sorted(paths.workbooks_dir().glob("*.ipynb")):
        name = shipped.name
        copy = folder / name
        new_digest = _digest(shipped)
        if not copy.exists():
            _copy_private(shipped, copy)
            report.copied.append(name)
        elif _digest(copy) == new_digest:
            report.unchanged.append(name)
        elif _digest(copy) == manifest.get(name):
            _copy_private(shipped, copy)
            report.updated.append(name)
        else:
            _copy_private(shipped, folder / f"{shipped.stem}.updated.ipynb")
            report.kept_edited.append(name)
        manifest[name] = new_digest
    paths.private_file(manifest_path).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return report


def lab_command(folder: Path) -> list[str]:
    """The JupyterLab command line for the working copy."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
            "--ServerApp.ip=127.0.0.1"]


def check_store(data: str | os.PathLike[str] | None = None, as_: str | None = None) -> Account:
    """Open the store and find who the notebooks act as, so a problem stops ``lab`` at once.

    Raises the store's own error (:class:`~partnerkit.errors.StoreCorruptError`,
    :class:`~partnerkit.errors.StoreTooNewError` ...), naming the file and the fix; the
    file is left as it is. A missing store is made, as any workbook would make it. An
    unknown ``--as`` account, or a login name linked to no account in a store that has
    accounts, raises :class:`~partnerkit.errors.AccessDeniedError` with the fix.
    """
    from partnerkit.accounts import resolve_account
    from partnerkit.store import open_store

    store = open_store(data)
    try:
        return resolve_account(store, (as_ or "").strip() or None)
    finally:
        store.close()


def lab_environment(folder: Path, account: Account, as_: str | None) -> dict[str, str]:
    """JupyterLab's environment: the data folder, and with ``--as`` the account to act as.

    Without ``--as`` the kernels find the account as this command did
    (``$PARTNERKIT_ACCOUNT``, else the login name's linked account).
    """
    env = {**os.environ, "PARTNERKIT_DATA": str(folder), "PARTNERKIT_DOOR": "lab"}
    if as_:
        env[ACCOUNT_ENV] = account.username
    return env


def launch_lab(data: str | os.PathLike[str] | None = None, as_: str | None = None) -> int:
    """Check the store and the account, sync the working copy, then run JupyterLab on it.

    A store that cannot be opened, or an account that cannot be found, stops it before
    JupyterLab starts, with one plain message. The notebooks' kernels act as the account
    (``--as``, see :func:`lab_environment`). JupyterLab runs with umask 077, so what it
    saves (notebooks, new folders) is owner-only like everything else partnerkit writes.
    """
    account = check_store(data, as_)
    report = sync_workbooks(data)
    print(report.describe(), flush=True)
    print(f"The notebooks act as {account.username} ({account.name}).", flush=True)
    env = lab_environment(report.folder.parent, account, as_)
    return subprocess.call(lab_command(report.folder), env=env, umask=LAB_UMASK)
