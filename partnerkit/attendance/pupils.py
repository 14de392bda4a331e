"""Pupil characteristics: check and tidy the equalities data joined to attendance.

Values are read as text and turned into one agreed form so breakdowns group them
properly: yes/no fields become ``"Yes"``, ``"No"`` or ``"Not recorded"``; SIMD deciles
become quintiles (quintile = decile rounded up after halving: deciles 1–2 are quintile 1,
the most deprived); an empty cell becomes ``"Not recorded"``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from partnerkit.attendance.problems import VALUE_LEFT_OUT, Problems

NOT_RECORDED = "Not recorded"
#: Columns of the characteristics table, in order.
PUPIL_COLUMNS = ("pupil", "stage", "class", "sex", "simd_quintile", "simd_basis", "fsm", "asn",
                 "care_experienced", "eal", "ethnicity")
YES_NO_FIELDS = ("fsm", "asn", "care_experienced", "eal")
TEXT_FIELDS = ("stage", "class", "sex", "ethnicity")
SIMD_BASES = ("national", "local")

_YES = {"y", "yes", "true", "t", "1", "registered", "recorded"}
_NO = {"n", "no", "false", "f", "0", "not registered", "none"}
_UNKNOWN = {"", "not known", "unknown", "not recorded", "nk", "n/k", "not disclosed",
            "prefer not to say", "refused", "na", "n/a", "-"}
_SEX = {"m": "Male", "male": "Male", "boy": "Male", "f": "Female", "female": "Female",
        "girl": "Female"}


def decile_to_quintile(decile: int) -> int:
    """SIMD decile (1–10) to quintile (1–5): deciles 1–2 → 1 … deciles 9–10 → 5."""
    if not 1 <= int(decile) <= 10:
        raise ValueError(f"SIMD decile must be 1 to 10, not {decile!r}")
    return math.ceil(int(decile) / 2)


def empty_pupils() -> pd.DataFrame:
    """A characteristics table with no rows and the fixed columns."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in PUPIL_COLUMNS})
    out["simd_quintile"] = out["simd_quintile"].astype("Int64")
    return out


def unrecorded_pupils(refs: list[str], simd_basis: str) -> pd.DataFrame:
    """Characteristics for pupils whose data was not given: all ``"Not recorded"``."""
    out = pd.DataFrame({c: pd.Series([NOT_RECORDED] * len(refs), dtype=object)
                        for c in PUPIL_COLUMNS})
    out["pupil"] = pd.Series(list(refs), dtype=object)
    out["simd_quintile"] = pd.array([pd.NA] * len(refs), dtype="Int64")
    out["simd_basis"] = simd_basis
    return out[list(PUPIL_COLUMNS)]


def normalise_characteristics(raw: pd.DataFrame, rows: np.ndarray, problems: Problems,
                              headings: dict[str, str], simd_basis: str) -> pd.DataFrame:
    """Tidy raw text characteristics; bad values are added to ``problems`` by file row.

    ``raw`` has one row per record: column ``pupil`` plus any characteristic fields.

    Returns a table with the columns :data:`PUPIL_COLUMNS`: ``pupil`` (str), ``stage``,
    ``class``, ``sex``, ``ethnicity`` (str, ``"Not recorded"`` when empty),
    ``simd_quintile`` (Int64 1–5 or <NA>), ``simd_basis`` (``"national"`` or ``"local"``),
    ``fsm``, ``asn``, ``care_experienced``, ``eal`` (``"Yes"``, ``"No"`` or
    ``"Not recorded"``).
    """
    out = pd.DataFrame({"pupil": raw["pupil"].astype(str).str.strip().to_numpy()})
    for field in TEXT_FIELDS:
        out[field] = _text(raw[field]) if field in raw else NOT_RECORDED
    if "sex" in raw:
        out["sex"] = _per_value(out["sex"], lambda v: _SEX.get(v.lower(), v))
    out["simd_quintile"] = _simd(raw, rows, problems, headings)
    out["simd_basis"] = simd_basis
    for field in YES_NO_FIELDS:
        out[field] = _yes_no(raw[field], rows, problems, headings[field]) if field in raw \
            else NOT_RECORDED
    return out[list(PUPIL_COLUMNS)]


def _per_value(values: pd.Series, judge) -> np.ndarray:
    """Apply ``judge`` to each distinct text value once; an object array, one per row."""
    text = values.fillna("").astype(str).to_numpy(dtype=object)
    codes, distinct = pd.factorize(text)
    judged = np.empty(len(distinct) + 1, dtype=object)
    judged[:-1] = [judge(v) for v in distinct]
    judged[-1] = judge("")
    return judged[codes]


def _text(values: pd.Series) -> np.ndarray:
    return _per_value(values, lambda v: NOT_RECORDED if v.strip().lower() in _UNKNOWN
                      else v.strip())


def _yes_no_of(value: str) -> str | None:
    key = value.strip().lower()
    if key in _YES:
        return "Yes"
    if key in _NO:
        return "No"
    return NOT_RECORDED if key in _UNKNOWN else None


def _yes_no(values: pd.Series, rows: np.ndarray, problems: Problems, heading: str) -> np.ndarray:
    out = _per_value(values, _yes_no_of)
    bad = np.array([v is None for v in out], dtype=bool)
    problems.add_many(rows[bad], values.fillna("").astype(str).to_numpy(dtype=object)[bad],
                      column=heading, message="{value} is not yes or no",
                      fix="write Yes, No or leave it empty if not known",
                      action=VALUE_LEFT_OUT)
    out[bad] = NOT_RECORDED
    return out


def _number_or_none(text: str) -> float | None:
    key = text.strip().upper().removeprefix("SIMD").strip().removeprefix("Q").strip()
    try:
        number = float(key)
    except ValueError:
        return None
    return number if number.is_integer() else None


def _simd(raw: pd.DataFrame, rows: np.ndarray, problems: Problems,
          headings: dict[str, str]) -> pd.Series:
    quintiles = np.full(len(raw), -1, dtype=np.int64)
    if "simd_decile" in raw:
        quintiles = _read_simd(raw["simd_decile"], rows, problems, headings["simd_decile"], 10)
    if "simd_quintile" in raw:
        given = _read_simd(raw["simd_quintile"], rows, problems, headings["simd_quintile"], 5)
        clash = (quintiles > 0) & (given > 0) & (quintiles != given)
        problems.add_many(rows[clash], [f"{q} (decile gives {d})" for q, d in
                                        zip(given[clash], quintiles[clash], strict=True)],
                          column=headings["simd_quintile"],
                          message="SIMD quintile {value} does not match the SIMD decile",
                          fix="correct one of the two, or map only one of them",
                          action=VALUE_LEFT_OUT)
        quintiles = np.where(quintiles > 0, quintiles, given)
        quintiles[clash] = -1
    out = pd.array(quintiles, dtype="Int64")
    out[quintiles < 0] = pd.NA
    return pd.Series(out)


def _read_simd(values: pd.Series, rows: np.ndarray, problems: Problems, heading: str,
               top: int) -> np.ndarray:
    """Quintiles (1–5; -1 when empty or bad) from deciles (``top`` 10) or quintiles (5)."""
    name = "decile" if top == 10 else "quintile"

    def judge(value: str) -> int:
        if value.strip().lower() in _UNKNOWN:
            return -1
        number = _number_or_none(value)
        if number is None or not 1 <= number <= top:
            return -2
        return decile_to_quintile(int(number)) if top == 10 else int(number)

    out = _per_value(values, judge).astype(np.int64)
    bad = out == -2
    problems.add_many(rows[bad], values.fillna("").astype(str).to_numpy(dtype=object)[bad],
                      column=heading,
                      message=f"SIMD {name} {{value}} is not a whole number from 1 to {top}",
                      fix=f"write the SIMD {name} as 1 to {top} (1 = most deprived), or "
                          "leave it empty if not known", action=VALUE_LEFT_OUT)
    out[bad] = -1
    return out


def check_unique_pupils(pupils: pd.Series, rows: np.ndarray, problems: Problems,
                        heading: str) -> None:
    """Add a problem for an empty pupil reference and for each repeat of a reference."""
    refs = pupils.astype(str).str.strip()
    empty = (refs == "").to_numpy()
    problems.add_many(rows[empty], [""] * int(empty.sum()), column=heading,
                      message="the pupil reference is empty",
                      fix="fill in the pupil reference or delete the row")
    repeated = (refs.duplicated(keep="first") & ~pd.Series(empty)).to_numpy()
    problems.add_many(rows[repeated], refs[repeated].tolist(), column=heading,
                      message="pupil {value} appears more than once",
                      fix="keep one row per pupil")

