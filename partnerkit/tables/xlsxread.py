"""Read an XLSX workbook: find the sheet and heading row that hold the data, then its rows.

Cells are turned into text the way a CSV export would write them (dates as YYYY-MM-DD,
whole numbers without ``.0``), so both kinds of file go through the same checks.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from partnerkit.errors import InputFileError
from partnerkit.tables.encode import factorize
from partnerkit.tables.source import (
    HEADER_SCAN_ROWS,
    Chunk,
    Source,
    Wanted,
    check_headings,
    choose_header,
    short,
)

XLSX_CHUNK_ROWS = 50_000


def open_xlsx(path: Path | None, data: bytes | None, file: str, wanted: Wanted) -> Source:
    """Open a workbook at the first sheet whose headings hold a shape's required fields.

    Raises :class:`InputFileError` naming each sheet and its headings when none does.
    """
    book = _load_book(path, data, file)
    try:
        tried = []
        for index, sheet in enumerate(book.worksheets):
            rows = _first_rows(sheet)
            if not rows:
                tried.append((sheet.title, 0, [], []))
                continue
            number, headings, shape, matches, complete = choose_header(rows, wanted)
            if complete and not wanted.matcher.problems(matches, headings, file,
                                                        wanted.mapping, number):
                return Source(path=path, data=data, file=file, kind="xlsx", shape=shape,
                              matches=matches, headings=headings, header_row=number,
                              reader=xlsx_chunks, sheet=sheet.title,
                              sheet_note=_sheet_note(book, index))
            tried.append((sheet.title, number, headings, matches))
    finally:
        book.close()
    _refuse(tried, file, wanted)
    raise AssertionError("unreachable")


def _sheet_note(book, index: int) -> str | None:
    if not index:
        return None
    return (f"the data was found on sheet {book.worksheets[index].title!r} (sheet {index + 1}); "
            f"sheet{'s' if index > 1 else ''} "
            + ", ".join(repr(s.title) for s in book.worksheets[:index]) + " did not hold it")


def _refuse(tried: list, file: str, wanted: Wanted) -> None:
    """Raise the error for a workbook none of whose sheets holds the data."""
    described = "; ".join(
        f"sheet {t[0]!r} " + (f"row {t[1]} has " + ", ".join(repr(h) for h in t[2] if h)
                              if t[2] else "is empty") for t in tried)
    with_headings = [t for t in tried if t[2]]
    if not with_headings:
        raise InputFileError("the workbook has no data on any sheet", file=file,
                             value=", ".join(t[0] for t in tried),
                             fix=f"check you chose the right file; if so, put the headings "
                                 f"on row 1 of a sheet of {file}, with one row per record "
                                 "below")
    title, number, headings, matches = with_headings[0]
    check_headings(wanted, matches, headings, f"{file} (sheet {title!r})", number,
                   note=f"; no sheet holds all the columns needed ({described})")


def _load_book(path: Path | None, data: bytes | None, file: str):
    import openpyxl  # only when a workbook is read: a page that never reads one skips it

    try:
        return openpyxl.load_workbook(io.BytesIO(data) if data is not None else path,
                                      read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error on damaged files
        raise InputFileError(f"the file is not a readable XLSX workbook "
                             f"({type(exc).__name__}: {short(exc)})", file=file,
                             value=Path(file).suffix or file,
                             fix=f"open {file} in Excel and save it again as .xlsx or CSV, "
                                 "then choose the new file") from None


def _first_rows(sheet) -> list[tuple[int, list[str]]]:
    out = []
    for number, values in enumerate(sheet.iter_rows(max_row=HEADER_SCAN_ROWS * 3,
                                                    values_only=True), start=1):
        cells = [cell_text(v).strip() for v in values]
        if any(cells):
            out.append((number, cells))
        if len(out) >= HEADER_SCAN_ROWS:
            break
    return out


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as YYYY-MM-DD, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_chunks(source: Source) -> Iterator[Chunk]:
    """Yield the non-empty rows below the heading row, with their sheet row numbers."""
    book = _load_book(source.path, source.data, source.file)
    try:
        sheet = book[source.sheet]
        wanted = source.found
        source.invalid_rows = []
        values: dict[str, list[bytes]] = {f: [] for f in wanted}
        rows: list[int] = []
        for number, record in enumerate(sheet.iter_rows(min_row=source.header_row + 1,
                                                        values_only=True),
                                        start=source.header_row + 1):
            cells = [cell_text(v) for v in record]
            if not any(c.strip() for c in cells):
                continue
            for field, index in wanted.items():
                values[field].append((cells[index] if index < len(cells) else "")
                                     .encode("utf-8"))
            rows.append(number)
            if len(rows) >= XLSX_CHUNK_ROWS:
                yield _xlsx_chunk(values, rows)
                values, rows = {f: [] for f in wanted}, []
        if rows:
            yield _xlsx_chunk(values, rows)
    except InputFileError:
        raise
    except Exception as exc:  # a damaged sheet can fail part-way with many error types
        raise InputFileError(f"the XLSX workbook is damaged ({type(exc).__name__}: "
                             f"{short(exc)})", file=source.file, row=source.header_row + 1,
                             column=source.matches[0].field, value=source.sheet,
                             fix="open it in Excel and save it again as .xlsx or CSV") from None
    finally:
        book.close()


def _xlsx_chunk(values: dict[str, list[bytes]], rows: list[int]) -> Chunk:
    return Chunk({f: factorize(pa.array(v, type=pa.binary())) for f, v in values.items()},
                 np.array(rows, dtype=np.int64))
