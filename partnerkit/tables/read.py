"""Open any CSV or XLSX file (a path or an upload's bytes) and read its records.

:func:`open_source` checks the file first (missing, empty, binary, an old ``.xls``, a
file named ``.xlsx`` that is not a workbook), finds the heading row in the first rows (a
title line above it is fine), picks the sheet of a workbook that holds the data and
matches the headings with the one :class:`~partnerkit.tables.headings.HeadingMatcher`.
Every problem is an :class:`~partnerkit.errors.InputFileError` naming the file, row,
column and value, and saying how to fix it.

:func:`read_text` reads a small table whole as text (a pupils file, a partner directory);
:meth:`Source.chunks` reads a large one (a year of marks) in pieces.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from partnerkit.errors import InputFileError
from partnerkit.tables.csvread import open_csv
from partnerkit.tables.source import SNIFF_BYTES, Source, Wanted
from partnerkit.tables.xlsxread import open_xlsx

PathOrBytes = str | os.PathLike[str] | bytes | bytearray | memoryview
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
BOM = b"\xef\xbb\xbf"
#: First bytes of files people pick by mistake, and what they are (for messages).
KNOWN_BINARY = ((b"%PDF", "a PDF"), (b"\x89PNG", "a PNG picture"),
                (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
                (b"\x1f\x8b", "a gzip archive"), (b"Rar!", "a RAR archive"),
                (b"7z\xbc\xaf", "a 7-Zip archive"))
KNOWN_BINARY_MAGICS = tuple(magic for magic, _ in KNOWN_BINARY)


def open_source(file: PathOrBytes, wanted: Wanted, *, name: str | None = None,
                whole: bool = False) -> Source:
    """Open ``file`` (a path, or an upload's bytes called ``name``) and match its headings.

    With ``whole`` a CSV file is parsed in one piece, so quoted values may hold line
    breaks (for small tables). Raises :class:`InputFileError` for a missing, empty,
    binary or unreadable file (naming the file, not a column: the file as a whole is
    wrong) and for columns that cannot be found.
    """
    path, data, file_name, sample = _sample(file, name)
    if not sample.removeprefix(BOM).strip():
        raise InputFileError("the file is empty: it has no headings and no rows",
                             file=file_name, value=_size(path, data),
                             fix=f"check you chose the right file; if so, export the data "
                                 f"again as CSV or XLSX, open it to see its headings and "
                                 f"rows, and choose it in place of {file_name}")
    if sample.startswith(XLSX_MAGIC) or Path(file_name).suffix.lower() in (".xlsx", ".xlsm"):
        return open_xlsx(path, data, file_name, wanted)
    if sample.startswith(OLE_MAGIC):
        raise InputFileError("this is an old Excel .xls file, which cannot be read",
                             file=file_name, value=sample[:8].hex(" "),
                             fix=f"open {file_name} in Excel and save it as .xlsx or CSV "
                                 "(File > Save As), then choose the new file")
    encoding = _sniff_encoding(sample, complete=len(sample) < SNIFF_BYTES)
    if encoding is None:
        raise InputFileError(f"this is a binary file{_kind_of(sample)}, not a CSV or XLSX "
                             "file", file=file_name, value=sample[:8].hex(" "),
                             fix=f"choose the .csv or .xlsx file in place of {file_name}, or "
                                 "export the data again as CSV or XLSX")
    return open_csv(path, data, file_name, sample, encoding, wanted, whole=whole)


def read_text(source: Source) -> tuple[pd.DataFrame, np.ndarray]:
    """Every record of ``source`` as text, one column per found field, and the row numbers."""
    parts, rows = [], []
    for chunk in source.chunks():
        parts.append(pd.DataFrame({
            field: np.array([source.decode(u) for u in encoded.uniques] or [""],
                            dtype=object)[encoded.codes]
            for field, encoded in chunk.columns.items()}))
        rows.append(chunk.rows)
    if not parts:
        return pd.DataFrame({f: pd.Series(dtype=object) for f in source.found}), \
            np.empty(0, dtype=np.int64)
    return pd.concat(parts, ignore_index=True), np.concatenate(rows)


def _sample(file: PathOrBytes, name: str | None
            ) -> tuple[Path | None, bytes | None, str, bytes]:
    """``(path, data, name for messages, first bytes)`` of a path or of bytes."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        data = bytes(file)
        return None, data, name or "uploaded file", data[:SNIFF_BYTES]
    path = Path(file)
    try:
        with path.open("rb") as handle:
            return path, None, name or path.name, handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputFileError(f"the file cannot be read ({exc.strerror})",
                             file=name or path.name, value=str(path),
                             fix="check the path and that the file is not open elsewhere") \
            from None


def _size(path: Path | None, data: bytes | None) -> str:
    """The size of a file for messages: ``"0 bytes"``."""
    size = len(data) if data is not None else path.stat().st_size
    return f"{size} byte{'s' if size != 1 else ''}"


def _kind_of(sample: bytes) -> str:
    """`` (it looks like a PDF)`` for a file type people often pick by mistake, else ``""``."""
    kind = next((k for magic, k in KNOWN_BINARY if sample.startswith(magic)), None)
    return f" (it looks like {kind})" if kind else ""


def _sniff_encoding(sample: bytes, complete: bool) -> str | None:
    """The text encoding of a file's first bytes, or ``None`` when they are not text."""
    if sample.startswith(KNOWN_BINARY_MAGICS):
        return None
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16" if _is_text(sample.decode("utf-16", errors="replace")) else None
    if b"\x00" in sample:
        return None
    head = sample.removeprefix(BOM)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if complete or exc.start < len(head) - 4:
            return "cp1252" if _is_text(head.decode("cp1252", errors="replace")) else None
    return "utf-8"


def _is_text(text: str) -> bool:
    """Whether decoded bytes read as text: few control, private-use or unknown characters.

    Random bytes decoded as UTF-16 or Windows-1252 give many of these; a CSV file
    (almost) none.
    """
    odd = sum(1 for c in text if (c < " " and c not in "\t\n\r\f") or c == "\x7f"
              or c == "\ufffd" or "\ue000" <= c <= "\uf8ff")
    return odd <= max(2, len(text) // 100)
