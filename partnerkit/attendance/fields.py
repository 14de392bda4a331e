"""The fields partnerkit reads from an attendance export and how headings are matched to them.

A school's export names its columns in its own way ("Pupil Ref", "SCN", "Att Code"). Each
heading is matched to a field in this order: a mapping the user gave (``columns=``), the
field's own name, then a list of headings MIS exports commonly use. Headings are compared
ignoring case, spaces and punctuation.

A mapping is a dict ``{field: heading}`` (a heading may also be a list of headings, any of
which will do), the reverse ``{heading: field}``, or a small file: a CSV with columns
``field,heading`` or a YAML mapping.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from partnerkit.errors import InputFileError

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


def normalise_heading(text: str) -> str:
    """Lower-case a heading and drop everything but letters and digits."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


@dataclass(frozen=True)
class ColumnMatch:
    """Where a field was found: the heading, its position and how it was matched.

    ``how`` is ``"mapped by you"``, ``"same name"``, ``"recognised heading"`` or
    ``"not found"`` (then ``heading`` and ``index`` are ``None``).
    """

    field: str
    heading: str | None
    index: int | None
    how: str
    required: bool


def read_column_map(columns: Mapping[str, object] | str | Path | None) -> dict[str, list[str]]:
    """Turn a mapping (dict, or a CSV/YAML file) into ``{field: [headings]}``.

    Raises :class:`InputFileError` naming the file, row and value for a mapping that names
    no known field.
    """
    if columns is None:
        return {}
    source = "columns"
    if isinstance(columns, (str, Path)):
        path = Path(columns)
        source = path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputFileError(f"cannot read the column mapping ({exc})", file=source,
                                 value=str(path),
                                 fix="pass a CSV with columns field,heading or a YAML "
                                     "mapping of field: heading") from None
        pairs = _pairs_from_text(text, path.suffix.lower(), source)
    elif isinstance(columns, Mapping):
        pairs = [(str(k), v, None) for k, v in columns.items()]
    else:
        raise InputFileError("the column mapping must be a dict or a file path",
                             file=source, value=repr(columns),
                             fix="pass columns={'pupil': 'Your heading', ...}")
    result: dict[str, list[str]] = {}
    for key, value, row in pairs:
        headings = [value] if isinstance(value, str) else list(value or [])
        if key in FIELD_LABELS:
            field, found = key, [str(h) for h in headings]
        elif len(headings) == 1 and str(headings[0]) in FIELD_LABELS:
            field, found = str(headings[0]), [key]
        else:
            raise InputFileError(f"mapping entry {key!r} names no partnerkit field",
                                 file=source, row=row, column="field", value=key,
                                 fix="use one of: " + ", ".join(FIELD_LABELS))
        result.setdefault(field, []).extend(found)
    return result


def _pairs_from_text(text: str, suffix: str, source: str) -> list[tuple[str, object, int | None]]:
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputFileError(f"the column mapping is not valid YAML ({exc})", file=source,
                                 fix="write one 'field: heading' per line") from None
        if not isinstance(data, dict):
            raise InputFileError("the column mapping must be a YAML mapping", file=source,
                                 value=str(data)[:80], fix="write one 'field: heading' per line")
        return [(str(k), v, None) for k, v in data.items()]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [normalise_heading(c) for c in rows[0][:2]] != ["field", "heading"]:
        raise InputFileError("the column mapping CSV must start with the headings field,heading",
                             file=source, row=1, value=",".join(rows[0]) if rows else "",
                             fix="write 'field,heading' on the first line")
    return [(r[0].strip(), r[1].strip(), number) for number, r in enumerate(rows[1:], start=2)
            if len(r) >= 2 and r[0].strip()]


def match_columns(headings: Sequence[str], fields: Sequence[str], required: Sequence[str],
                  mapping: Mapping[str, list[str]]) -> list[ColumnMatch]:
    """Match ``fields`` to ``headings``; one :class:`ColumnMatch` per field, in order.

    A heading is used for one field only; the user's mapping wins over names and synonyms,
    and a field the user mapped to a heading that is not there is not found (rather than
    guessed).
    """
    norm = [normalise_heading(h) for h in headings]
    used: set[int] = set()
    found: dict[str, tuple[int, str]] = {}

    def take(field: str, index: int, how: str) -> None:
        found[field] = (index, how)
        used.add(index)

    for field in fields:
        for heading in mapping.get(field, []):
            index = _find(norm, headings, heading, used)
            if index is not None:
                take(field, index, "mapped by you")
                break
    asked = {f for f in fields if mapping.get(f)}
    for field in fields:
        if field not in found and field not in asked and normalise_heading(field) in norm:
            index = norm.index(normalise_heading(field))
            if index not in used:
                take(field, index, "same name")
    for field in fields:
        if field in found or field in asked:
            continue
        for synonym in _SYNONYMS.get(field, ()):
            if synonym in norm and norm.index(synonym) not in used:
                take(field, norm.index(synonym), "recognised heading")
                break
    return [ColumnMatch(f, headings[found[f][0]], found[f][0], found[f][1], f in required)
            if f in found else ColumnMatch(f, None, None, "not found", f in required)
            for f in fields]


def _find(norm: list[str], headings: Sequence[str], wanted: str, used: set[int]) -> int | None:
    if wanted in headings and headings.index(wanted) not in used:
        return list(headings).index(wanted)
    key = normalise_heading(wanted)
    if key in norm and norm.index(key) not in used:
        return norm.index(key)
    return None


def missing_column_error(match: ColumnMatch, headings: Sequence[str], file: str,
                         mapping: Mapping[str, list[str]], header_row: int = 1) -> InputFileError:
    """The error for a required field with no column: says what was found and how to map it."""
    label = FIELD_LABELS[match.field]
    shown = ", ".join(repr(h) for h in headings if str(h).strip()) or "no headings"
    asked = mapping.get(match.field)
    if asked:
        message = (f"the column {asked[0]!r} you mapped to {label} ({match.field!r}) "
                   f"is not in the file; found: {shown}")
        value = asked[0]
    else:
        message = f"no column for {label} ({match.field!r}); found: {shown}"
        value = shown
    return InputFileError(message, file=file, row=header_row, column=match.field, value=value,
                          fix=f"rename the heading, or pass columns={{'{match.field}': "
                              f"'Your heading'}} (--columns) to map it")
