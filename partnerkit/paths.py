"""Where partnerkit keeps its files: the data folder, the packaged workbooks and templates."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from partnerkit.errors import DataFolderError

DATA_ENV = "PARTNERKIT_DATA"
PACKAGE_DIR = Path(__file__).parent


def data_dir(data: str | os.PathLike[str] | None = None, *, create: bool = True) -> Path:
    """Return the data folder: ``data`` if given, else ``$PARTNERKIT_DATA``, else a per-user folder.

    The folder is created owner-only (0700) when missing and ``create`` is true.
    Raises :class:`DataFolderError` naming the folder when it cannot be made or written.
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
            folder.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise DataFolderError(f"cannot be created ({exc.strerror})", value=str(folder),
                                  where="data folder",
                                  fix="pass --data with a folder you can write to") from None
    _check_writable(folder)
    return folder


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


def private_file(path: str | os.PathLike[str]) -> Path:
    """Make sure a file is owner-only (0600) before anything writes to it.

    A missing file is created empty, owner-only, in an owner-only (0700) folder; an
    existing file that others may read is tightened to 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)
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
