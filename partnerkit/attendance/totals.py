"""Per-pupil totals and pupils files: one row per pupil, read as text then checked.

A totals export gives, for each pupil, possible openings and openings attended, and
optionally authorised absence, unauthorised absence and exclusion. A pupils file gives
characteristics. Both files are small (one row per pupil), so they are read whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from partnerkit.attendance.fields import TOTALS_OPTIONAL
from partnerkit.attendance.marks import TOTALS_COLUMNS
from partnerkit.attendance.problems import Problems
from partnerkit.attendance.pupils import check_unique_pupils


def check_pupil_column(raw: pd.DataFrame, rows: np.ndarray, problems: Problems,
                       heading: str, known: set[str] | None) -> None:
    """Empty, repeated and (when ``known`` is given) unknown pupil references."""
    check_unique_pupils(raw["pupil"], rows, problems, heading)
    if known is not None:
        refs = raw["pupil"].astype(str).str.strip()
        unknown = (~refs.isin(known) & (refs != "")).to_numpy()
        problems.add_many(rows[unknown], refs[unknown].tolist(), column=heading,
                          message="pupil {value} is not in the pupils file",
                          fix="add the pupil to the pupils file, or check the reference")


def read_totals(raw: pd.DataFrame, rows: np.ndarray, problems: Problems,
                headings: dict[str, str]) -> pd.DataFrame:
    """Check the numbers of a totals file and return the totals table.

    Columns :data:`~partnerkit.attendance.marks.TOTALS_COLUMNS` (counts float64; a count
    the file does not give is NaN; ``not_counted`` is always NaN). Rows with problems are
    still returned; the caller drops them when skipping bad rows.
    """
    out = pd.DataFrame({"pupil": raw["pupil"].astype(str).str.strip()})
    for field in ("possible", "attended", *TOTALS_OPTIONAL):
        if field in raw:
            out[field] = _numbers(raw[field], rows, problems, headings[field],
                                  required=field in ("possible", "attended"))
        else:
            out[field] = np.nan
    over = (out["attended"] > out["possible"]).to_numpy()
    problems.add_many(rows[over], [f"{a:g} attended of {p:g} possible" for a, p in
                                   zip(out["attended"][over], out["possible"][over],
                                       strict=True)],
                      column=headings["attended"],
                      message="attended is more than possible openings ({value})",
                      fix="check both numbers; attended cannot exceed possible openings")
    out["not_counted"] = np.nan
    return out[list(TOTALS_COLUMNS)]


def totals_notes(totals: pd.DataFrame) -> list[str]:
    """Plain-language notes about totals that do not add up (not errors)."""
    parts = totals[["attended", *TOTALS_OPTIONAL]]
    if parts[list(TOTALS_OPTIONAL)].isna().all().all():
        return []
    summed = parts.fillna(0).sum(axis=1)
    off = (summed - totals["possible"]).abs() > 1e-9
    if not off.any():
        return []
    return [f"for {int(off.sum())} pupil(s) attended + authorised + unauthorised + exclusion "
            "does not equal possible openings; rates use attended / possible as given"]


def _numbers(values: pd.Series, rows: np.ndarray, problems: Problems, heading: str,
             *, required: bool) -> pd.Series:
    text = values.fillna("").astype(str).str.strip().str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    empty = (text == "").to_numpy()
    not_number = (numbers.isna() & ~pd.Series(empty)).to_numpy() | \
        ~np.isfinite(numbers.fillna(0).to_numpy())
    if required:
        problems.add_many(rows[empty], [""] * int(empty.sum()), column=heading,
                          message="the number is missing",
                          fix="fill in the number of half-day openings")
    problems.add_many(rows[not_number], values[not_number].tolist(), column=heading,
                      message="{value} is not a number",
                      fix="write the number of half-day openings, for example 342")
    negative = (numbers < 0).to_numpy()
    problems.add_many(rows[negative], values[negative].tolist(), column=heading,
                      message="{value} is negative",
                      fix="write the number of half-day openings, 0 or more")
    numbers[not_number] = np.nan
    return numbers
