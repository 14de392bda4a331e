"""The attendance summary report: only tables safe to share, by the one small-numbers rule.

The report reads the files given, or the workspace's own files in the data folder (see
:mod:`partnerkit.attendance.files`); with neither it refuses plainly, naming the files it
looked for, so a report never shows another school's (or the demo school's) figures.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

from partnerkit.attendance.files import input_files
from partnerkit.attendance.loader import load_attendance
from partnerkit.attendance.measures import (
    QUINTILE_LABELS,
    band_counts,
    breakdowns,
    check_threshold,
    overview,
    pupil_rates,
    quintile_breakdown,
)
from partnerkit.attendance.sharing import shareable
from partnerkit.attendance.views_tables import SHAREABLE_HEADINGS
from partnerkit.disclosure import HIDDEN, SMALL, hidden_positions, is_small
from partnerkit.reports import render_html

TEMPLATE = "attendance_summary.html.j2"
#: Columns of :func:`shareable_overview`.
SHAREABLE_OVERVIEW_COLUMNS = ("measure", "shown")


REPORT_HEADINGS = {"measure": "Measure", "shown": "Figure", **SHAREABLE_HEADINGS}
"""The report's column headings, as the page's tables write them."""


def _table(frame: pd.DataFrame) -> dict[str, Any]:
    """A table for the report: readable headings; the ``suppressed`` marker left out."""
    frame = frame[[c for c in frame.columns if c in REPORT_HEADINGS]]
    frame = frame.astype(object).where(frame.notna(), "")
    return {"columns": [REPORT_HEADINGS[c] for c in frame.columns],
            "rows": frame.values.tolist()}


def shareable_overview(rates: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """The overview's ``measure`` and ``shown`` columns, by the one small-numbers rule.

    Counts of 1 to 4 pupils read ``"<5"`` (zero reads 0). Pupils with and without
    possible openings split all pupils, whose number is shown, so when one of the two is
    hidden the other is hidden too (``"c"``); a share worked out from a hidden count is
    hidden with it, and so is the gap between SIMD quintiles 1 and 5 when either
    quintile's figures are hidden in the quintile table.
    """
    table = overview(rates, threshold=threshold)
    values = table["value"].tolist()
    shown = table["shown"].astype(object).tolist()
    count_rows = [i for i, m in enumerate(table["measure"]) if m.startswith("Pupils")]
    split = [i for i in count_rows if "possible openings" in table["measure"][i]]
    hidden = dict(zip(split, hidden_positions([values[i] for i in split]), strict=True))
    for i in count_rows:
        hidden[i] = hidden.get(i, False) or is_small(values[i])
        if hidden[i]:
            shown[i] = SMALL if is_small(values[i]) else HIDDEN
    share = next(i for i, m in enumerate(table["measure"]) if m.startswith("Share of pupils"))
    if any(hidden[i] for i in count_rows if i != count_rows[0]):
        shown[share] = HIDDEN
    quintiles = shareable(quintile_breakdown(rates)).set_index("group")["suppressed"]
    if quintiles[QUINTILE_LABELS[1]] or quintiles[QUINTILE_LABELS[5]]:
        shown[next(i for i, m in enumerate(table["measure"]) if m.startswith("Gap"))] = HIDDEN
    return pd.DataFrame({"measure": table["measure"], "shown": shown},
                        columns=list(SHAREABLE_OVERVIEW_COLUMNS))


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
                 columns: Any = None, codes: Any = None, threshold: float = 0.9,
                 store: Any = None) -> str:
    """The attendance summary as HTML: overview, bands and breakdowns, suppressed for sharing.

    Reads ``attendance_file`` (and ``pupils_file``), or else the workspace's own files in
    the data folder; raises :class:`~partnerkit.errors.InputFileError` naming the files
    looked for when there are none. No pupil is named or listed: flagged pupils stay in
    the workbook, not in the report. With ``store``, its pages carry the workspace's
    title and sensitivity marking.
    """
    limit = check_threshold(threshold)
    files = input_files(data_dir, workspace, attendance_file, pupils_file)
    data = load_attendance(files["attendance"], files["pupils"], columns=columns, codes=codes)
    rates = pupil_rates(data, threshold=limit)
    return render_html(TEMPLATE, workspace=workspace, frameworks=["six_steps"],
                       title="Attendance summary", threshold=limit, store=store,
                       tables=summary_tables(rates, limit))
