"""Open a CSV or XLSX export, find its heading row and read it in chunks of raw columns.

:func:`open_source` checks the file (empty, binary, old ``.xls``), finds the heading row in
the first rows (a title line above it is fine), picks the sheet of a workbook that holds the
data and matches headings to fields. :meth:`Source.chunks` then yields
:class:`Chunk` objects: the wanted columns encoded as codes into their distinct raw values
(see :mod:`.encode`) plus the file row number of every record, so every later message can
name its row.

Row numbers are spreadsheet rows: the first line of the file is row 1. In a CSV file blank
lines are not counted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from partnerkit.attendance.encode import Encoded
from partnerkit.attendance.fields import ColumnMatch, match_columns, missing_column_error
from partnerkit.errors import InputFileError

SNIFF_BYTES = 1 << 16
HEADER_SCAN_ROWS = 20
_DELIMITERS = (",", ";", "\t", "|")
_NEWLINE = re.compile(rb"\r\n|\n|\r")


@dataclass(frozen=True)
class Chunk:
    """Some records of a file.

    ``columns`` maps a field to its :class:`Encoded` raw values (UTF-8 bytes for XLSX; the
    file's own bytes for CSV) and ``rows`` holds each record's file row number.
    """

    columns: dict[str, Encoded]
    rows: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Source:
    """An opened input file: where its headings are and which field each column holds."""

    path: Path
    file: str
    kind: str
    shape: str
    matches: list[ColumnMatch]
    headings: list[str]
    header_row: int
    sheet: str | None = None
    sheet_note: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    data_offset: int = 0
    invalid_rows: list[tuple[int, str, int, int]] | None = None

    @property
    def found(self) -> dict[str, int]:
        """Field → column index for the fields found."""
        return {m.field: m.index for m in self.matches if m.index is not None}

    def decode(self, raw: bytes) -> str:
        """Decode a raw CSV value with the file's encoding (never raises)."""
        return raw.decode(self.encoding, errors="replace")

    def chunks(self) -> Iterator[Chunk]:
        """Yield the records in file order."""
        if self.kind == "xlsx":
            from partnerkit.attendance.xlsxread import xlsx_chunks

            yield from xlsx_chunks(self)
        else:
            from partnerkit.attendance.csvread import csv_chunks

            yield from csv_chunks(self)


def open_source(path: str | Path, fields: Sequence[str], shapes: Mapping[str, Sequence[str]],
                mapping: Mapping[str, list[str]]) -> Source:
    """Open ``path`` and match its headings to ``fields``.

    ``shapes`` maps a shape name to its required fields; the first shape whose required
    fields are all found is used. Raises :class:`InputFileError` for a missing, empty,
    binary or unreadable file and for a required column that cannot be found.
    """
    path = Path(path)
    file = path.name
    first_field = next(iter(next(iter(shapes.values()))))
    try:
        with path.open("rb") as handle:
            sample = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputFileError(f"cannot open the file ({exc.strerror})", file=file, row=1,
                             column=first_field, value=str(path),
                             fix="check the path and that the file is not open elsewhere") \
            from None
    if not sample.strip():
        raise InputFileError("the file is empty", file=file, row=1, column=first_field,
                             value=sample[:20].decode("latin-1"),
                             fix="export the data again; the file has no headings or rows")
    if sample.startswith(b"PK\x03\x04"):
        from partnerkit.attendance.xlsxread import open_xlsx

        return open_xlsx(path, fields, shapes, mapping)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError("this is an old Excel .xls file, which cannot be read",
                             file=file, row=1, column=first_field, value=sample[:8].hex(" "),
                             fix="open it in Excel and save it as .xlsx or CSV")
    encoding = _sniff_encoding(sample, complete=len(sample) < SNIFF_BYTES)
    if encoding is None:
        raise InputFileError("this is not a CSV or XLSX file (it holds binary data)",
                             file=file, row=1, column=first_field,
                             value=sample[:16].decode("latin-1"),
                             fix="export the data as CSV or XLSX")
    return _open_csv(path, sample, encoding, fields, shapes, mapping)


def _sniff_encoding(sample: bytes, complete: bool) -> str | None:
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in sample:
        return None
    head = sample[3:] if sample.startswith(b"\xef\xbb\xbf") else sample
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8"


# -- choosing the heading row --------------------------------------------------------------

def choose_header(rows: list[tuple[int, list[str]]], fields: Sequence[str],
                   shapes: Mapping[str, Sequence[str]], mapping: Mapping[str, list[str]]
                   ) -> tuple[int, list[str], str, list[ColumnMatch], bool]:
    """Pick the heading row: the first whose headings hold a shape's required fields.

    Returns ``(row number, headings, shape, matches, complete)``; when no row is complete
    the row matching the most fields is returned for the error message.
    """
    best: tuple[int, int, list[str], str, list[ColumnMatch]] | None = None
    for number, headings in rows:
        for shape, required in shapes.items():
            matches = match_columns(headings, fields, required, mapping)
            found = {m.field for m in matches if m.index is not None}
            if all(f in found for f in required):
                return number, headings, shape, matches, True
            score = sum(f in found for f in required)
            if best is None or score > best[0]:
                best = (score, number, headings, shape, matches)
    if best is None:
        shape, required = next(iter(shapes.items()))
        return 1, [], shape, match_columns([], fields, required, mapping), False
    return best[1], best[2], best[3], best[4], False


def raise_missing(matches: list[ColumnMatch], headings: list[str], file: str,
                  mapping: Mapping[str, list[str]], header_row: int, note: str = "") -> None:
    """Raise the error for the required fields that were not found (all listed)."""
    missing = [m for m in matches if m.required and m.index is None]
    errors = [missing_column_error(m, headings, file, mapping, header_row) for m in missing]
    first = errors[0]
    raise InputFileError(first.message + note, file=file, row=header_row, column=first.column,
                         value=first.value, fix=first.fix, problems=errors)


# -- CSV -------------------------------------------------------------------------------------

def _open_csv(path: Path, sample: bytes, encoding: str, fields: Sequence[str],
              shapes: Mapping[str, Sequence[str]], mapping: Mapping[str, list[str]]) -> Source:
    text_lines = _sample_lines(sample, encoding)
    delimiter = _sniff_delimiter([t for _, t, _ in text_lines])
    rows = []
    for number, text, _end in text_lines:
        try:
            cells = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error:
            cells = text.split(delimiter)
        rows.append((number, [c.strip() for c in cells]))
    number, headings, shape, matches, complete = choose_header(rows, fields, shapes, mapping)
    if not complete:
        raise_missing(matches, headings, path.name, mapping, number)
    end = next(e for n, _, e in text_lines if n == number)
    source = Source(path=path, file=path.name, kind="csv", shape=shape, matches=matches,
                    headings=headings, header_row=number, encoding=encoding,
                    delimiter=delimiter, data_offset=end)
    if path.stat().st_size <= end or not _has_data(path, end):
        raise InputFileError("the file has headings but no rows of data", file=path.name,
                             row=number + 1, column=matches[0].field, value="",
                             fix="export the data again with its rows")
    return source


def _sample_lines(sample: bytes, encoding: str) -> list[tuple[int, str, int]]:
    """The first non-blank lines: (row number, text, byte offset just after the line)."""
    if encoding == "utf-16":
        text = sample.decode("utf-16", errors="replace")
        out, number = [], 0
        for line in text.splitlines():
            if line.strip():
                number += 1
                out.append((number, line, -1))
            if len(out) >= HEADER_SCAN_ROWS:
                break
        return out
    start = 3 if sample.startswith(b"\xef\xbb\xbf") else 0
    out, number, pos = [], 0, start
    for match in _NEWLINE.finditer(sample, start):
        line = sample[pos:match.start()]
        if line.strip():
            number += 1
            out.append((number, line.decode(encoding, errors="replace"), match.end()))
        pos = match.end()
        if len(out) >= HEADER_SCAN_ROWS:
            return out
    if pos < len(sample) and sample[pos:].strip() and len(sample) < SNIFF_BYTES:
        out.append((number + 1, sample[pos:].decode(encoding, errors="replace"), len(sample)))
    return out


def _sniff_delimiter(lines: list[str]) -> str:
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _has_data(path: Path, offset: int) -> bool:
    with path.open("rb") as handle:
        handle.seek(offset)
        while True:
            block = handle.read(1 << 16)
            if not block:
                return False
            if block.strip():
                return True


def short(exc: Exception) -> str:
    """The first line of an error's text, at most 200 characters."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
