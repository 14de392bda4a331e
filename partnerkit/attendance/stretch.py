"""Stretch aims: track attendance against the trajectory a school or authority set.

A trajectory is a small table, one row per school year, with targets in percent:
``year, overall, q1, q5, gap`` (``gap`` in percentage points, quintile 5 minus quintile 1).
Any target may be left empty. Results already known for past years can be entered in
``overall_actual, q1_actual, q5_actual, gap_actual``; the year the loaded data covers is
filled in from the data.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from partnerkit.attendance.loader import AttendanceData
from partnerkit.attendance.measures import QUINTILE_LABELS, quintile_breakdown
from partnerkit.errors import InputFileError

MEASURES = {"overall": "Overall attendance (%)", "q1": "SIMD quintile 1 attendance (%)",
            "q5": "SIMD quintile 5 attendance (%)",
            "gap": "Gap, quintile 5 minus quintile 1 (percentage points)"}
#: Columns of :func:`read_trajectory`.
TRAJECTORY_COLUMNS = ("year", *MEASURES, *(f"{m}_actual" for m in MEASURES))
#: Columns of :func:`stretch_aim_tracker`.
TRACKER_COLUMNS = ("year", "measure", "key", "target", "actual", "difference", "on_track")


def read_trajectory(trajectory: object) -> pd.DataFrame:
    """Read a trajectory from a CSV path, a DataFrame or a list of dicts (``None``: none).

    Returns columns :data:`TRAJECTORY_COLUMNS` (``year`` str, the rest float64 percent,
    NaN when empty). Raises :class:`InputFileError` naming row, column and value for a
    missing ``year`` column or a value that is not a number.
    """
    name = "trajectory"
    if trajectory is None:
        return pd.DataFrame({c: pd.Series(dtype="object" if c == "year" else "float64")
                             for c in TRAJECTORY_COLUMNS})
    if isinstance(trajectory, (str, os.PathLike)):
        name = os.path.basename(trajectory)
        try:
            trajectory = pd.read_csv(trajectory, dtype=str, keep_default_na=False,
                                     comment="#")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise InputFileError(f"cannot read the stretch aims ({exc})", file=name,
                                 value=str(trajectory),
                                 fix="pass a CSV with columns year,overall,q1,q5,gap") from None
    table = pd.DataFrame(trajectory).copy()
    table.columns = [str(c).strip().lower() for c in table.columns]
    if "year" not in table:
        raise InputFileError("the stretch aims have no 'year' column", file=name, row=1,
                             column="year", value=", ".join(table.columns),
                             fix="use the headings year,overall,q1,q5,gap")
    out = pd.DataFrame({"year": table["year"].astype(str).str.strip()})
    for column in TRAJECTORY_COLUMNS[1:]:
        out[column] = _numbers(table[column], name, column) if column in table else np.nan
    return out[list(TRAJECTORY_COLUMNS)]


def _numbers(values: pd.Series, name: str, column: str) -> pd.Series:
    text = values.astype(str).str.strip().str.rstrip("%").replace({"nan": "", "None": ""})
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFileError(f"{values.iloc[row]!r} is not a number", file=name, row=row + 2,
                             column=column, value=values.iloc[row],
                             fix="write a percentage such as 92.5, or leave it empty")
    return numbers.astype("float64")


def school_year(data: AttendanceData) -> str | None:
    """The school year of the loaded marks, e.g. "2024/25" (August to July).

    ``None`` for totals or for marks spanning more than one school year.
    """
    if data.marks is None or not len(data.marks.dates):
        return None
    days = pd.to_datetime(data.marks.dates)
    starts = {d.year - (d.month < 8) for d in days}
    if len(starts) != 1:
        return None
    start = starts.pop()
    return f"{start}/{(start + 1) % 100:02d}"


def stretch_measures(rates: pd.DataFrame) -> dict[str, float]:
    """The loaded data's stretch-aim measures in percent.

    ``overall``, ``q1``, ``q5`` and ``gap`` (percentage points); NaN where there are no
    openings.
    """
    possible = float(rates["possible"].sum())
    overall = float(rates["attended"].sum()) / possible * 100 if possible else np.nan
    table = quintile_breakdown(rates).set_index("group")["rate"] * 100
    q1, q5 = float(table[QUINTILE_LABELS[1]]), float(table[QUINTILE_LABELS[5]])
    return {"overall": overall, "q1": q1, "q5": q5, "gap": q5 - q1}


def stretch_aim_tracker(trajectory: object, rates: pd.DataFrame | None = None,
                        year: str | None = None) -> pd.DataFrame:
    """Targets against results, one row per year and measure.

    Columns :data:`TRACKER_COLUMNS`: ``year`` (str), ``measure`` (plain-language name),
    ``key`` (``overall``, ``q1``, ``q5`` or ``gap``), ``target`` and ``actual`` (percent,
    or percentage points for the gap; NaN when unknown), ``difference`` (actual − target),
    ``on_track`` (boolean, <NA> when either is unknown; for the gap, on track means at or
    below the target). ``rates`` and ``year`` fill that year's results from the data.
    """
    table = read_trajectory(trajectory)
    if rates is not None and year is not None:
        measures = stretch_measures(rates)
        if year not in set(table["year"]):
            table = pd.concat([table, pd.DataFrame([{"year": year}])], ignore_index=True)
        for key, value in measures.items():
            table.loc[table["year"] == year, f"{key}_actual"] = value
    rows = []
    for record in table.to_dict("records"):
        for key, label in MEASURES.items():
            target, actual = record[key], record[f"{key}_actual"]
            known = not (np.isnan(target) or np.isnan(actual))
            on_track = pd.NA if not known else bool(
                actual <= target + 1e-9 if key == "gap" else actual >= target - 1e-9)
            rows.append({"year": record["year"], "measure": label, "key": key,
                         "target": target, "actual": actual,
                         "difference": actual - target if known else np.nan,
                         "on_track": on_track})
    out = pd.DataFrame(rows, columns=list(TRACKER_COLUMNS))
    out["on_track"] = out["on_track"].astype("boolean")
    return out.sort_values(["year", "key"], key=_year_order, kind="stable").reset_index(
        drop=True)


def _year_order(values: pd.Series) -> pd.Series:
    if values.name == "key":
        return values.map(list(MEASURES).index)
    return values


def current_year(today: dt.date | None = None) -> str:
    """The school year containing ``today`` (August to July), e.g. "2025/26"."""
    today = today or dt.date.today()
    start = today.year - (today.month < 8)
    return f"{start}/{(start + 1) % 100:02d}"
