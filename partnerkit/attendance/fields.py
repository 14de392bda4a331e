"""The fields partnerkit reads from an attendance export and the headings exports use for them.

A school's export names its columns in its own way ("Pupil Ref", "SCN", "Att Code"). Each
heading is matched to a field by :data:`MATCHER` (the one heading matcher of
:mod:`partnerkit.tables`) in this order: a mapping the user gave (``columns=``), the
field's own name, then a list of headings MIS exports commonly use. Headings are compared
ignoring case, spaces and punctuation.

A mapping is a dict ``{field: heading}`` (a heading may also be a list of headings, any of
which will do), the reverse ``{heading: field}``, or a small file: a CSV with columns
``field,heading`` or a YAML mapping. In the workbook it is the ``columns`` setting.
:func:`write_column_map` writes a mapping as that CSV, which :func:`read_column_map`
reads back unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from partnerkit.reports import write_csv
from partnerkit.tables import ColumnMatch, HeadingMatcher

__all__ = ["CHARACTERISTICS", "FIELD_LABELS", "MARKS_REQUIRED", "MATCHER", "TOTALS_OPTIONAL",
           "TOTALS_REQUIRED", "ColumnMatch", "read_column_map", "write_column_map"]

#: What each field is, in plain words, for messages and the loader report.
FIELD_LABELS: dict[str, str] = {
    "pupil": "pupil reference",
    "date": "date of the opening",
    "session": "session (AM or PM)",
    "code": "attendance code",
    "possible": "possible openings",
    "attended": "openings attended",
    "authorised": "authorised absence (openings)",
    "unauthorised": "unauthorised absence (openings)",
    "exclusion": "exclusion (openings)",
    "stage": "stage",
    "class": "class",
    "sex": "sex",
    "simd_decile": "SIMD decile",
    "simd_quintile": "SIMD quintile",
    "fsm": "free school meals",
    "asn": "additional support needs",
    "care_experienced": "care experienced",
    "eal": "English as an additional language",
    "ethnicity": "ethnicity",
}

MARKS_REQUIRED = ("pupil", "date", "session", "code")
TOTALS_REQUIRED = ("pupil", "possible", "attended")
TOTALS_OPTIONAL = ("authorised", "unauthorised", "exclusion")
CHARACTERISTICS = ("stage", "class", "sex", "simd_decile", "simd_quintile", "fsm", "asn",
                   "care_experienced", "eal", "ethnicity")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "pupil": ("Pupil Ref", "Pupil Reference", "Pupil ID", "Pupil Code", "Pupil No",
              "Pupil Number", "Ref", "Reference", "Pseudonym", "Learner ID", "Learner Ref",
              "Student ID", "SCN", "Scottish Candidate Number", "Candidate Number"),
    "date": ("Attendance Date", "Opening Date", "Mark Date", "Day"),
    "session": ("AM/PM", "Half Day", "AM or PM", "Session AM/PM"),
    "code": ("Attendance Code", "Absence Code", "Attendance/Absence Code", "Reason Code",
             "Attendance Reason Code", "Attendance Reason", "Mark", "Mark Code", "Att Code"),
    "possible": ("Possible Openings", "Possible Half Days", "Half Days Possible", "Openings",
                 "Possible Sessions", "Possible Attendance", "Total Openings"),
    "attended": ("Attendance", "Attendances", "Attended Openings", "Attended Half Days",
                 "Half Days Attended", "Present", "Openings Attended"),
    "authorised": ("Authorised Absence", "Authorized", "Authorized Absence", "Auth Abs",
                   "Authorised Absences"),
    "unauthorised": ("Unauthorised Absence", "Unauthorized", "Unauthorized Absence",
                     "Unauth Abs", "Unauthorised Absences"),
    "exclusion": ("Exclusions", "Excluded", "Temporary Exclusion", "Exclusion Openings"),
    "stage": ("Year Group", "Year", "Stage Name"),
    "class": ("Registration Class", "Reg Class", "Class Name", "Registration Group", "Form"),
    "sex": ("Gender",),
    "simd_decile": ("SIMD Decile", "SIMD 2020 Decile", "Decile", "SIMD 2020v2 Decile"),
    "simd_quintile": ("SIMD Quintile", "SIMD 2020 Quintile", "Quintile", "SIMD",
                      "SIMD 2020v2 Quintile"),
    "fsm": ("Free School Meals", "FSM Registered", "Free Meals", "Free School Meal"),
    "asn": ("Additional Support Needs", "Additional Support Need", "ASN Recorded"),
    "care_experienced": ("Care Experienced", "Care Experience", "Looked After", "LAC",
                         "Care Exp", "Looked After Child"),
    "eal": ("English as an Additional Language", "English Additional Language"),
    "ethnicity": ("Ethnic Background", "Ethnic Group", "Ethnic Origin"),
}
"""Headings MIS exports commonly use for each field (compared without case, spaces or
punctuation, so "Pupil Ref", "PUPIL_REF" and "pupilref" are one heading)."""


MATCHER = HeadingMatcher(
    FIELD_LABELS, _SYNONYMS,
    fix_missing="rename the file's heading to {field!r} or one the workbook knows ({names}), "
                "or tell the workbook which heading holds it with its columns setting: "
                "columns={{'{field}': 'Your heading'}} (also a CSV file with the headings "
                "field,heading, or a YAML file)")
"""The attendance exports' heading matcher (see :mod:`partnerkit.tables.headings`)."""


def read_column_map(columns: Mapping[str, object] | str | Path | None) -> dict[str, list[str]]:
    """Turn a mapping (dict, or a CSV/YAML file) into ``{field: [headings]}``.

    Raises :class:`~partnerkit.errors.InputFileError` naming the file, row and value for a
    mapping that names no known field.
    """
    return MATCHER.read_mapping(columns)


def write_column_map(columns: Mapping[str, object] | str | Path,
                     path: str | os.PathLike[str]) -> Path:
    """Write a mapping as a CSV with the headings ``field,heading`` (owner-only).

    One row per heading, in order; :func:`read_column_map` reads the file back to the same
    ``{field: [headings]}``, whatever the headings hold (commas, quotes, line breaks,
    formula-like starts). Raises :class:`~partnerkit.errors.InputFileError` for an entry
    that names no known field, before anything is written.
    """
    mapping = read_column_map(columns)
    return write_csv(path, [[name, heading] for name, headings in mapping.items()
                            for heading in headings], columns=["field", "heading"])
