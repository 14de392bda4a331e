"""Attendance data: load a school's or an authority's export, measure it, find who needs support.

Steps 1.1 and 1.3 of the six steps ask a school to look at its attendance and equalities
data with partners and to interrogate it. The usual path::

    files = input_files(data_dir, workspace)                # given, or the workspace's own
    data = load_attendance(files["attendance"], files["pupils"])   # checks every row
    rates = pupil_rates(data, threshold=0.9)                # one row per pupil
    quintile_breakdown(rates); quintile_gap(rates); band_counts(rates)
    monthly_trend(data); termly_trend(data)
    shareable(quintile_breakdown(rates))                    # counts of 1 to 4 hidden
    flagged_pupils(rates)                                   # with links to their plans

Files are read by :mod:`partnerkit.tables` (one reader, one heading matcher); counts are
shared by :mod:`partnerkit.disclosure` (one small-numbers rule). Modules: :mod:`.files`
(which files), :mod:`.fields` (headings), :mod:`.codes` (code table), :mod:`.problems`
(refuse or skip), :mod:`.marks`, :mod:`.totals` and :mod:`.pupils` (checking rows),
:mod:`.loader` (one call), :mod:`.measures`, :mod:`.trends`, :mod:`.sharing`,
:mod:`.stretch`, :mod:`.charts`, :mod:`.links`, :mod:`.summary` (the report),
:mod:`.views_tables` (the page's plain tables of the DataFrames above), :mod:`.upload`
(an export given on the page) and :mod:`.views` (the page: :func:`attendance_page`).
"""

from partnerkit.attendance.charts import (
    chart_bands,
    chart_quintiles,
    chart_stretch_aims,
    chart_trend,
)
from partnerkit.attendance.codes import CATEGORIES, DEFAULT_CODES, CodeTable, load_codes
from partnerkit.attendance.fields import read_column_map
from partnerkit.attendance.files import FILES, input_files, workspace_folder
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
from partnerkit.attendance.summary import shareable_overview, summary_html, summary_tables
from partnerkit.attendance.trends import monthly_trend, termly_trend
from partnerkit.attendance.views import AttendancePage, attendance_page
from partnerkit.attendance.views_tables import (
    columns_table,
    flagged_table,
    overview_table,
    shareable_table,
    tracker_table,
)

__all__ = [
    "BANDS", "CATEGORIES", "DEFAULT_CODES", "FILES", "AttendanceData", "AttendancePage",
    "CodeTable", "attendance_page",
    "LoadReport", "MarksGrid", "band_counts", "breakdown", "breakdowns", "chart_bands",
    "chart_quintiles", "chart_stretch_aims", "chart_trend", "check_threshold", "columns_table",
    "decile_to_quintile", "flagged", "flagged_pupils", "flagged_table", "flagged_view",
    "input_files",
    "load_attendance", "load_codes", "load_pupils", "monthly_trend", "overview",
    "overview_table", "pupil_link",
    "pupil_rates", "quintile_breakdown", "quintile_gap", "read_column_map", "read_trajectory",
    "school_year", "shareable", "shareable_overview", "shareable_table", "stretch_aim_tracker",
    "stretch_measures", "summary_html", "summary_tables", "termly_trend", "tracker_table",
    "workspace_folder",
]
