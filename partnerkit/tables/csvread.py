"""Read a CSV file: find its encoding, separator and heading row, then its records fast.

The file is read as standard CSV (RFC 4180: comma, double quotes) unless no row of that
reading holds the headings; only then is ``;``, tab or ``|`` tried. The quote character
is always ``"``: a value starting with ``'`` (the spreadsheet guard partnerkit writes)
never makes the file look like another dialect.

The file is read in pieces of :data:`CSV_SLICE_BYTES` that end at a line break. While
this thread stores one piece, a worker thread reads and encodes the next. A piece whose
lines all have one length with their separators in the same places (how MIS exports are
usually written) is read straight from its bytes; any other piece is parsed by pyarrow
(quotes, ragged rows, blank lines), whose rows with the wrong number of cells are kept
aside as problems with their row numbers. A small table read ``whole`` (a directory, a
pupils file) is parsed in one piece, so a quoted value may hold line breaks.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from partnerkit.errors import InputFileError
from partnerkit.tables.encode import (
    PADDING,
    Encoded,
    FixedField,
    PairEncoded,
    factorize,
    factorize_fixed,
)
from partnerkit.tables.source import (
    HEADER_SCAN_ROWS,
    SNIFF_BYTES,
    Chunk,
    Source,
    Wanted,
    check_headings,
    choose_header,
    short,
)

#: Bytes of CSV read and encoded per step.
CSV_SLICE_BYTES = 16 << 20
#: Separators tried in order: the standard comma first, then those some spreadsheets use.
DELIMITERS = (",", ";", "\t", "|")
BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(rb"\r\n|\n|\r")


def open_csv(path: Path | None, data: bytes | None, file: str, sample: bytes, encoding: str,
             wanted: Wanted, whole: bool = False) -> Source:
    """Find the separator and heading row of a CSV file and match its headings.

    The file is first read as standard CSV (RFC 4180: comma, double quotes). Only when no
    row of that reading holds the headings is another separator tried (``;``, tab, ``|``,
    as some spreadsheets export); the quote character is always ``"``. So a file
    partnerkit wrote is never taken for another dialect, whatever its values hold.
    Raises :class:`InputFileError` for missing columns (every one listed) and for a file
    with headings but no rows.
    """
    text_lines = _sample_lines(sample, encoding)
    delimiter, (number, headings, shape, matches, _complete) = _heading_row(text_lines, wanted)
    check_headings(wanted, matches, headings, file, number)
    end = next(e for n, _, e in text_lines if n == number)
    source = Source(path=path, data=data, file=file, kind="csv", shape=shape, matches=matches,
                    headings=headings, header_row=number, reader=csv_chunks,
                    encoding=encoding, delimiter=delimiter, data_offset=end, whole=whole)
    if not _has_data(source, end):
        raise InputFileError("the file has headings but no rows of data", file=file,
                             row=number + 1, column=matches[0].field, value="",
                             fix="export the data again with its rows")
    return source


def _heading_row(text_lines: list[tuple[int, str, int]], wanted: Wanted) -> tuple[str, tuple]:
    """``(separator, choose_header(...))``: comma first, another only when comma fails.

    When no separator finds every heading, the one most used in the first lines is kept,
    so the message lists the headings as the file has them.
    """
    texts = [t for _, t, _ in text_lines]
    for delimiter in DELIMITERS:
        chosen = choose_header(_split_lines(text_lines, delimiter), wanted)
        if chosen[4]:
            return delimiter, chosen
    delimiter = _most_used_delimiter(texts)
    return delimiter, choose_header(_split_lines(text_lines, delimiter), wanted)


def _split_lines(text_lines: list[tuple[int, str, int]], delimiter: str
                 ) -> list[tuple[int, list[str]]]:
    """The sample lines as cells, with ``"`` as the one quote character."""
    rows = []
    for number, text, _end in text_lines:
        try:
            cells = next(csv.reader([text], delimiter=delimiter, quotechar='"',
                                    doublequote=True), [])
        except csv.Error:
            cells = text.split(delimiter)
        rows.append((number, [c.strip() for c in cells]))
    return rows


def csv_chunks(source: Source) -> Iterator[Chunk]:
    """Yield the records of a CSV source in file order."""
    if source.encoding == "utf-16":
        yield from _csv_chunks_transcoded(source)
        return
    names = [f"c{i}" for i in range(len(source.headings))]
    include = [names[i] for i in source.found.values()]
    read_options = pacsv.ReadOptions(column_names=names, block_size=1 << 22)
    convert_options = pacsv.ConvertOptions(
        column_types={n: pa.binary() for n in include}, include_columns=include)
    next_row = source.header_row + 1
    source.invalid_rows = []
    with ThreadPoolExecutor(max_workers=1) as pool, source.open() as handle:
        handle.seek(source.data_offset)
        reader = _PieceReader(handle, source.size() + 1 if source.whole else None)

        def work():
            # runs on the one worker thread, so pieces are read and encoded in order
            piece = reader.next()
            if piece is None:
                return None
            return _encode_piece(piece, source, names, read_options, convert_options)

        # the worker reads and encodes the next piece while this thread stores one
        pending = pool.submit(work)
        while (result := pending.result()) is not None:
            pending = pool.submit(work)
            columns, count, invalid = result
            rows = _row_numbers(count, invalid, next_row)
            source.invalid_rows.extend(
                (next_row + number - 1, text, exp, act) for number, text, exp, act in invalid)
            next_row += count + len(invalid)
            if count:
                yield Chunk(columns, rows)


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
    start = 3 if sample.startswith(BOM) else 0
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


def _most_used_delimiter(lines: list[str]) -> str:
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _has_data(source: Source, offset: int) -> bool:
    if offset < 0:
        return True
    with source.open() as handle:
        handle.seek(offset)
        while True:
            block = handle.read(1 << 16)
            if not block:
                return False
            if block.strip():
                return True


class _PieceReader:
    """Read a file in pieces that end at a line break, into one reused buffer.

    A piece is a view of the buffer and stays valid until the next call to :meth:`next`;
    :data:`PADDING` bytes after it can always be read.
    """

    def __init__(self, handle, size: int | None = None) -> None:
        self.handle = handle
        self.buf = np.zeros((size or CSV_SLICE_BYTES) + PADDING, dtype=np.uint8)
        self.start = self.end = 0
        self.eof = False

    def next(self) -> np.ndarray | None:
        """The next piece, or ``None`` at the end of the file."""
        carried = self.end - self.start
        if carried:
            self.buf[:carried] = self.buf[self.start:self.end].copy()
        self.start, self.end = 0, carried
        while True:
            capacity = self.buf.size - PADDING
            if not self.eof and self.end < capacity:
                got = self.handle.readinto(memoryview(self.buf)[self.end:capacity])
                self.eof = not got
                self.end += got or 0
            if self.end == 0:
                return None
            cut = self.end if self.eof else _last_line_end(self.buf[:self.end])
            if cut:
                self.start = cut
                return self.buf[:cut]
            grown = np.zeros(2 * self.buf.size, dtype=np.uint8)
            grown[:self.end] = self.buf[:self.end]
            self.buf = grown


def _last_line_end(data: np.ndarray) -> int:
    """Position just after the last line break in ``data`` (0 when there is none)."""
    step = 1 << 16
    stop = data.size
    while stop > 0:
        window = data[max(0, stop - step):stop]
        hits = np.flatnonzero((window == 10) | (window == 13))
        if hits.size:
            return max(0, stop - step) + int(hits[-1]) + 1
        stop -= step
    return 0


def _encode_piece(piece: np.ndarray, source: Source, names: list[str], read_options,
                  convert_options) -> tuple[dict[str, Encoded], int, list]:
    """Encode the wanted columns of one piece: ``(columns, records, invalid rows)``."""
    fixed = _fixed_width_fields(piece, source)
    if fixed is not None:
        columns = _encode_fixed(fixed[0])
        if not _has_structural_bytes(columns, source.delimiter.encode()):
            return columns, fixed[1], []
    table, invalid = _parse_piece(piece, source, read_options, convert_options)
    if not table.num_rows:
        return {}, 0, invalid
    table = table.combine_chunks()
    columns = {field: factorize(table.column(names[i]).chunk(0))
               for field, i in source.found.items()}
    return columns, table.num_rows, invalid


def _has_structural_bytes(columns: dict[str, Encoded], delimiter: bytes) -> bool:
    """Whether a value holds a quote, a line break or a separator.

    Then the piece was not really fixed-width and must be parsed as CSV.
    """
    for encoded in columns.values():
        width = encoded.width if isinstance(encoded, PairEncoded) else None
        for value in encoded.uniques:
            parts = (value,) if width is None else (value[:width], value[width + 1:])
            if any(b in part for part in parts for b in (b'"', b"\n", b"\r", delimiter)):
                return True
    return False


def _encode_fixed(fields: dict[str, FixedField]) -> dict[str, Encoded]:
    """Encode fixed-width fields.

    A date directly followed by its session (the usual layout) is encoded as one
    ``date+session`` column, which halves the work for those two columns.
    """
    date, session = fields.get("date"), fields.get("session")
    if date is not None and session is not None and \
            session.offset == date.offset + date.width + 1 and date.width + session.width < 16:
        pair = FixedField(date.buf, date.offset, date.width + 1 + session.width, date.stride,
                          date.n)
        encoded = factorize_fixed(pair)
        fields = {k: v for k, v in fields.items() if k not in ("date", "session")}
        columns = {k: factorize_fixed(v) for k, v in fields.items()}
        columns["date+session"] = PairEncoded(encoded.codes, encoded.uniques, date.width)
        return columns
    return {field: factorize_fixed(values) for field, values in fields.items()}


def _fixed_width_fields(piece: np.ndarray, source: Source
                        ) -> tuple[dict[str, FixedField], int] | None:
    """Read a piece of same-length lines straight from its bytes, without parsing.

    Lines of one length with their separators in the same places are the usual shape of
    an MIS export.

    ``piece`` is a view of a buffer with :data:`PADDING` readable bytes after it. Returns
    ``(fields, records)``, or ``None`` when the piece is not like that (quotes, blank
    lines, values of different widths); it is then parsed as CSV.
    """
    head = piece[:1 << 16].tobytes()
    length = head.find(b"\n") + 1
    if length <= 1 or piece.size % length or source.encoding not in ("utf-8", "cp1252"):
        return None
    line = head[:length]
    if b'"' in line:
        return None
    ending = 2 if line.endswith(b"\r\n") else 1
    if b"\r" in line[:length - ending]:
        return None
    delimiter = source.delimiter.encode()[0]
    positions = [i for i, b in enumerate(line[:length - ending]) if b == delimiter]
    if len(positions) != len(source.headings) - 1:
        return None
    n = piece.size // length
    checks = [(length - 1, 10)] + ([(length - 2, 13)] if ending == 2 else []) + \
        [(p, delimiter) for p in positions]
    for position, byte in checks:
        if not (piece[position::length] == byte).all():
            return None
    buf = _padded(piece)
    starts = [0] + [p + 1 for p in positions]
    ends = positions + [length - ending]
    wanted = set(source.found.values())
    structural = np.frombuffer(b'"\n\r' + bytes([delimiter]), dtype=np.uint8)
    for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
        if index in wanted or end == start:
            continue
        other = FixedField(buf, start, end - start, length, n).matrix()
        if np.isin(other, structural).any():
            return None
    fields = {field: FixedField(buf, starts[i], ends[i] - starts[i], length, n)
              for field, i in source.found.items()}
    return fields, n


def _padded(piece: np.ndarray) -> np.ndarray:
    """A buffer starting with ``piece`` and at least PADDING bytes longer.

    No copy is made when the piece is the start of a larger buffer, as the pieces of a
    _PieceReader are.
    """
    base = piece.base
    if isinstance(base, np.ndarray) and base.ndim == 1 and base.dtype == np.uint8 and \
            base.size >= piece.size + PADDING and \
            base.__array_interface__["data"][0] == piece.__array_interface__["data"][0]:
        return base
    out = np.zeros(piece.size + PADDING, dtype=np.uint8)
    out[:piece.size] = piece
    return out


def _parse_piece(piece: bytes, source: Source, read_options, convert_options):
    invalid: list[tuple[int, str, int, int]] = []

    def handler(row) -> str:
        invalid.append((row.number or 0, row.text, row.expected_columns, row.actual_columns))
        return "skip"

    parse_options = pacsv.ParseOptions(delimiter=source.delimiter, quote_char='"',
                                       double_quote=True, invalid_row_handler=handler,
                                       newlines_in_values=source.whole)
    if bytes(piece[:3]) == BOM:
        # pyarrow drops a byte-order mark at the start of what it reads; here it begins a
        # value. A blank line before it keeps it (blank lines are not counted as rows).
        piece = b"\n" + bytes(piece)
    try:
        table = pacsv.read_csv(pa.py_buffer(piece), read_options=read_options,
                               parse_options=parse_options, convert_options=convert_options)
        if invalid and not all(number for number, *_ in invalid):
            # pyarrow numbers bad rows only when it parses on one thread: parse again
            invalid.clear()
            single = pacsv.ReadOptions(column_names=read_options.column_names,
                                       block_size=read_options.block_size, use_threads=False)
            table = pacsv.read_csv(pa.py_buffer(piece), read_options=single,
                                   parse_options=parse_options,
                                   convert_options=convert_options)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InputFileError(f"the file cannot be read as CSV ({short(exc)})",
                             file=source.file, row=source.header_row + 1,
                             column=source.matches[0].field, value=short(exc),
                             fix="open the file in a spreadsheet program and save it again "
                                 "as CSV") from None
    return table, invalid


def _row_numbers(count: int, invalid: list[tuple[int, str, int, int]], first: int) -> np.ndarray:
    """File row numbers of the ``count`` good records of a piece starting at row ``first``."""
    rows = np.arange(first, first + count, dtype=np.int64)
    if invalid:
        skipped = np.sort(np.array([n for n, *_ in invalid], dtype=np.int64)) - 1
        shift = skipped - np.arange(skipped.size)
        rows += np.searchsorted(shift, np.arange(count), side="right")
    return rows


def _csv_chunks_transcoded(source: Source) -> Iterator[Chunk]:
    wanted = source.found
    source.encoding = "utf-8"
    with source.open() as handle:
        text = handle.read().decode("utf-16", errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    records = list(csv.reader(lines[source.header_row:], delimiter=source.delimiter))
    rows = np.arange(source.header_row + 1, source.header_row + 1 + len(records))
    source.invalid_rows = []
    keep = []
    for number, record in zip(rows, records, strict=True):
        if len(record) != len(source.headings):
            source.invalid_rows.append((int(number), source.delimiter.join(record),
                                        len(source.headings), len(record)))
        else:
            keep.append((number, record))
    yield Chunk({f: factorize(pa.array([r[i].encode("utf-8") for _, r in keep],
                                       type=pa.binary()))
                 for f, i in wanted.items()},
                np.array([n for n, _ in keep], dtype=np.int64))
