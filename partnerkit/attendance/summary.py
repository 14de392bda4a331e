"""The attendance summary report: only tables safe to share (every count under 5 suppressed)."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from partnerkit.attendance.demo import workbook_files
from partnerkit.attendance.loader import load_attendance
from partnerkit.attendance.measures import (
    band_counts,
    breakdowns,
    check_threshold,
    overview,
    pupil_rates,
    quintile_breakdown,
)
from partnerkit.attendance.sharing import shareable
from partnerkit.reports import render_html

TEMPLATE = "attendance_summary.html.j2"


def _table(frame: pd.DataFrame) -> dict[str, Any]:
    frame = frame.astype(object).where(frame.notna(), "")
    return {"columns": [str(c).replace("_", " ") for c in frame.columns],
            "rows": frame.values.tolist()}


def shareable_overview(rates: pd.DataFrame, threshold: float,
                       min_count: int = 5) -> pd.DataFrame:
    """The overview's ``measure`` and ``shown`` columns, with any count under 5 hidden."""
    table = overview(rates, threshold=threshold)
    counts = table["measure"].str.startswith("Pupils")
    small = counts & (table["value"].astype(float) < min_count)
    shown = table["shown"].astype(object).where(~small, f"<{min_count}")
    return pd.DataFrame({"measure": table["measure"], "shown": shown})


def summary_tables(rates: pd.DataFrame, threshold: float) -> dict[str, dict[str, Any]]:
    """The shareable tables of the summary, each suppressed with :func:`shareable`."""
    return {
        "Overview": _table(shareable_overview(rates, threshold)),
        "Attendance bands": _table(shareable(band_counts(rates))),
        "By SIMD quintile": _table(shareable(quintile_breakdown(rates))),
        "By pupil characteristic": _table(shareable(breakdowns(rates))),
    }


def summary_html(workspace: str, data_dir: str | os.PathLike[str] | None = None,
                 attendance_file: str | None = None, pupils_file: str | None = None,
                 columns: Any = None, codes: Any = None, threshold: float = 0.9) -> str:
    """The attendance summary as HTML: overview, bands and breakdowns, suppressed for sharing.

    No pupil is named or listed: flagged pupils stay in the workbook, not in the report.
    """
    limit = check_threshold(threshold)
    files = workbook_files(data_dir, attendance_file, pupils_file)
    data = load_attendance(files["attendance"], files["pupils"], columns=columns, codes=codes)
    rates = pupil_rates(data, threshold=limit)
    return render_html(TEMPLATE, workspace=workspace, frameworks=["six_steps"],
                       title="Attendance summary", threshold=limit,
                       tables=summary_tables(rates, limit))
