"""An opened CSV or XLSX file: where its headings are and which field each column holds.

:func:`partnerkit.tables.read.open_source` checks a file and returns a :class:`Source`;
:meth:`Source.chunks` then yields :class:`Chunk` objects: the wanted columns encoded as
codes into their distinct raw values (see :mod:`.encode`) plus the file row number of
every record, so every later message can name its row. A source is a file on disk or
the bytes of an upload.

Row numbers are spreadsheet rows: the first line of the file is row 1. In a CSV file blank
lines are not counted.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from partnerkit.tables.encode import Encoded
from partnerkit.tables.headings import (
    ColumnMatch,
    HeadingMatcher,
    raise_problems,
    unused_headings,
)

SNIFF_BYTES = 1 << 16
HEADER_SCAN_ROWS = 20


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
    """An opened input file: where its headings are and which field each column holds.

    ``path`` is the file on disk, or ``None`` when ``data`` holds an upload's bytes;
    ``file`` is its name for messages; ``reader`` yields its chunks (CSV or XLSX).
    """

    path: Path | None
    file: str
    kind: str
    shape: str
    matches: list[ColumnMatch]
    headings: list[str]
    header_row: int
    reader: Callable[[Source], Iterator[Chunk]]
    data: bytes | None = None
    sheet: str | None = None
    sheet_note: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    data_offset: int = 0
    whole: bool = False
    invalid_rows: list[tuple[int, str, int, int]] | None = None

    @property
    def found(self) -> dict[str, int]:
        """Field → column index for the fields found."""
        return {m.field: m.index for m in self.matches if m.index is not None}

    @property
    def unused(self) -> list[str]:
        """The non-empty headings no field was matched to."""
        return unused_headings(self.matches, self.headings)

    def decode(self, raw: bytes) -> str:
        """Decode a raw CSV value with the file's encoding (never raises)."""
        return raw.decode(self.encoding, errors="replace")

    def open(self) -> BinaryIO:
        """The file's bytes as a binary handle (the caller closes it)."""
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")

    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.data) if self.data is not None else self.path.stat().st_size

    def chunks(self) -> Iterator[Chunk]:
        """Yield the records in file order."""
        yield from self.reader(self)


@dataclass(frozen=True)
class Wanted:
    """What a reader looks for in a file.

    ``matcher`` knows the headings; ``fields`` are the fields to look for; ``shapes`` maps a
    shape name ("marks", "totals", "directory") to its required fields (the first shape
    whose fields are all found is used); ``mapping`` is the user's ``{field: [headings]}``.
    """

    matcher: HeadingMatcher
    fields: tuple[str, ...]
    shapes: Mapping[str, tuple[str, ...]]
    mapping: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def first_field(self) -> str:
        """The first required field of the first shape (named by file-wide errors)."""
        return next(iter(next(iter(self.shapes.values()))))


def choose_header(rows: list[tuple[int, list[str]]], wanted: Wanted
                  ) -> tuple[int, list[str], str, list[ColumnMatch], bool]:
    """Pick the heading row: the first whose headings hold a shape's required fields.

    Returns ``(row number, headings, shape, matches, complete)``; when no row is complete
    the row matching the most fields is returned for the error message.
    """
    best: tuple[int, int, list[str], str, list[ColumnMatch]] | None = None
    for number, headings in rows:
        for shape, required in wanted.shapes.items():
            matches = wanted.matcher.match(headings, wanted.fields, required, wanted.mapping)
            found = {m.field for m in matches if m.index is not None}
            if all(f in found for f in required):
                return number, headings, shape, matches, True
            score = sum(f in found for f in required)
            if best is None or score > best[0]:
                best = (score, number, headings, shape, matches)
    if best is None:
        shape, required = next(iter(wanted.shapes.items()))
        return 1, [], shape, wanted.matcher.match([], wanted.fields, required,
                                                  wanted.mapping), False
    return best[1], best[2], best[3], best[4], False


def check_headings(wanted: Wanted, matches: list[ColumnMatch], headings: list[str], file: str,
                   header_row: int, note: str = "") -> None:
    """Raise every problem of a heading row at once; nothing when the row is fine.

    Problems are missing columns and, for a strict matcher, columns given twice and near
    misses.
    """
    problems = wanted.matcher.problems(matches, headings, file, wanted.mapping, header_row)
    if problems:
        raise_problems(problems, file, note)


def short(exc: Exception) -> str:
    """The first line of an error's text, at most 200 characters."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
