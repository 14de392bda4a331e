"""The fields partnerkit reads from an attendance export and the headings exports use for them.

A school's export names its columns in its own way ("Pupil Ref", "SCN", "Att Code"). Each
heading is matched to a field by :data:`MATCHER` (the one heading matcher of
:mod:`partnerkit.tables`) in this order: a mapping the user gave (``columns=``), the
field's own name, then a list of headings MIS exports commonly use. Headings are compared
ignoring case, spaces and punctuation.

A mapping is a dict ``{field: heading}`` (a heading may also be a list of headings, any of
which will do), the reverse ``{heading: field}``, or a small file: a CSV with columns
``field,heading`` or a YAML mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from partnerkit.tables import ColumnMatch, HeadingMatcher

__all__ = ["CHARACTERISTICS", "FIELD_LABELS", "MARKS_REQUIRED", "MATCHER", "TOTALS_OPTIONAL",
           "TOTALS_REQUIRED", "ColumnMatch", "read_column_map"]

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
    "pupil": ("pupilref", "pupilreference", "pupilid", "pupilcode", "pupilno", "pupilnumber",
              "ref", "reference", "pseudonym", "learnerid", "learnerref", "studentid",
              "scn", "scottishcandidatenumber", "candidatenumber"),
    "date": ("attendancedate", "openingdate", "markdate", "day"),
    "session": ("ampm", "halfday", "amorpm", "sessionampm"),
    "code": ("attendancecode", "absencecode", "attendanceabsencecode", "reasoncode",
             "attendancereasoncode", "attendancereason", "mark", "markcode", "attcode"),
    "possible": ("possibleopenings", "possiblehalfdays", "halfdayspossible", "openings",
                 "possiblesessions", "possibleattendance", "totalopenings"),
    "attended": ("attendance", "attendances", "attendedopenings", "attendedhalfdays",
                 "halfdaysattended", "present", "openingsattended"),
    "authorised": ("authorisedabsence", "authorized", "authorizedabsence", "authabs",
                   "authorisedabsences"),
    "unauthorised": ("unauthorisedabsence", "unauthorized", "unauthorizedabsence",
                     "unauthabs", "unauthorisedabsences"),
    "exclusion": ("exclusions", "excluded", "temporaryexclusion", "exclusionopenings"),
    "stage": ("yeargroup", "year", "stagename"),
    "class": ("registrationclass", "regclass", "classname", "registrationgroup", "form"),
    "sex": ("gender",),
    "simd_decile": ("simddecile", "simd2020decile", "decile", "simd2020v2decile"),
    "simd_quintile": ("simdquintile", "simd2020quintile", "quintile", "simd",
                      "simd2020v2quintile"),
    "fsm": ("freeschoolmeals", "fsmregistered", "freemeals", "freeschoolmeal"),
    "asn": ("additionalsupportneeds", "additionalsupportneed", "asnrecorded"),
    "care_experienced": ("careexperienced", "careexperience", "lookedafter", "lac",
                         "careexp", "lookedafterchild"),
    "eal": ("englishasanadditionallanguage", "englishadditionallanguage"),
    "ethnicity": ("ethnicbackground", "ethnicgroup", "ethnicorigin"),
}


MATCHER = HeadingMatcher(
    FIELD_LABELS, _SYNONYMS,
    fix_missing="rename the heading, or pass columns={{'{field}': 'Your heading'}} "
                "(--columns) to map it")
"""The attendance exports' heading matcher (see :mod:`partnerkit.tables.headings`)."""


def read_column_map(columns: Mapping[str, object] | str | Path | None) -> dict[str, list[str]]:
    """Turn a mapping (dict, or a CSV/YAML file) into ``{field: [headings]}``.

    Raises :class:`~partnerkit.errors.InputFileError` naming the file, row and value for a
    mapping that names no known field.
    """
    return MATCHER.read_mapping(columns)
