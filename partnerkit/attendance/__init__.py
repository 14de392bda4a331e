"""Attendance data: load a school's or an authority's export, measure it, find who needs support.

Steps 1.1 and 1.3 of the six steps ask a school to look at its attendance and equalities
data with partners and to interrogate it. The usual path::

    data = load_attendance("marks.csv", "pupils.csv")     # checks every row
    rates = pupil_rates(data, threshold=0.9)                # one row per pupil
    quintile_breakdown(rates); quintile_gap(rates); band_counts(rates)
    monthly_trend(data); termly_trend(data)
    shareable(quintile_breakdown(rates))                    # counts under 5 hidden
    flagged_pupils(rates)                                   # with links to their plans

Modules: :mod:`.fields` (headings and column mapping), :mod:`.codes` (code table),
:mod:`.sources` (opening a file, finding its headings), :mod:`.csvread` and
:mod:`.xlsxread` (reading records), :mod:`.encode` (fast distinct values),
:mod:`.problems` (refuse or skip), :mod:`.marks`, :mod:`.totals` and :mod:`.pupils`
(checking rows), :mod:`.loader` (one call), :mod:`.measures`, :mod:`.trends`,
:mod:`.sharing`, :mod:`.stretch`, :mod:`.charts`, :mod:`.links`, :mod:`.demo`.
"""

from partnerkit.attendance.charts import (
    chart_bands,
    chart_quintiles,
    chart_stretch_aims,
    chart_trend,
)
from partnerkit.attendance.codes import CATEGORIES, DEFAULT_CODES, CodeTable, load_codes
from partnerkit.attendance.demo import demo_files, workbook_files, write_demo_files
from partnerkit.attendance.fields import read_column_map
from partnerkit.attendance.links import flagged_pupils, flagged_view, pupil_link
from partnerkit.attendance.loader import AttendanceData, LoadReport, load_attendance, load_pupils
from partnerkit.attendance.marks import MarksGrid
from partnerkit.attendance.measures import (
    BANDS,
    band_counts,
    breakdown,
    breakdowns,
    check_threshold,
    flagged,
    overview,
    pupil_rates,
    quintile_breakdown,
    quintile_gap,
)
from partnerkit.attendance.pupils import decile_to_quintile
from partnerkit.attendance.sharing import shareable
from partnerkit.attendance.stretch import (
    read_trajectory,
    school_year,
    stretch_aim_tracker,
    stretch_measures,
)
from partnerkit.attendance.summary import summary_html, summary_tables
from partnerkit.attendance.trends import monthly_trend, termly_trend

__all__ = [
    "BANDS", "CATEGORIES", "DEFAULT_CODES", "AttendanceData", "CodeTable", "LoadReport",
    "MarksGrid", "band_counts",
    "check_threshold", "breakdown", "breakdowns", "chart_bands", "chart_quintiles",
    "chart_stretch_aims", "chart_trend", "decile_to_quintile", "demo_files", "flagged",
    "flagged_pupils", "flagged_view", "load_attendance", "load_codes", "load_pupils",
    "monthly_trend", "overview", "pupil_link", "pupil_rates", "quintile_breakdown",
    "quintile_gap", "read_column_map", "read_trajectory", "school_year", "shareable",
    "stretch_aim_tracker", "summary_html", "summary_tables", "stretch_measures", "termly_trend",
    "workbook_files", "write_demo_files",
]
