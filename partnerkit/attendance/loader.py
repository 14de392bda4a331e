"""Load a school's or an authority's attendance export and its pupils file in one call.

:func:`load_attendance` works out whether the export holds per-pupil totals or per-opening
marks from its headings, checks every row, joins pupil characteristics (from the same file
or a second one) and returns :class:`AttendanceData`. By default a file with any problem is
refused whole, with an :class:`~partnerkit.errors.InputFileError` naming the file, row,
column and value and saying how to fix it; ``skip_bad_rows=True`` loads the other rows and
lists every row skipped in the report.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from partnerkit.attendance.codes import CodeTable, load_codes
from partnerkit.attendance.fields import (
    CHARACTERISTICS,
    FIELD_LABELS,
    MARKS_REQUIRED,
    MATCHER,
    TOTALS_OPTIONAL,
    TOTALS_REQUIRED,
    read_column_map,
)
from partnerkit.attendance.marks import MarksGrid, MarksReader
from partnerkit.attendance.problems import SKIPPED_COLUMNS, Problems
from partnerkit.attendance.pupils import (
    NOT_RECORDED,
    PUPIL_COLUMNS,
    SIMD_BASES,
    normalise_characteristics,
    unrecorded_pupils,
)
from partnerkit.attendance.totals import check_pupil_column, read_totals, totals_notes
from partnerkit.errors import InputFileError
from partnerkit.tables import ColumnMatch, Source, Wanted, open_source, read_text

PathLike = str | os.PathLike[str]
#: Columns of :meth:`LoadReport.columns` and :meth:`AttendanceData.report`.
REPORT_COLUMNS = ("file", "field", "meaning", "required", "heading", "how")
_MARKS_FIELDS = (*MARKS_REQUIRED, *CHARACTERISTICS)
_TOTALS_FIELDS = (*TOTALS_REQUIRED, *TOTALS_OPTIONAL, *CHARACTERISTICS)


@dataclass
class LoadReport:
    """What the loader did with one file.

    ``shape`` is ``"marks"``, ``"totals"`` or ``"pupils"``; ``matches`` says where each
    field was found; ``skipped`` lists every problem (columns
    :data:`~partnerkit.attendance.problems.SKIPPED_COLUMNS`) when rows were skipped;
    ``notes`` are plain-language remarks (the sheet used, columns not used, totals that do
    not add up).
    """

    file: str
    kind: str
    shape: str
    sheet: str | None
    header_row: int
    matches: list[ColumnMatch]
    unused: list[str]
    rows_read: int
    rows_loaded: int
    skipped: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def columns(self) -> pd.DataFrame:
        """The column report, columns :data:`REPORT_COLUMNS`.

        One row per field looked for (required first) and one per heading not used
        (``field`` empty, ``how`` "not used").
        """
        found = [m for m in self.matches if m.required or m.index is not None]
        rows = [{"file": self.file, "field": m.field, "meaning": FIELD_LABELS[m.field],
                 "required": m.required, "heading": m.heading or "", "how": m.how}
                for m in sorted(found, key=lambda m: not m.required)]
        rows += [{"file": self.file, "field": "", "meaning": "", "required": False,
                  "heading": h, "how": "not used"} for h in self.unused]
        return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


@dataclass
class AttendanceData:
    """Loaded attendance.

    ``totals``: one row per pupil, columns ``pupil, possible, attended, authorised,
    unauthorised, exclusion, not_counted`` (counts of half-day openings, float64; NaN where
    a totals file does not give a count). ``pupils``: the same pupils' characteristics,
    columns :data:`~partnerkit.attendance.pupils.PUPIL_COLUMNS`. ``marks``: the
    per-opening grid, or ``None`` for a totals file. ``reports``: one :class:`LoadReport`
    per file read.
    """

    totals: pd.DataFrame
    pupils: pd.DataFrame
    marks: MarksGrid | None
    codes: CodeTable
    reports: list[LoadReport]
    simd_basis: str = "national"

    def report(self) -> pd.DataFrame:
        """Every file's column report in one table (columns :data:`REPORT_COLUMNS`)."""
        return pd.concat([r.columns() for r in self.reports], ignore_index=True)

    def skipped(self) -> pd.DataFrame:
        """Every row skipped or value left out, in all files (columns ``SKIPPED_COLUMNS``)."""
        frames = [r.skipped for r in self.reports if len(r.skipped)]
        if not frames:
            return self.reports[0].skipped.iloc[0:0]
        return pd.concat(frames, ignore_index=True)

    def notes(self) -> list[str]:
        """Plain-language notes from every file."""
        return [f"{r.file}: {n}" for r in self.reports for n in r.notes]


def load_attendance(attendance_file: PathLike | bytes, pupils_file: PathLike | None = None, *,
                    columns: Mapping[str, object] | PathLike | None = None,
                    codes: PathLike | pd.DataFrame | CodeTable | None = None,
                    shape: str | None = None, simd_basis: str = "national",
                    skip_bad_rows: bool = False, name: str | None = None) -> AttendanceData:
    """Load an attendance export (CSV or XLSX) and, optionally, a pupils file.

    ``columns`` maps fields to the export's headings (a dict or a CSV/YAML file, see
    :mod:`partnerkit.attendance.fields`). ``codes`` replaces the default code table.
    ``shape`` forces ``"marks"`` or ``"totals"`` (default: from the headings).
    ``simd_basis`` says whether SIMD deciles/quintiles are ``"national"`` or ``"local"``.
    Raises :class:`InputFileError` for any problem unless ``skip_bad_rows`` is true, in
    which case bad rows are skipped and listed in :meth:`AttendanceData.skipped`.
    ``attendance_file`` may also be an upload's bytes, called ``name`` in messages.
    """
    _check_options(simd_basis, shape)
    mapping = read_column_map(columns)
    code_table = load_codes(codes)
    reports: list[LoadReport] = []
    characteristics = None
    if pupils_file is not None:
        characteristics, report = load_pupils(pupils_file, columns=mapping,
                                              simd_basis=simd_basis,
                                              skip_bad_rows=skip_bad_rows)
        reports.append(report)
    known = set(characteristics["pupil"]) if characteristics is not None else None
    source = open_source(attendance_file, _wanted(shape, mapping), name=name)
    problems = Problems(source.file, skip=skip_bad_rows)
    if source.shape == "marks":
        totals, own, marks, counts = _read_marks(source, code_table, problems, known,
                                                 simd_basis)
    else:
        totals, own, counts = _read_totals(source, problems, known, simd_basis)
        marks = None
    pupils = _join_pupils(totals, characteristics, own, simd_basis)
    report = _report(source, problems, *counts)
    if source.shape == "totals":
        report.notes += totals_notes(totals)
    if known is not None:
        missing = len(known - set(totals["pupil"]))
        if missing:
            report.notes.append(f"{missing} pupil(s) in the pupils file have no attendance "
                                "in this file and are not included")
    reports.append(report)
    return AttendanceData(totals=totals.reset_index(drop=True), pupils=pupils,
                          marks=marks, codes=code_table, reports=reports,
                          simd_basis=simd_basis)


def _check_options(simd_basis: str, shape: str | None) -> None:
    if simd_basis not in SIMD_BASES:
        raise InputFileError(f"simd_basis {simd_basis!r} is not national or local",
                             value=simd_basis, fix="pass simd_basis='national' or 'local'")
    if shape not in (None, "marks", "totals"):
        raise InputFileError(f"shape {shape!r} is not marks or totals", value=shape,
                             fix="pass shape='marks', shape='totals' or leave it out")


def _wanted(shape: str | None, mapping: Mapping[str, list[str]]) -> Wanted:
    """What to look for in an export: marks or totals (either, unless ``shape`` says)."""
    shapes = {"marks": MARKS_REQUIRED, "totals": TOTALS_REQUIRED}
    if shape:
        shapes = {shape: shapes[shape]}
    fields = tuple(dict.fromkeys((*(_MARKS_FIELDS if "marks" in shapes else ()),
                                  *(_TOTALS_FIELDS if "totals" in shapes else ()))))
    return Wanted(MATCHER, fields, shapes, mapping)


def load_pupils(pupils_file: PathLike, *, columns: Mapping[str, object] | PathLike | None = None,
                simd_basis: str = "national", skip_bad_rows: bool = False
                ) -> tuple[pd.DataFrame, LoadReport]:
    """Load a pupils (characteristics) file: one row per pupil, joined on ``pupil``.

    Returns the table (columns :data:`~partnerkit.attendance.pupils.PUPIL_COLUMNS`) and its
    :class:`LoadReport`. Raises :class:`InputFileError` as :func:`load_attendance` does.
    """
    mapping = read_column_map(columns)
    source = open_source(pupils_file, Wanted(MATCHER, ("pupil", *CHARACTERISTICS),
                                             {"pupils": ("pupil",)}, mapping))
    problems = Problems(source.file, skip=skip_bad_rows)
    raw, rows = read_text(source)
    headings = _headings(source)
    _invalid_rows(source, problems)
    check_pupil_column(raw, rows, problems, headings["pupil"], None)
    table = normalise_characteristics(raw, rows, problems, headings, simd_basis)
    problems.raise_if_any()
    keep = ~np.isin(rows, problems.bad_rows())
    table = table[keep].reset_index(drop=True)
    return table, _report(source, problems, len(rows), int(keep.sum()))


def _headings(source: Source) -> dict[str, str]:
    return {m.field: m.heading for m in source.matches if m.heading is not None}


def _read_marks(source: Source, codes: CodeTable, problems: Problems, known: set[str] | None,
                simd_basis: str):
    extra = [f for f in CHARACTERISTICS if f in source.found]
    reader = MarksReader(source, codes, problems, known, extra)
    grid = reader.read(source.chunks())
    _invalid_rows(source, problems)
    own = None
    if extra:
        raw, first_rows = reader.extra_frame()
        own = normalise_characteristics(raw, first_rows, problems, _headings(source),
                                        simd_basis)
    problems.raise_if_any()
    return grid.totals(), own, grid, (reader.rows_read + len(source.invalid_rows or ()),
                                      reader.rows_loaded)


def _read_totals(source: Source, problems: Problems, known: set[str] | None, simd_basis: str):
    raw, rows = read_text(source)
    headings = _headings(source)
    _invalid_rows(source, problems)
    check_pupil_column(raw, rows, problems, headings["pupil"], known)
    totals = read_totals(raw, rows, problems, headings)
    own = None
    if any(f in raw for f in CHARACTERISTICS):
        own = normalise_characteristics(raw, rows, problems, headings, simd_basis)
    problems.raise_if_any()
    keep = ~np.isin(rows, problems.bad_rows())
    totals = totals[keep]
    if own is not None:
        own = own[keep]
    return totals, own, (len(rows) + len(source.invalid_rows or ()), int(keep.sum()))


def _invalid_rows(source: Source, problems: Problems) -> None:
    for row, text, expected, actual in source.invalid_rows or ():
        problems.add(f"the row has {actual} cells but the headings have {expected}",
                     row=row, column=source.matches[0].heading or "pupil", value=text,
                     fix="check for a missing or extra separator (comma) in this row")


def _join_pupils(totals: pd.DataFrame, characteristics: pd.DataFrame | None,
                 own: pd.DataFrame | None, simd_basis: str) -> pd.DataFrame:
    """One characteristics row per pupil in ``totals``.

    A separate pupils file wins over columns of the attendance file itself.
    """
    base = unrecorded_pupils(totals["pupil"].tolist(), simd_basis).set_index("pupil")
    for table in (own, characteristics):
        if table is None:
            continue
        given = table.drop_duplicates("pupil").set_index("pupil")
        given = given.reindex(base.index)
        for column in PUPIL_COLUMNS[1:]:
            if column == "simd_basis":
                continue
            values = given[column]
            if column == "simd_quintile":
                mask = values.notna()
            else:
                mask = values.notna() & (values != NOT_RECORDED)
            base.loc[mask.to_numpy(), column] = values[mask]
    out = base.reset_index()
    out["simd_quintile"] = out["simd_quintile"].astype("Int64")
    return out[list(PUPIL_COLUMNS)]


def _report(source: Source, problems: Problems, rows_read: int, rows_loaded: int) -> LoadReport:
    used = {m.index for m in source.matches if m.index is not None}
    unused = [h for i, h in enumerate(source.headings) if i not in used and str(h).strip()]
    notes = []
    if source.sheet_note:
        notes.append(source.sheet_note)
    if source.header_row > 1:
        notes.append(f"the headings were found on row {source.header_row}; the rows above "
                     "were ignored")
    skipped = problems.frame() if problems.count else pd.DataFrame(
        {c: pd.Series(dtype="int64" if c == "row" else "object") for c in SKIPPED_COLUMNS})
    if problems.count:
        notes.append(f"{len(problems.bad_rows())} row(s) skipped and "
                     f"{problems.count} problem(s) listed in the skipped table")
    return LoadReport(file=source.file, kind=source.kind, shape=source.shape,
                      sheet=source.sheet, header_row=source.header_row,
                      matches=source.matches, unused=unused, rows_read=rows_read,
                      rows_loaded=rows_loaded, skipped=skipped, notes=notes)
