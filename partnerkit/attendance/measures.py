"""Attendance measures: rates, the low-attendance flag, bands and breakdowns by group.

Conventions (Scotland):

* The attendance rate is attended half-day openings over possible half-day openings.
  Rates are fractions from 0 to 1 in every table; gaps are in percentage points.
* Low attendance is a rate at or below the threshold (90% by default: a pupil absent for
  10% or more of openings is persistently absent, so the boundary is inclusive).
* A pupil with no possible openings has no rate (NaN), the band "No possible openings" and
  is never flagged: nothing is divided by zero.
* A group's rate is the sum of its pupils' attended openings over the sum of their
  possible openings (the way national statistics are worked out), not an average of rates.
* SIMD quintile 1 is the most deprived; the table says whether quintiles are national or
  local.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from partnerkit.attendance.loader import AttendanceData
from partnerkit.attendance.pupils import NOT_RECORDED, PUPIL_COLUMNS
from partnerkit.errors import PartnerkitError

DEFAULT_THRESHOLD = 0.90
#: Band labels, lowest first; a rate on an edge belongs to the band above it.
BANDS = ("Under 50%", "50% to under 80%", "80% to under 90%", "90% to under 95%",
         "95% and over")
BAND_EDGES = (0.50, 0.80, 0.90, 0.95)
NO_POSSIBLE = "No possible openings"
#: Columns of :func:`pupil_rates`.
RATE_COLUMNS = ("pupil", "possible", "attended", "authorised", "unauthorised", "exclusion",
                "not_counted", "rate", "band", "low_attendance", *PUPIL_COLUMNS[1:])
#: Columns of :func:`band_counts`.
BAND_COLUMNS = ("band", "pupils", "share")
#: Columns of :func:`breakdown` and :func:`breakdowns`.
BREAKDOWN_COLUMNS = ("characteristic", "group", "pupils", "pupils_with_openings", "possible",
                     "attended", "rate", "low_attendance", "low_attendance_share",
                     "no_possible")
#: Columns of :func:`overview`.
OVERVIEW_COLUMNS = ("measure", "value", "shown")
#: Characteristics a breakdown can be made by, with their names in tables.
CHARACTERISTIC_NAMES = {
    "stage": "Stage", "class": "Class", "sex": "Sex", "simd_quintile": "SIMD quintile",
    "fsm": "Free school meals", "asn": "Additional support needs",
    "care_experienced": "Care experienced", "eal": "English as an additional language",
    "ethnicity": "Ethnicity"}
QUINTILE_LABELS = {1: "Q1 (most deprived)", 2: "Q2", 3: "Q3", 4: "Q4",
                   5: "Q5 (least deprived)"}


def check_threshold(threshold: float) -> float:
    """The threshold as a fraction; 90 (a percentage) is read as 0.90."""
    try:
        value = float(threshold)
    except (TypeError, ValueError):
        value = float("nan")
    if 1 < value <= 100:
        value /= 100
    if not 0 < value <= 1:
        raise PartnerkitError("the low-attendance threshold must be between 0 and 1 "
                              "(or a percentage up to 100)", value=threshold,
                              where="threshold", fix="use 0.9 for 90% or 0.95 for 95%")
    return value


def band_of(rates: pd.Series | np.ndarray) -> pd.Categorical:
    """Band label for each rate (NaN → "No possible openings")."""
    values = np.asarray(rates, dtype=np.float64)
    index = np.searchsorted(np.array(BAND_EDGES), values, side="right")
    labels = np.array(BANDS, dtype=object)[np.minimum(index, len(BANDS) - 1)]
    labels[np.isnan(values)] = NO_POSSIBLE
    return pd.Categorical(labels, categories=[*BANDS, NO_POSSIBLE], ordered=True)


def pupil_rates(data: AttendanceData, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """One row per pupil with the rate, band, flag and characteristics.

    Columns :data:`RATE_COLUMNS`: ``pupil``; ``possible``, ``attended``, ``authorised``,
    ``unauthorised``, ``exclusion``, ``not_counted`` (half-day openings, float64; NaN when
    the file did not give them); ``rate`` (attended / possible, NaN when possible is 0);
    ``band`` (ordered categorical of :data:`BANDS` plus "No possible openings");
    ``low_attendance`` (bool: rate ≤ threshold); then the characteristics ``stage``,
    ``class``, ``sex``, ``simd_quintile`` (Int64), ``simd_basis``, ``fsm``, ``asn``,
    ``care_experienced``, ``eal``, ``ethnicity``. Sorted by pupil.
    """
    limit = check_threshold(threshold)
    out = data.totals.merge(data.pupils, on="pupil", how="left", validate="one_to_one")
    possible = out["possible"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(possible > 0, out["attended"].to_numpy(dtype=np.float64) / possible,
                        np.nan)
    out["rate"] = rate
    out["band"] = band_of(rate)
    out["low_attendance"] = np.nan_to_num(rate, nan=np.inf) <= limit
    for column in PUPIL_COLUMNS[1:]:
        if column not in ("simd_quintile", "simd_basis"):
            out[column] = out[column].fillna(NOT_RECORDED)
    out["simd_basis"] = out["simd_basis"].fillna(data.simd_basis)
    out = out.sort_values("pupil", kind="stable").reset_index(drop=True)
    return out[list(RATE_COLUMNS)]


def flagged(rates: pd.DataFrame) -> pd.DataFrame:
    """The pupils with low attendance, lowest rate first (same columns as the input)."""
    out = rates[rates["low_attendance"]]
    return out.sort_values(["rate", "pupil"], kind="stable").reset_index(drop=True)


def band_counts(rates: pd.DataFrame) -> pd.DataFrame:
    """Pupils in each band.

    Columns ``band`` (str, lowest band first, then "No possible openings"), ``pupils``
    (int) and ``share`` (fraction of all pupils).
    """
    counts = rates["band"].value_counts(sort=False).reindex([*BANDS, NO_POSSIBLE],
                                                             fill_value=0)
    total = int(counts.sum())
    return pd.DataFrame({"band": list(counts.index.astype(str)),
                         "pupils": counts.to_numpy(dtype=np.int64),
                         "share": counts.to_numpy() / total if total else np.nan},
                        columns=list(BAND_COLUMNS))


def characteristic_label(by: str, simd_basis: str = "national") -> str:
    """The name of a characteristic in a table; SIMD says national or local."""
    if by == "simd_quintile":
        return f"SIMD quintile ({simd_basis})"
    return CHARACTERISTIC_NAMES.get(by, by)


def breakdown(rates: pd.DataFrame, by: str) -> pd.DataFrame:
    """Attendance for each group of one characteristic (``by`` is a column of the rates).

    Columns :data:`BREAKDOWN_COLUMNS`: ``characteristic`` (e.g. "SIMD quintile
    (national)"), ``group`` (str; SIMD groups are "Q1 (most deprived)" … "Q5 (least
    deprived)", always all five), ``pupils``, ``pupils_with_openings`` (int),
    ``possible``, ``attended`` (openings, float64), ``rate`` (attended / possible, NaN for
    a group with no openings), ``low_attendance`` (int, pupils flagged),
    ``low_attendance_share`` (flagged / pupils with openings), ``no_possible`` (int,
    pupils with no possible openings). "Not recorded" comes last.
    """
    if by not in rates:
        raise PartnerkitError("is not a column of the rates table", value=by,
                              where="breakdown", fix="use one of: "
                              + ", ".join(CHARACTERISTIC_NAMES))
    groups = group_labels(rates, by)
    work = pd.DataFrame({
        "group": groups, "possible": rates["possible"].fillna(0).to_numpy(),
        "attended": rates["attended"].fillna(0).to_numpy(),
        "with_openings": rates["rate"].notna().to_numpy(),
        "low": rates["low_attendance"].to_numpy(dtype=bool)})
    summed = work.groupby("group", sort=False).agg(
        pupils=("group", "size"), pupils_with_openings=("with_openings", "sum"),
        possible=("possible", "sum"), attended=("attended", "sum"),
        low_attendance=("low", "sum"))
    summed = summed.reindex(group_order(by, summed.index)).fillna(0)
    basis = _basis(rates)
    out = pd.DataFrame({
        "characteristic": characteristic_label(by, basis),
        "group": list(summed.index),
        "pupils": summed["pupils"].to_numpy(dtype=np.int64),
        "pupils_with_openings": summed["pupils_with_openings"].to_numpy(dtype=np.int64),
        "possible": summed["possible"].to_numpy(dtype=np.float64),
        "attended": summed["attended"].to_numpy(dtype=np.float64),
        "low_attendance": summed["low_attendance"].to_numpy(dtype=np.int64)})
    out["rate"] = _ratio(out["attended"], out["possible"])
    out["low_attendance_share"] = _ratio(out["low_attendance"], out["pupils_with_openings"])
    out["no_possible"] = out["pupils"] - out["pupils_with_openings"]
    return out[list(BREAKDOWN_COLUMNS)]


def quintile_breakdown(rates: pd.DataFrame) -> pd.DataFrame:
    """:func:`breakdown` by SIMD quintile."""
    return breakdown(rates, "simd_quintile")


def breakdowns(rates: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """:func:`breakdown` for each characteristic in ``by``, stacked in one table.

    By default every characteristic that has at least one recorded value.
    """
    chosen = by if by is not None else [
        c for c in CHARACTERISTIC_NAMES if c in rates and _recorded(rates[c]).any()]
    frames = [breakdown(rates, c) for c in chosen]
    if not frames:
        return pd.DataFrame({c: [] for c in BREAKDOWN_COLUMNS})
    return pd.concat(frames, ignore_index=True)


def quintile_gap(rates: pd.DataFrame) -> float:
    """Quintile 5 rate minus quintile 1 rate, in percentage points.

    NaN if either has no openings. Positive means the most deprived pupils attend less.
    """
    table = quintile_breakdown(rates).set_index("group")["rate"]
    return float((table[QUINTILE_LABELS[5]] - table[QUINTILE_LABELS[1]]) * 100)


def overview(rates: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Headline figures.

    Columns ``measure`` (str), ``value`` (float; rates as fractions, gap in percentage
    points) and ``shown`` (the value written for reading).
    """
    limit = check_threshold(threshold)
    with_openings = int(rates["rate"].notna().sum())
    possible = float(rates["possible"].sum())
    overall = float(rates["attended"].sum()) / possible if possible else float("nan")
    low = int(rates["low_attendance"].sum())
    rows = [
        ("Pupils", len(rates), f"{len(rates):,}"),
        ("Pupils with possible openings", with_openings, f"{with_openings:,}"),
        ("Pupils with no possible openings", len(rates) - with_openings,
         f"{len(rates) - with_openings:,}"),
        ("Overall attendance rate", overall, _percent(overall)),
        (f"Pupils at or below {limit:.0%}", low, f"{low:,}"),
        (f"Share of pupils at or below {limit:.0%}",
         low / with_openings if with_openings else float("nan"),
         _percent(low / with_openings if with_openings else float("nan"))),
        ("Gap between SIMD Q1 and Q5 (percentage points)", quintile_gap(rates),
         _points(quintile_gap(rates))),
    ]
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


def _percent(value: float) -> str:
    return "no openings" if value != value else f"{value:.1%}"


def _points(value: float) -> str:
    return "not available" if value != value else f"{value:.1f}"


def _ratio(top: pd.Series, bottom: pd.Series) -> np.ndarray:
    top_v, bottom_v = top.to_numpy(dtype=np.float64), bottom.to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom_v > 0, top_v / bottom_v, np.nan)


def _recorded(values: pd.Series) -> pd.Series:
    if values.dtype.kind in "iuf" or str(values.dtype) == "Int64":
        return values.notna()
    return values.notna() & (values.astype(str) != NOT_RECORDED)


def group_labels(rates: pd.DataFrame, by: str) -> np.ndarray:
    """Each pupil's group label for characteristic ``by`` (SIMD as "Q1 (most deprived)")."""
    values = rates[by]
    if by == "simd_quintile":
        return np.array([QUINTILE_LABELS.get(int(v), NOT_RECORDED) if pd.notna(v)
                         else NOT_RECORDED for v in values], dtype=object)
    return values.fillna(NOT_RECORDED).astype(str).to_numpy(dtype=object)


def group_order(by: str, present: pd.Index) -> list[str]:
    """The order groups are shown in, "Not recorded" last.

    All five quintiles for SIMD (even with no pupils), otherwise natural order.
    """
    if by == "simd_quintile":
        order = list(QUINTILE_LABELS.values())
    else:
        order = sorted((g for g in present if g != NOT_RECORDED), key=_natural)
    if NOT_RECORDED in present:
        order.append(NOT_RECORDED)
    return order


def _natural(text: str) -> tuple:
    import re

    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", text))


def _basis(rates: pd.DataFrame) -> str:
    if "simd_basis" in rates and len(rates):
        return str(rates["simd_basis"].iloc[0])
    return "national"
