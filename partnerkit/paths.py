"""Where partnerkit keeps its files: the data folder, the packaged workbooks and templates."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import platformdirs

from partnerkit.errors import DataFolderError

log = logging.getLogger(__name__)

DATA_ENV = "PARTNERKIT_DATA"
PACKAGE_DIR = Path(__file__).parent
OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600


def data_dir(data: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """Return the data folder: ``data`` if given, else ``$PARTNERKIT_DATA``, else a per-user folder.

    The folder is created owner-only (0700) when missing and ``create`` is true; an
    existing folder that others may read is tightened to 0700 (said once, as a warning).
    Raises :class:`DataFolderError` naming the folder when it cannot be made, written or
    made owner-only (another user's folder, a disk that keeps no permissions).
    """
    chosen = data or os.environ.get(DATA_ENV) or platformdirs.user_data_dir("partnerkit")
    folder = Path(chosen).expanduser()
    if folder.exists() and not folder.is_dir():
        raise DataFolderError("is a file, not a folder", value=str(folder), where="data folder",
                              fix="pass --data with a folder path")
    if not folder.exists():
        if not create:
            raise DataFolderError("does not exist", value=str(folder), where="data folder",
                                  fix="run 'partnerkit demo --data FOLDER' or pass an "
                                      "existing folder")
        try:
            private_dir(folder)
        except OSError as exc:
            raise DataFolderError(f"cannot be created ({exc.strerror})", value=str(folder),
                                  where="data folder",
                                  fix="pass --data with a folder you can write to") from None
    _tighten(folder)
    _check_writable(folder)
    return folder


def _tighten(folder: Path) -> None:
    """Make an existing data folder owner-only, or refuse it when that cannot be done."""
    if os.name != "posix":  # pragma: no cover - permissions are POSIX modes here
        return
    info = folder.stat()
    if not stat.S_IMODE(info.st_mode) & 0o077:
        return
    was = stat.filemode(info.st_mode)
    if info.st_uid != os.getuid():
        raise DataFolderError(
            f"can be read by other users ({was}) and belongs to someone else, so partnerkit "
            "cannot make it owner-only", value=str(folder), where="data folder",
            fix=f"ask its owner to run 'chmod 700 {folder}', or pass --data with a folder "
                "of your own")
    reason = "this disk does not keep permissions"
    try:
        os.chmod(folder, OWNER_ONLY_DIR)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        raise DataFolderError(
            f"can be read by other users ({was}) and cannot be made owner-only ({reason})",
            value=str(folder), where="data folder",
            fix="pass --data with a folder on a disk that keeps Unix permissions")
    log.warning("data folder %s could be read by other users (%s); partnerkit made it "
                "owner-only (drwx------)", folder, was)


def _check_writable(folder: Path) -> None:
    probe = folder / f".partnerkit-write-check-{os.getpid()}"
    try:
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise DataFolderError(f"cannot be written ({exc.strerror})", value=str(folder),
                              where="data folder",
                              fix="pass --data with a folder you can write to, "
                                  "or fix its permissions") from None


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Make a folder and every missing folder above it owner-only (0700); return it.

    ``mkdir``'s mode is filtered by the umask and not given to missing parents, so each
    missing level is made here and set to 0700. Folders that already exist are left as
    they are (the data folder is tightened by :func:`data_dir`).

    Raises:
        OSError: a level cannot be made, or a file is in the way.
    """
    folder = Path(path).expanduser()
    missing = []
    level = folder
    while not level.is_dir() and level.parent != level:
        missing.append(level)
        level = level.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=OWNER_ONLY_DIR)
        except FileExistsError:
            if not level.is_dir():
                raise
            continue  # made meanwhile by another process: not ours to change
        os.chmod(level, OWNER_ONLY_DIR)
    return folder


def private_file(path: str | os.PathLike[str]) -> Path:
    """Make sure a file is owner-only (0600) before anything writes to it.

    A missing file is created empty, owner-only, in an owner-only (0700) folder; an
    existing file that others may read is tightened to 0600.
    """
    path = Path(path)
    private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, OWNER_ONLY_FILE))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, OWNER_ONLY_FILE)
    return path


def _shipped(name: str) -> Path:
    """Find a folder shipped in the package, or beside it in a source checkout."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def workbooks_dir() -> Path:
    """The folder of shipped workbooks (inside the installed package)."""
    return _shipped("workbooks")


def templates_dir() -> Path:
    """The folder of shipped Jinja2 templates (inside the installed package)."""
    return _shipped("templates")


def docs_dir() -> Path:
    """The folder of shipped guides, one Markdown file per role (inside the package)."""
    return _shipped("docs")
