"""The partner directory written out as CSV or XLSX: opened safely, imported back unchanged.

In CSV, values a spreadsheet would run as a formula are written with a leading apostrophe
(the one rule of :mod:`partnerkit.tables.out`); importing the file again drops it. In XLSX
they are text cells with Excel's quote prefix, so nothing is added to the value.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from partnerkit.mapping_tool.directory_import import COLUMNS, OPTIONAL_COLUMNS, directory_entries
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.reports import csv_text, write_csv, write_xlsx
from partnerkit.store import Store
from partnerkit.tables.out import FORMULA_PREFIXES, neutralise

FORMULA_STARTS = FORMULA_PREFIXES
"""First characters a spreadsheet runs as a formula (shared with :mod:`partnerkit.reports`)."""

__all__ = ["FORMULA_STARTS", "directory_csv", "export_directory_csv", "export_directory_xlsx",
           "neutralise"]
HEADER = [*COLUMNS, *OPTIONAL_COLUMNS]


def _rows(entries: Iterable[DirectoryEntry]) -> list[list[str]]:
    rows = []
    for entry in entries:
        row = {c: getattr(entry, c) for c in (*COLUMNS, *OPTIONAL_COLUMNS)}
        row["helps_with"] = "; ".join(entry.helps_with)
        row["layer"] = entry.layer or ""
        row["takes_referrals"] = "yes" if entry.takes_referrals else "no"
        rows.append([row[c] for c in (*COLUMNS, *OPTIONAL_COLUMNS)])
    return rows


def directory_csv(entries: Iterable[DirectoryEntry]) -> str:
    """The directory as CSV text with the import's headings (re-importable)."""
    return csv_text(_rows(entries), columns=HEADER)


def export_directory_csv(store: Store, workspace: str,
                         path: str | os.PathLike[str] | None = None) -> str | Path:
    """Export the workspace's directory as CSV; write it owner-only when ``path`` is given.

    Values that a spreadsheet would run as a formula (starting with = + - @, their
    full-width forms, a tab or a carriage return) are written with a leading apostrophe;
    importing the file again drops it. Returns the CSV text, or the path written.
    """
    entries = directory_entries(store, workspace)
    if path is None:
        return directory_csv(entries)
    return write_csv(path, _rows(entries), columns=HEADER)


def export_directory_xlsx(store: Store, workspace: str, path: str | os.PathLike[str]) -> Path:
    """Export the workspace's directory as an XLSX workbook, owner-only, at ``path``.

    It has the import's headings on row 1 of one sheet, so importing it gives the same
    directory. Text that looks like a formula is a text cell, never calculated.
    """
    return write_xlsx(path, _rows(directory_entries(store, workspace)), columns=HEADER,
                      sheet="Partner directory")
