"""A school's export given by upload: its headings, the suggested match, and loading it whole.

The attendance page takes the export's bytes. :func:`read_headings` lists the file's
headings and the heading the one matcher suggests for each field (the user's remembered
match first, then the field's own name, then headings exports commonly use), without
refusing a file whose headings are not all known yet: the page then asks. :func:`load_export`
loads it with the headings the person chose, all or nothing: a file of the wrong type, a
file with no rows, a field with no heading chosen, one heading chosen for two fields or a
bad value in any row (a date that is not a date in row 7) is refused whole with one
:class:`~partnerkit.errors.InputFileError` naming the file, row, column and value and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from partnerkit.attendance.fields import (
    CHARACTERISTICS,
    FIELD_LABELS,
    MARKS_REQUIRED,
    MATCHER,
    TOTALS_OPTIONAL,
    TOTALS_REQUIRED,
)
from partnerkit.attendance.loader import AttendanceData, _wanted, load_attendance
from partnerkit.errors import InputFileError
from partnerkit.tables import Source, Wanted, open_source

ACCEPTED = (".csv", ".xlsx", ".xlsm")
"""The kinds of file the page takes (by the end of the name)."""

SHAPE_FIELDS = {"marks": MARKS_REQUIRED, "totals": (*TOTALS_REQUIRED, *TOTALS_OPTIONAL)}
"""The fields each kind of export holds, needed ones first."""

REQUIRED = {"marks": MARKS_REQUIRED, "totals": TOTALS_REQUIRED}
"""The fields each kind of export must have."""

OPTIONAL_FIELDS = CHARACTERISTICS
"""Pupil characteristics an export may also hold (used for the breakdowns)."""


@dataclass(frozen=True)
class ExportHeadings:
    """An uploaded export's headings and the match suggested for each field.

    ``shape`` is ``"marks"`` or ``"totals"`` (the kind whose fields were found, else the
    more likely one); ``suggested`` maps each field found to its heading; ``complete``
    says every needed field of ``shape`` has a heading.
    """

    file: str
    headings: tuple[str, ...]
    shape: str
    suggested: dict[str, str]
    complete: bool


def check_file_name(name: str) -> None:
    """Refuse a file that is not a CSV or an Excel workbook, by its name."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in ACCEPTED:
        raise InputFileError(f"this is not a CSV or Excel (.xlsx) file (it ends {suffix!r})"
                             if suffix else "this file's name has no .csv or .xlsx ending",
                             file=name or "uploaded file", value=name,
                             fix="export the attendance from your school's system as CSV "
                                 "or Excel (.xlsx) and choose that file")


def read_headings(data: bytes, name: str, columns: Mapping[str, str] | None = None
                  ) -> ExportHeadings:
    """The export's headings and the suggested match; refuses only a file it cannot read.

    A file whose headings do not name every needed field is not refused here: its
    headings are listed so the person can say which is which.
    """
    check_file_name(name)
    mapping = MATCHER.read_mapping(dict(columns or {}))
    try:
        source = open_source(data, _wanted(None, mapping), name=name)
        return _headings_of(source, complete=True)
    except InputFileError as strict:
        source = _any_headings(data, name, mapping, strict)
    return _headings_of(source, complete=False)


def _any_headings(data: bytes, name: str, mapping: Mapping[str, list[str]],
                  strict: InputFileError) -> Source:
    """Open the file needing no field: the first row holding any known heading, else row 1."""
    fields = tuple(dict.fromkeys((*MARKS_REQUIRED, *SHAPE_FIELDS["totals"],
                                  *OPTIONAL_FIELDS)))
    for shapes in ({f: (f,) for f in fields}, {"any": ()}):
        try:
            return open_source(data, Wanted(MATCHER, fields, shapes, mapping), name=name)
        except InputFileError:
            continue
    raise strict


def _headings_of(source: Source, complete: bool) -> ExportHeadings:
    suggested = {m.field: m.heading for m in source.matches if m.heading is not None}
    shape = source.shape if source.shape in REQUIRED else _likely_shape(suggested)
    return ExportHeadings(file=source.file, headings=tuple(str(h) for h in source.headings
                                                           if str(h).strip()),
                          shape=shape, suggested=suggested, complete=complete)


def _likely_shape(found: Mapping[str, str]) -> str:
    """The kind of export whose needed fields were found most (marks on a tie)."""
    score = {shape: sum(f in found for f in needed) / len(needed)
             for shape, needed in REQUIRED.items()}
    return max(score, key=lambda shape: score[shape])


def check_choices(columns: Mapping[str, str], shape: str, file: str) -> dict[str, str]:
    """The chosen ``{field: heading}`` without blanks; refuses a missing or doubled choice."""
    chosen = {f: h for f, h in columns.items() if h}
    missing = [f for f in REQUIRED[shape] if f not in chosen]
    if missing:
        labels = ", ".join(FIELD_LABELS[f] for f in missing)
        raise InputFileError(f"no heading is chosen for {labels}", file=file,
                             column=missing[0], value="not in my file",
                             fix="choose the heading of your file that holds "
                                 f"{FIELD_LABELS[missing[0]]}")
    seen: dict[str, str] = {}
    for field, heading in chosen.items():
        if heading in seen:
            raise InputFileError(f"the heading {heading!r} is chosen for both "
                                 f"{FIELD_LABELS[seen[heading]]} and {FIELD_LABELS[field]}",
                                 file=file, column=heading, value=heading,
                                 fix="choose each heading for one thing only")
        seen[heading] = field
    return chosen


def load_export(data: bytes, name: str, columns: Mapping[str, str], shape: str,
                ) -> AttendanceData:
    """Load an uploaded export whole with the headings chosen, or refuse it whole."""
    check_file_name(name)
    chosen = check_choices(columns, shape, name)
    try:
        loaded = load_attendance(data, columns=chosen, shape=shape, name=name)
    except InputFileError as exc:
        raise for_the_page(exc) from None
    if not len(loaded.totals):
        raise InputFileError("the file has headings but no rows of attendance", file=name,
                             row=loaded.reports[-1].header_row + 1, value="no rows",
                             fix="export the attendance again with the pupils and dates "
                                 "you want, and choose the new file")
    return loaded


def for_the_page(exc: InputFileError) -> InputFileError:
    """A refusal of bad rows worded for the page: no loader options, the rows listed.

    The loader's own wording (for JupyterLab and batch runs) offers ``skip_bad_rows``; the
    page loads a file whole or not at all, so it says to correct the file instead.
    """
    problems = list(getattr(exc, "problems", None) or ())
    if not problems:
        return exc
    first, more = problems[0], len(problems) - 1
    listed = f" (and {more} more problem{'s' if more > 1 else ''}, listed below)" if more else ""
    return InputFileError(f"{first.message}{listed}", file=first.file, row=first.row,
                          column=first.column, value=first.value,
                          fix=f"{first.fix}; then correct the file and choose it again",
                          problems=problems)


__all__ = ["ACCEPTED", "OPTIONAL_FIELDS", "REQUIRED", "SHAPE_FIELDS", "ExportHeadings",
           "check_choices", "check_file_name", "for_the_page", "load_export",
           "read_headings"]
