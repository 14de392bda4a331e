"""Tables written to CSV and XLSX: owner-only, shown as typed, formulas never run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from partnerkit.reports.files import write_private
from partnerkit.reports.formulas import neutralise_formula
from partnerkit.reports.visible import visible_text


def _table_rows(table: Any, columns: Sequence[str] | None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows from a DataFrame, a list of mappings or a list of sequences."""
    if hasattr(table, "columns") and hasattr(table, "itertuples"):
        header = [str(c) for c in (columns or list(table.columns))]
        frame = table[list(columns)] if columns else table
        return header, [list(row) for row in frame.itertuples(index=False, name=None)]
    rows = list(table)
    if rows and isinstance(rows[0], Mapping):
        header = list(columns or dict.fromkeys(k for row in rows for k in row))
        return header, [[row.get(c, "") for c in header] for row in rows]
    return list(columns or []), [list(row) for row in rows]


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    try:
        if value != value:  # NaN and pandas' missing values
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    return value


def _spreadsheet_value(value: Any) -> Any:
    value = _cell_text(value)
    if isinstance(value, str):
        return visible_text(value)
    return value


def csv_text(table: Iterable[Any], *, columns: Sequence[str] | None = None) -> str:
    """A table as CSV text (CRLF line ends), every cell as typed and never a formula.

    ``table`` is a DataFrame, a list of dicts, or a list of rows (then pass ``columns``).
    """
    header, rows = _table_rows(table, columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow([neutralise_formula(visible_text(h)) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(_spreadsheet_value(v)) for v in row])
    return buffer.getvalue()


def write_csv(path: str | os.PathLike[str], table: Iterable[Any], *,
              columns: Sequence[str] | None = None) -> Path:
    """Write :func:`csv_text` owner-only as UTF-8 with a byte-order mark (for Excel)."""
    return write_private(path, "\ufeff" + csv_text(table, columns=columns))


def write_xlsx(path: str | os.PathLike[str], table: Iterable[Any], *,
               columns: Sequence[str] | None = None, sheet: str = "Report") -> Path:
    """Write a table to an XLSX file, owner-only; text that looks like a formula stays text.

    Such text is stored as a string cell with Excel's quote prefix (what typing a leading
    ``'`` does), so the sheet shows it as typed and never calculates it.
    """
    from openpyxl import Workbook

    header, rows = _table_rows(table, columns)
    book = Workbook()
    ws = book.active
    ws.title = visible_text(sheet)[:31] or "Report"
    for r, row in enumerate([header, *rows] if header else rows, start=1):
        for c, value in enumerate(row, start=1):
            _set_xlsx_cell(ws.cell(row=r, column=c), _spreadsheet_value(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return write_private(path, buffer.getvalue())


def _set_xlsx_cell(cell: Any, value: Any) -> None:
    if isinstance(value, (dt.datetime, dt.date)) and getattr(value, "tzinfo", None):
        value = value.replace(tzinfo=None)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if neutralise_formula(value) is not value:
            cell.quotePrefix = True
        return
    cell.value = value
