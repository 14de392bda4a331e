"""Attendance over the year, by month and by term, from per-opening marks.

Terms differ between authorities. Without ``terms`` partnerkit uses the three Scottish
terms by month: autumn (August to December), winter/spring (January to March) and summer
(April to July). Pass the authority's own term dates as a table or CSV with columns
``term, start, end`` (dates, inclusive) for exact terms; days outside every term are left
out.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from partnerkit.attendance.codes import CATEGORIES
from partnerkit.attendance.loader import AttendanceData
from partnerkit.attendance.marks import MarksGrid, parse_date
from partnerkit.attendance.measures import group_labels, group_order
from partnerkit.errors import InputFileError
from partnerkit.reports.text import format_month

#: Columns of :func:`monthly_trend` and :func:`termly_trend`.
TREND_COLUMNS = ("period", "start", "end", "group", "possible", "attended", "authorised",
                 "unauthorised", "exclusion", "rate")
ALL_PUPILS = "All pupils"


def monthly_trend(data: AttendanceData, rates: pd.DataFrame | None = None,
                  by: str | None = None) -> pd.DataFrame:
    """Attendance month by month.

    Columns :data:`TREND_COLUMNS`: ``period`` (e.g. "Sep 2024"), ``start`` and ``end``
    (first and last school day with marks in the period, datetime64), ``group`` ("All
    pupils", or the group of characteristic ``by`` taken from ``rates``), ``possible``,
    ``attended``, ``authorised``, ``unauthorised``, ``exclusion`` (openings, int64) and
    ``rate`` (attended / possible, NaN with no openings). A totals file, which has no
    dates, gives a table with no rows.
    """
    if data.marks is None:
        return empty_trend()
    marks = data.marks
    days = pd.to_datetime(marks.dates)
    keys = (days.year * 12 + days.month - 1).to_numpy()
    labels = {k: format_month(k // 12, k % 12 + 1) for k in np.unique(keys)}
    return _trend(marks, keys, labels, rates, by)


def termly_trend(data: AttendanceData, terms: object = None, rates: pd.DataFrame | None = None,
                 by: str | None = None) -> pd.DataFrame:
    """Attendance term by term (columns :data:`TREND_COLUMNS`; see :func:`monthly_trend`).

    ``terms``: ``None`` for the default terms by month, or a table / list of dicts / CSV
    path with columns ``term, start, end``.
    """
    if data.marks is None:
        return empty_trend()
    marks = data.marks
    days = [pd.Timestamp(d).date() for d in marks.dates]
    table = default_terms(days) if terms is None else read_terms(terms)
    keys = np.full(len(days), -1, dtype=np.int64)
    for index, row in enumerate(table.itertuples(index=False)):
        inside = np.array([row.start <= d <= row.end for d in days], dtype=bool)
        keys[inside & (keys < 0)] = index
    labels = dict(enumerate(table["term"]))
    return _trend(marks, keys, labels, rates, by)


def default_terms(days: Sequence[dt.date]) -> pd.DataFrame:
    """Scottish terms by month covering ``days``: columns ``term``, ``start``, ``end``."""
    rows = []
    for year in sorted({d.year - (d.month < 8) for d in days}):
        rows += [(f"Autumn {year}", dt.date(year, 8, 1), dt.date(year, 12, 31)),
                 (f"Winter/spring {year + 1}", dt.date(year + 1, 1, 1),
                  dt.date(year + 1, 3, 31)),
                 (f"Summer {year + 1}", dt.date(year + 1, 4, 1), dt.date(year + 1, 7, 31))]
    return pd.DataFrame(rows, columns=["term", "start", "end"])


def read_terms(terms: object) -> pd.DataFrame:
    """Term dates from a DataFrame, a list of dicts or a CSV path (``term, start, end``)."""
    name = "terms"
    if isinstance(terms, (str, os.PathLike)):
        name = os.path.basename(terms)
        try:
            terms = pd.read_csv(terms, dtype=str, keep_default_na=False)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise InputFileError(f"cannot read the term dates ({exc})", file=name,
                                 value=str(terms), fix="pass a CSV with columns term,start,end"
                                 ) from None
    table = pd.DataFrame(terms)
    table.columns = [str(c).strip().lower() for c in table.columns]
    for column in ("term", "start", "end"):
        if column not in table:
            raise InputFileError(f"the term dates have no {column!r} column", file=name, row=1,
                                 column=column, value=", ".join(table.columns),
                                 fix="use the headings term,start,end")
    rows = []
    for number, row in enumerate(table.itertuples(index=False), start=2):
        start, end = (_as_date(getattr(row, c), name, number, c) for c in ("start", "end"))
        if end < start:
            raise InputFileError("the term ends before it starts", file=name, row=number,
                                 column="end", value=str(end), fix="swap start and end")
        rows.append((str(row.term), start, end))
    return pd.DataFrame(rows, columns=["term", "start", "end"])


def _as_date(value: object, name: str, row: int, column: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    day = parse_date(str(value))
    if day is None:
        raise InputFileError(f"{str(value)!r} is not a date", file=name,
                             row=row, column=column, value=str(value),
                             fix="write dates as YYYY-MM-DD or DD/MM/YYYY")
    return day


def empty_trend() -> pd.DataFrame:
    """A trend table with no rows (what a totals file gives)."""
    out = pd.DataFrame({c: pd.Series(dtype="int64") for c in TREND_COLUMNS})
    out[["period", "group"]] = out[["period", "group"]].astype(object)
    out[["start", "end"]] = out[["start", "end"]].astype("datetime64[ns]")
    out["rate"] = out["rate"].astype("float64")
    return out


def _trend(marks: MarksGrid, day_keys: np.ndarray, labels: dict[int, str],
           rates: pd.DataFrame | None, by: str | None) -> pd.DataFrame:
    groups, order = _groups(marks, rates, by)
    cats = marks.categories()
    column_keys = np.repeat(day_keys, 2)
    periods = [k for k in dict.fromkeys(day_keys.tolist()) if k >= 0]
    slot = {k: i for i, k in enumerate(periods)}
    column_period = np.array([slot.get(k, -1) for k in column_keys.tolist()], dtype=np.int64)
    inside = column_period >= 0
    rows = []
    for g, name in enumerate(order):
        members = cats[groups == g]
        counts = np.zeros((len(periods), len(CATEGORIES)), dtype=np.int64)
        for k in range(len(CATEGORIES) - 1):
            per_column = np.count_nonzero(members == k + 1, axis=0)
            counts[:, k] = np.bincount(column_period[inside], weights=per_column[inside],
                                       minlength=len(periods)).astype(np.int64)
        for i, key in enumerate(periods):
            days = marks.dates[day_keys == key]
            possible = int(counts[i, :4].sum())
            rows.append({"period": labels[key], "start": days.min(), "end": days.max(),
                         "group": name, "possible": possible, "attended": int(counts[i, 0]),
                         "authorised": int(counts[i, 1]), "unauthorised": int(counts[i, 2]),
                         "exclusion": int(counts[i, 3]),
                         "rate": counts[i, 0] / possible if possible else np.nan})
    out = pd.DataFrame(rows, columns=list(TREND_COLUMNS))
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    return out


def _groups(marks: MarksGrid, rates: pd.DataFrame | None, by: str | None
            ) -> tuple[np.ndarray, list[str]]:
    if by is None:
        return np.zeros(len(marks.pupils), dtype=np.int64), [ALL_PUPILS]
    if rates is None:
        raise InputFileError("a trend by group needs the rates table", value=by,
                             fix="pass rates=pupil_rates(data) with by=")
    labels = pd.Series(group_labels(rates, by), index=rates["pupil"].to_numpy())
    per_pupil = labels.reindex(marks.pupils).fillna("Not recorded").to_numpy()
    order = group_order(by, pd.Index(pd.unique(per_pupil)))
    index = {g: i for i, g in enumerate(order)}
    return np.array([index[g] for g in per_pupil], dtype=np.int64), order
