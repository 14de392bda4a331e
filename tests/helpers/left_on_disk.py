"""What a kernel leaves on disk that names a pupil: files, and cells in IPython history."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def files_naming(folder: Path, text: str) -> list[str]:
    """The files under ``folder`` (relative to it) whose bytes hold ``text``."""
    return [str(path.relative_to(folder)) for path in folder.rglob("*")
            if path.is_file() and text.encode() in path.read_bytes()]


def cells_naming(home: Path, text: str) -> int:
    """Cells naming ``text`` in the IPython history files under a user's home folder."""
    found = 0
    for path in home.glob(".ipython/**/history.sqlite"):
        with sqlite3.connect(path) as db:
            found += db.execute("SELECT count(*) FROM history WHERE source LIKE ?",
                                (f"%{text}%",)).fetchone()[0]
    return found
