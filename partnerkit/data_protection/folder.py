"""The files in the data folder about one pupil: report files, attendance rows, other mentions.

A report file about a pupil carries the reference in its name (``map-summary-P-1001.html``,
``mapping_tool-P-1001.pdf``); the CSV files in a workspace's own folder (the attendance
workbook's ``attendance_marks.csv``, ``pupils.csv``, ``stretch_aims.csv``: see
:mod:`partnerkit.attendance.files`, not imported here, as it loads the whole attendance
wing) hold one row or many per pupil. Any other file that
mentions the reference or the real name is listed, so the data-protection lead knows of
it. The store file and its write-ahead log are the store's (see
:mod:`partnerkit.store.erasure`); older copies of the store made before an upgrade are
listed as mentions.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from partnerkit.reports import write_private
from partnerkit.store import STORE_FILENAME

STORE_SIDECARS = ("", "-wal", "-shm", "-lock")
"""The store file and the files SQLite and the write queue keep beside it."""


@dataclass
class FolderHoldings:
    """What the data folder holds about a pupil."""

    report_files: list[Path] = field(default_factory=list)
    attendance: dict[Path, list[dict[str, str]]] = field(default_factory=dict)
    mentions: list[Path] = field(default_factory=list)

    @property
    def attendance_rows(self) -> int:
        """How many attendance rows name the pupil."""
        return sum(len(rows) for rows in self.attendance.values())


def _token(text: str) -> re.Pattern[str]:
    """The text as a whole word: ``P-1001`` is not found inside ``P-10011``."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])")


def _store_files(folder: Path) -> set[Path]:
    return {folder / f"{STORE_FILENAME}{end}" for end in STORE_SIDECARS}


def _attendance_files(folder: Path, workspace: str) -> list[Path]:
    """The workspace's own tables of pupils: every CSV file in its folder."""
    own = folder / workspace
    return sorted(p for p in own.glob("*.csv") if p.is_file()) if own.is_dir() else []


def read_rows(path: Path, pupil: str) -> list[dict[str, str]]:
    """The rows of a CSV file with a cell that is exactly the pupil's reference."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return []
    header = [name or f"column {n}" for n, name in enumerate(rows[0], 1)]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]
            if any(cell.strip() == pupil for cell in row)]


def find(folder: Path, workspace: str, pupil: str, real_name: str | None) -> FolderHoldings:
    """Walk the data folder for the pupil's report files, attendance rows and mentions."""
    found = FolderHoldings()
    name_pattern = _token(pupil)
    texts = [t.encode("utf-8") for t in (pupil, real_name) if t]
    skip = _store_files(folder)
    attendance = set(_attendance_files(folder, workspace))
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p not in skip):
        if path in attendance:
            rows = read_rows(path, pupil)
            if rows:
                found.attendance[path] = rows
        elif name_pattern.search(path.name):
            found.report_files.append(path)
        elif _mentions(path, texts):
            found.mentions.append(path)
    return found


def _mentions(path: Path, texts: list[bytes]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(text in data for text in texts)


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush it to the disk, then remove it."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def remove_rows(path: Path, pupil: str) -> int:
    """Rewrite a CSV file without the rows naming the pupil; return how many went."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        rows = list(reader)
    kept = [row for row in rows[1:] if not any(cell.strip() == pupil for cell in row)]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([*rows[:1], *kept])
    size = path.stat().st_size
    with path.open("r+b") as handle:  # zeros over the old bytes first, then the new text
        handle.write(b"\0" * size)
        handle.flush()
        os.fsync(handle.fileno())
    write_private(path, out.getvalue())
    return len(rows) - 1 - len(kept)
