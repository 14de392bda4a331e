"""Per-opening marks: read pupil/date/session/code records into a compact grid, checking each.

The marks of a school year are held as a :class:`MarksGrid`: one row per pupil, two
columns per school day (AM, PM), one byte per cell holding the code id (0 = no mark). A
year of marks for 50,000 pupils takes 19 MB this way, and every measure (rates, bands,
monthly and termly trends) is a sum over rows or columns of the grid.

Reading checks every record: an empty pupil reference, a date that is not a date (dates
are read day first: 02/09/2024 is 2 September) or falls on a weekend, a session that is not
AM or PM, a code not in the code table, the same pupil, date and session twice, and,
when a pupils file is given, a pupil who is not in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from partnerkit.attendance.codes import CATEGORIES, CodeTable, normalise_code
from partnerkit.attendance.problems import Problems
from partnerkit.tables import Chunk, Source
from partnerkit.tables.encode import Encoded, split_pair

#: Columns of :meth:`MarksGrid.totals` (and of ``AttendanceData.totals``).
TOTALS_COLUMNS = ("pupil", "possible", "attended", "authorised", "unauthorised", "exclusion",
                  "not_counted")
#: Columns of :meth:`MarksGrid.frame`.
MARKS_COLUMNS = ("pupil", "date", "session", "code", "category")
SESSIONS = ("AM", "PM")
_SESSION_WORDS = {"AM": 0, "A": 0, "MORNING": 0, "MORN": 0, "PM": 1, "P": 1, "AFTERNOON": 1,
                  "AFT": 1}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%Y/%m/%d",
                "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_BAD = -1


@dataclass
class MarksGrid:
    """A school's per-opening marks.

    ``pupils[i]`` is the reference of grid row ``i`` (sorted by reference); ``dates[d]`` (ascending,
    ``datetime64[D]``) is the day of grid columns ``2*d`` (AM) and ``2*d + 1`` (PM);
    ``grid`` (uint8) holds code ids from ``codes`` (1-based row of ``codes.table``; 0 = no
    mark).
    """

    pupils: list[str]
    dates: np.ndarray
    grid: np.ndarray
    codes: CodeTable

    def categories(self) -> np.ndarray:
        """The grid as category numbers: 0 no mark, 1 + index in :data:`CATEGORIES`."""
        return self.codes.category_of_id[self.grid]

    def counts(self, columns: np.ndarray | None = None) -> np.ndarray:
        """Per-pupil counts of each category.

        An int64 array (pupils × 5) in :data:`CATEGORIES` order; ``columns`` picks grid
        columns (default all).
        """
        cats = self.categories() if columns is None else self.categories()[:, columns]
        out = np.zeros((cats.shape[0], len(CATEGORIES)), dtype=np.int64)
        for k in range(len(CATEGORIES)):
            out[:, k] = np.count_nonzero(cats == k + 1, axis=1)
        return out

    def totals(self) -> pd.DataFrame:
        """Per-pupil totals, columns :data:`TOTALS_COLUMNS` (float64 counts of openings).

        ``possible`` = attended + authorised + unauthorised + exclusion; ``not_counted``
        holds openings with codes left out of possible openings.
        """
        return totals_frame(self.pupils, self.counts())

    def frame(self) -> pd.DataFrame:
        """The marks as a long table, columns :data:`MARKS_COLUMNS`.

        ``pupil``, ``date`` (datetime64), ``session`` (``"AM"``/``"PM"``), ``code`` and
        ``category`` (str). Meant for small extracts (one pupil, one class); sorted by
        pupil, date, session.
        """
        rows, cols = np.nonzero(self.grid)
        ids = self.grid[rows, cols]
        table = self.codes.table
        return pd.DataFrame({
            "pupil": np.asarray(self.pupils, dtype=object)[rows],
            "date": pd.to_datetime(self.dates[cols // 2]),
            "session": np.array(SESSIONS, dtype=object)[cols % 2],
            "code": table["code"].to_numpy()[ids - 1],
            "category": table["category"].to_numpy()[ids - 1],
        }, columns=list(MARKS_COLUMNS))

    def select(self, pupils: Iterable[str]) -> MarksGrid:
        """A grid with only the given pupils (in that order; unknown references dropped)."""
        index = {p: i for i, p in enumerate(self.pupils)}
        keep = [p for p in pupils if p in index]
        return MarksGrid(keep, self.dates, self.grid[[index[p] for p in keep]], self.codes)


def totals_frame(pupils: list[str], counts: np.ndarray) -> pd.DataFrame:
    """Build the totals table from per-pupil category counts (pupils × 5)."""
    counts = counts.astype(np.float64)
    possible = counts[:, :4].sum(axis=1)
    return pd.DataFrame({
        "pupil": pd.Series(pupils, dtype=object), "possible": possible,
        "attended": counts[:, 0], "authorised": counts[:, 1], "unauthorised": counts[:, 2],
        "exclusion": counts[:, 3], "not_counted": counts[:, 4]}, columns=list(TOTALS_COLUMNS))


@dataclass
class _Lookup:
    """Distinct raw values of one column seen so far → id (or _BAD) and their text."""

    ids: dict[bytes, int] = field(default_factory=dict)
    text: dict[bytes, str] = field(default_factory=dict)

    def lut(self, uniques: list[bytes], resolve) -> np.ndarray:
        out = np.empty(len(uniques), dtype=np.int64)
        for i, raw in enumerate(uniques):
            found = self.ids.get(raw)
            if found is None:
                found = self.ids[raw] = resolve(raw)
            out[i] = found
        return out


class MarksReader:
    """Build a :class:`MarksGrid` from the chunks of a marks file, recording problems.

    ``known_pupils`` (a set of references from a separate pupils file) makes a pupil who
    is not in it a problem. ``extra`` lists characteristic fields that are columns of the
    marks file itself; their first value per pupil is kept (see :meth:`extra_frame`).
    """

    def __init__(self, source: Source, codes: CodeTable, problems: Problems,
                 known_pupils: set[str] | None = None, extra: Iterable[str] = ()) -> None:
        self.source = source
        self.codes = codes
        self.problems = problems
        self.known = known_pupils
        self.heading = {m.field: m.heading for m in source.matches if m.heading}
        self.pupil_ids: dict[str, int] = {}
        self.date_ids: dict[dt.date, int] = {}
        self.lookups = {f: _Lookup() for f in ("pupil", "date", "session", "code")}
        self.grid = np.zeros((1024, 2 * 256), dtype=np.uint8)
        self.extra = list(extra)
        self.extra_text: dict[str, list[str]] = {f: [] for f in self.extra}
        self.extra_ids: dict[str, dict[bytes, int]] = {f: {} for f in self.extra}
        self.extra_of_pupil = {f: np.full(1024, -1, dtype=np.int64) for f in self.extra}
        self.first_row = np.zeros(1024, dtype=np.int64)
        self.rows_read = 0
        self.rows_loaded = 0

    # -- resolving distinct values ------------------------------------------------------

    def _pupil(self, raw: bytes) -> int:
        ref = self.source.decode(raw).strip()
        if not ref or (self.known is not None and ref not in self.known):
            return _BAD
        return self.pupil_ids.setdefault(ref, len(self.pupil_ids))

    def _date(self, raw: bytes) -> int:
        day = parse_date(self.source.decode(raw))
        if day is None or day.weekday() >= 5 or not 2000 <= day.year <= 2099:
            return _BAD
        return self.date_ids.setdefault(day, len(self.date_ids))

    def _session(self, raw: bytes) -> int:
        key = self.source.decode(raw).strip().upper().replace(".", "")
        return _SESSION_WORDS.get(key, _BAD)

    def _code(self, raw: bytes) -> int:
        return self.codes.lookup.get(normalise_code(self.source.decode(raw)), _BAD)

    # -- reading ----------------------------------------------------------------------

    def read(self, chunks: Iterable[Chunk]) -> MarksGrid:
        """Read every chunk and return the grid (bad records are left out)."""
        for chunk in chunks:
            self.add(chunk)
        return self.finish()

    def add(self, chunk: Chunk) -> None:
        """Check one chunk and write its good records into the grid."""
        self.rows_read += len(chunk)
        pupil = self._ids("pupil", chunk.columns["pupil"], chunk.rows, self._pupil)
        code = self._ids("code", chunk.columns["code"], chunk.rows, self._code)
        if "date+session" in chunk.columns:
            column = self._pair_columns(chunk.columns["date+session"], chunk.rows)
        else:
            column = self._ids("date", chunk.columns["date"], chunk.rows, self._date) * 2
            session = self._ids("session", chunk.columns["session"], chunk.rows,
                                self._session)
            column = np.where((column < 0) | (session < 0), _BAD, column + session)
        ids = {"pupil": pupil, "code": code, "column": column}
        if (pupil < 0).any() or (code < 0).any() or (column < 0).any():
            good = (pupil >= 0) & (code >= 0) & (column >= 0)
            ids = {k: v[good] for k, v in ids.items()}
            rows, keep = chunk.rows[good], np.flatnonzero(good)
        else:
            rows, keep = chunk.rows, None
        self._store(ids, rows, chunk, keep)

    def _ids(self, name: str, encoded: Encoded, rows: np.ndarray, resolve) -> np.ndarray:
        """Each record's id for one column (negative when bad; bad values are reported)."""
        lut = self.lookups[name].lut(encoded.uniques, resolve)
        ids = lut[encoded.codes]
        if (lut < 0).any():
            wrong = ids < 0
            self._report(name, rows[wrong], encoded.codes[wrong], encoded.uniques)
        return ids

    def _pair_columns(self, pair: Encoded, rows: np.ndarray) -> np.ndarray:
        """Grid columns from a combined date-and-session column.

        See :class:`~partnerkit.tables.encode.PairEncoded`; bad dates and sessions are
        reported against their own columns.
        """
        dates, sessions, date_of, session_of = split_pair(pair)
        date_lut = self.lookups["date"].lut(dates, self._date)
        session_lut = self.lookups["session"].lut(sessions, self._session)
        column_lut = date_lut[date_of] * 2 + session_lut[session_of]
        column_lut[(date_lut[date_of] < 0) | (session_lut[session_of] < 0)] = _BAD
        columns = column_lut[pair.codes]
        if (column_lut < 0).any():
            self._ids("date", Encoded(date_of[pair.codes], dates), rows, self._date)
            self._ids("session", Encoded(session_of[pair.codes], sessions), rows,
                      self._session)
        return columns

    def _store(self, ids: dict[str, np.ndarray], rows: np.ndarray, chunk: Chunk,
               keep: np.ndarray | None) -> None:
        pupil, code, column = ids["pupil"], ids["code"].astype(np.uint8), ids["column"]
        if not pupil.size:
            return
        self._grow(len(self.pupil_ids), 2 * len(self.date_ids))
        width = self.grid.shape[1]
        flat = pupil * width
        flat += column
        dup = self.grid.ravel()[flat] != 0
        if not (flat[1:] > flat[:-1]).all():
            order = np.argsort(flat, kind="stable")
            repeat = np.zeros(flat.size, dtype=bool)
            repeat[order[1:]] = flat[order[1:]] == flat[order[:-1]]
            dup |= repeat
        if dup.any():
            self._report_duplicates(pupil[dup], column[dup], rows[dup])
            ok = ~dup
            pupil, column, code, rows, flat = pupil[ok], column[ok], code[ok], rows[ok], flat[ok]
            keep = (keep if keep is not None else np.arange(len(chunk)))[ok]
        self.grid.ravel()[flat] = code
        self.rows_loaded += pupil.size
        if self.extra:
            new = self.first_row[pupil] == 0
            self.first_row[pupil[new]] = rows[new]
        for name in self.extra:
            self._store_extra(name, chunk, pupil, keep)

    def _store_extra(self, name: str, chunk: Chunk, pupil: np.ndarray,
                     keep: np.ndarray | None) -> None:
        codes, uniques = chunk.columns[name].codes, chunk.columns[name].uniques
        table = self.extra_ids[name]
        lut = np.empty(len(uniques), dtype=np.int64)
        for i, raw in enumerate(uniques):
            if raw not in table:
                table[raw] = len(self.extra_text[name])
                self.extra_text[name].append(self.source.decode(raw).strip())
            lut[i] = table[raw]
        values = lut[codes if keep is None else codes[keep]]
        current = self.extra_of_pupil[name]
        unset = current[pupil] < 0
        current[pupil[unset]] = values[unset]

    def _grow(self, rows: int, columns: int) -> None:
        have_rows, have_cols = self.grid.shape
        if rows <= have_rows and columns <= have_cols:
            return
        new_rows = max(have_rows, _capacity(rows))
        new_cols = max(have_cols, _capacity(columns))
        grid = np.zeros((new_rows, new_cols), dtype=np.uint8)
        grid[:have_rows, :have_cols] = self.grid
        self.grid = grid
        if new_rows > have_rows:
            self.first_row = _extend(self.first_row, new_rows, 0)
            for name in self.extra:
                self.extra_of_pupil[name] = _extend(self.extra_of_pupil[name], new_rows, -1)

    def finish(self) -> MarksGrid:
        """The grid of good records: pupils sorted by reference, days in date order."""
        days = sorted(self.date_ids)
        order = np.array([self.date_ids[d] for d in days], dtype=np.int64)
        columns = np.stack([order * 2, order * 2 + 1], axis=1).ravel()
        refs = np.array(list(self.pupil_ids), dtype=object)
        rows = np.argsort(refs, kind="stable") if refs.size else np.empty(0, dtype=np.int64)
        grid = self.grid[np.ix_(rows, columns)]
        dates = np.array(days, dtype="datetime64[D]")
        return MarksGrid(refs[rows].tolist(), dates, grid, self.codes)

    def extra_frame(self) -> tuple[pd.DataFrame, np.ndarray]:
        """Characteristics found in the marks file.

        One row per pupil (text), plus the file row where each pupil first appears.
        """
        n = len(self.pupil_ids)
        out = pd.DataFrame({"pupil": list(self.pupil_ids)})
        for name in self.extra:
            text = np.array([*self.extra_text[name], ""], dtype=object)
            out[name] = text[self.extra_of_pupil[name][:n]]
        return out, self.first_row[:n].copy()

    # -- problems --------------------------------------------------------------------

    def _report(self, name: str, rows: np.ndarray, codes: np.ndarray,
                uniques: list[bytes]) -> None:
        heading = self.heading.get(name, name)
        texts = np.array([self.source.decode(u).strip() for u in uniques], dtype=object)
        present = np.unique(codes)
        kinds = np.full(len(uniques), "", dtype=object)
        kinds[present] = [_kind(name, t) for t in texts[present]]
        row_kinds = kinds[codes]
        for kind in sorted(set(kinds[present])):
            mask = row_kinds == kind
            message, fix = _MESSAGES[kind]
            self.problems.add_many(rows[mask], texts[codes[mask]], column=heading,
                                   message=message, fix=fix)

    def _report_duplicates(self, pupil: np.ndarray, column: np.ndarray,
                           rows: np.ndarray) -> None:
        refs = list(self.pupil_ids)
        by_id = {i: d for d, i in self.date_ids.items()}
        values = [f"{refs[p]} {by_id[c // 2].isoformat()} {SESSIONS[c % 2]}"
                  for p, c in zip(pupil.tolist(), column.tolist(), strict=True)]
        self.problems.add_many(rows, values, column=self.heading.get("session", "session"),
                               message="a second mark for the same pupil, date and session "
                                       "({value})",
                               fix="keep one mark per pupil per half-day opening")


def _capacity(needed: int) -> int:
    size = 256
    while size < needed:
        size *= 2
    return size


def _extend(values: np.ndarray, size: int, fill: int) -> np.ndarray:
    out = np.full(size, fill, dtype=values.dtype)
    out[:values.size] = values
    return out


def parse_date(text: str) -> dt.date | None:
    """Read a date written day first; ``None`` when it is not a date.

    ``2024-09-02``, ``02/09/2024`` and ``2 Sep 2024`` are read; a time of midnight after
    the date is allowed.
    """
    value = text.strip()
    for suffix in (" 00:00:00", " 00:00", "T00:00:00"):
        value = value.removesuffix(suffix)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


_MESSAGES = {
    "pupil_empty": ("the pupil reference is empty",
                    "fill in the pupil reference or delete the row"),
    "pupil_unknown": ("pupil {value} is not in the pupils file",
                      "add the pupil to the pupils file, or check the reference"),
    "date_bad": ("{value} is not a date",
                 "write dates as YYYY-MM-DD or DD/MM/YYYY"),
    "date_weekend": ("{value} falls on a weekend, when schools have no openings",
                     "check the date; a weekend mark is usually a typing slip"),
    "date_range": ("{value} is not a school date between 2000 and 2099",
                   "check the year"),
    "session_bad": ("session {value} is not AM or PM",
                    "write AM or PM for each half-day opening"),
    "code_empty": ("there is no attendance code", "fill in the code for this opening"),
    "code_unknown": ("code {value} is not in the code table",
                     "add the code to your code table (codes=) or correct the mark"),
}


def _kind(name: str, text: str) -> str:
    """Which problem a bad distinct value has (see ``_MESSAGES``)."""
    if name in ("pupil", "code"):
        return f"{name}_empty" if text == "" else f"{name}_unknown"
    if name == "session":
        return "session_bad"
    day = parse_date(text)
    if day is None:
        return "date_bad"
    if day.weekday() >= 5:
        return "date_weekend"
    return "date_range"
