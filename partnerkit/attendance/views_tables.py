"""The attendance workbook's tables on a page: plain tables of the wing's DataFrames.

The DataFrames (:meth:`~partnerkit.attendance.AttendanceData.report`,
:func:`~partnerkit.attendance.overview`, :func:`~partnerkit.attendance.shareable`,
:func:`~partnerkit.attendance.stretch_aim_tracker`,
:func:`~partnerkit.attendance.flagged_pupils`) keep their fixed columns for batch use and
JupyterLab; a page shows each through :func:`partnerkit.reports.frames.frame_table`:
readable headings, no row numbers, no field names, percentages as ``87.5%``, and a
sentence instead of an empty table.
"""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from partnerkit.attendance.links import LINK_TEMPLATE
from partnerkit.attendance.loader import AttendanceData
from partnerkit.attendance.measures import DEFAULT_THRESHOLD, overview
from partnerkit.attendance.sharing import shareable
from partnerkit.reports.cells import format_number, format_percent, is_missing
from partnerkit.reports.frames import Column, frame_table
from partnerkit.reports.html import environment

MATCHED = {"mapped by you": "You chose it", "same name": "Same name",
           "recognised heading": "A heading the workbook knows", "not found": "Not found",
           "not used": "Not used"}
"""How a heading was matched (``ColumnMatch.how``), in words."""

COLUMNS_TABLE = (Column("file", "File"),
                 Column("meaning", "What the workbook looked for", missing="Not used"),
                 Column("required", "Needed", "yes_no"),
                 Column("heading", "Heading in your file", missing="Not found", typed=True),
                 Column("how", "How it was matched", labels=MATCHED))
"""How the workbook read each file's headings (``REPORT_COLUMNS`` less the field name)."""

OVERVIEW_TABLE = (Column("measure", "Measure"), Column("shown", "Figure"))
"""The headline figures, as written for reading."""

SHAREABLE_HEADINGS = {
    "characteristic": "Pupils by", "group": "Group", "band": "Attendance band",
    "pupils": "Pupils", "share": "Share of pupils",
    "pupils_with_openings": "Pupils with possible openings",
    "possible": "Possible openings", "attended": "Openings attended",
    "rate": "Attendance rate", "low_attendance": "Pupils with low attendance",
    "low_attendance_share": "Share with low attendance",
    "no_possible": "Pupils with no possible openings"}
"""Headings of the columns a shareable table may have (every other column is left out)."""

SHOWN_GROUPS = 25
"""Rows of a long breakdown shown before "Show the other ..."."""

TRACKER_TABLE = (Column("year", "School year"), Column("measure", "Measure"),
                 Column("target", "Target", missing="No target set"),
                 Column("actual", "Result", missing="Not known yet"),
                 Column("difference", "Result minus target (percentage points)",
                        missing="Not known yet"),
                 Column("on_track", "On track", "yes_no", missing="Not known yet"))
"""Stretch aims against results (``TRACKER_COLUMNS`` less the measure's key)."""

FLAGGED_TABLE = (Column("pupil", "Pupil reference"),
                 Column("rate", "Attendance", "fraction"),
                 Column("possible", "Possible openings", "count"),
                 Column("attended", "Openings attended", "count"),
                 Column("unauthorised", "Unauthorised absences", "count"),
                 Column("band", "Band"), Column("stage", "Stage"), Column("class", "Class"),
                 Column("map_link", "Map"), Column("support_link", "Staged support"))
"""The pupils who may need support, with links to their map and plan."""

SHOWN_PUPILS = 20
"""Flagged pupils shown before "Show the other ..." (lowest attendance first)."""


def columns_table(data: AttendanceData) -> HTML:
    """Each file's headings as the workbook read them: found, how, and what was not used."""
    frame = data.report().replace({"meaning": {"": None}, "heading": {"": None}})
    return HTML(frame_table(frame, COLUMNS_TABLE, empty="No file was read."))


def overview_table(rates: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> HTML:
    """The headline figures (:func:`~partnerkit.attendance.overview`) as measure and figure."""
    return HTML(frame_table(overview(rates, threshold=threshold), OVERVIEW_TABLE,
                            empty="No pupils were read from the file."))


def shareable_table(table: pd.DataFrame) -> HTML:
    """A breakdown made safe to share (:func:`~partnerkit.attendance.shareable`), in words.

    Counts of 1 to 4 read ``<5`` and figures that would give one away ``c``, as in the
    summary report; the ``suppressed`` marker column is left out.
    """
    safe = shareable(table)
    columns = [Column(name, heading) for name, heading in SHAREABLE_HEADINGS.items()
               if name in safe.columns]
    return HTML(frame_table(safe, columns, empty="No pupils to count.", limit=SHOWN_GROUPS,
                            more=("group", "groups")))


def _aim(value: float, key: str) -> str | None:
    if is_missing(value):
        return None
    return f"{format_number(value)} points" if key == "gap" else format_percent(
        value, fraction=False)


def _signed(value: float) -> str | None:
    if is_missing(value):
        return None
    value = round(value, 1)
    return ("+" if value > 0 else "−" if value < 0 else "") + format_number(math.fabs(value))


def tracker_table(tracker: pd.DataFrame) -> HTML:
    """Stretch aims against results (:func:`~partnerkit.attendance.stretch_aim_tracker`).

    Rates read ``91.5%``, the gap between quintiles ``5.5 points``, a result not known yet
    says so.
    """
    shown = tracker.astype({"target": object, "actual": object, "difference": object})
    shown["target"] = [_aim(v, k) for v, k in zip(tracker["target"], tracker["key"],
                                                    strict=True)]
    shown["actual"] = [_aim(v, k) for v, k in zip(tracker["actual"], tracker["key"],
                                                    strict=True)]
    shown["difference"] = [_signed(v) for v in tracker["difference"]]
    return HTML(frame_table(shown, TRACKER_TABLE,
                            empty="No stretch aims were found: add your school's "
                                  "stretch_aims.csv to the workspace's folder."))


def _link(url: str, text: str) -> Markup:
    return Markup(environment().get_template(LINK_TEMPLATE).render(url=url, text=text))


def flagged_table(flagged: pd.DataFrame) -> HTML:
    """The pupils who may need support (:func:`~partnerkit.attendance.flagged_pupils`).

    Lowest attendance first, each with a link to their map and their staged support
    plan; the first :data:`SHOWN_PUPILS` shown, the rest one click away.
    """
    def links(column: str, text: str) -> pd.Series:
        cells = [_link(url, text.format(pupil)) for url, pupil
                 in zip(flagged[column], flagged["pupil"], strict=True)]
        return pd.Series(cells, index=flagged.index, dtype=object)   # kept as markup

    shown = flagged.assign(map_link=links("map_link", "Map of {}"),
                           support_link=links("support_link", "Plan for {}"))
    return HTML(frame_table(shown, FLAGGED_TABLE,
                            empty="No pupil's attendance is at or below the threshold: "
                                  "there is nobody to list.",
                            limit=SHOWN_PUPILS, more=("pupil", "pupils")))


__all__ = ["COLUMNS_TABLE", "FLAGGED_TABLE", "OVERVIEW_TABLE", "TRACKER_TABLE",
           "columns_table", "flagged_table", "overview_table", "shareable_table",
           "tracker_table"]
