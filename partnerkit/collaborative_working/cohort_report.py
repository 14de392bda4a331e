"""The trainer's cohort board as a table people read, a report (PDF) and CSV/XLSX files.

One row per participant: ✓ for each activity done (by its short heading), how many of
the required activities are done, the quiz (attempts, best score, passed, lock), when
they last saved and their status. CSV and XLSX are formula-safe
(:mod:`partnerkit.reports.sheets`); the PDF is printed from the same HTML. These files
name participants: they are for the cohort's trainer. The anonymised summary for
sharing outside the cohort is :func:`~partnerkit.collaborative_working.cohort_summary`
(every count through :mod:`partnerkit.disclosure`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from partnerkit.collaborative_working.completion import cohort_board, filter_board
from partnerkit.collaborative_working.rules.completion import ACTIVITIES
from partnerkit.collaborative_working.rules.items import ITEM_COLUMNS  # noqa: F401
from partnerkit.reports import html_to_pdf, render_html, write_private
from partnerkit.reports.frames import Column, frame_table
from partnerkit.reports.parts import render_part
from partnerkit.reports.sheets import write_csv, write_xlsx
from partnerkit.reports.text import format_moment
from partnerkit.store import Store

SHORT = {"start.rating": "Rating (start)", "start.wheel": "Wheel (start)",
         "module6.activity14": "Act. 14", "module6.activity15": "Act. 15",
         "module6.task_6_2": "Task 6.2", "module6.activity16": "Act. 16",
         "module6.task_effective_collaboration": "Collab. task",
         "module6.task_optional_effective_collaboration": "Optional task",
         "module6.activity17": "Act. 17", "end.rating": "Rating (end)",
         "end.wheel": "Wheel (end)", "module6.quiz": "Quiz passed",
         "module6.feedback_survey": "Survey"}
"""Each activity's short column heading."""
READABLE = ("Participant", *(SHORT[a.id] for a in ACTIVITIES), "Done", "Quiz attempts",
            "Best score", "Locked until", "Last saved", "Status")
"""The columns of :func:`readable_board`, as headed in every export."""
BOARD_NOTE = ("A reflective task counts here once its writer shares the entry with you: "
              "you never see a log entry that is not shared.")
FILTERS = {"all": "Everyone", "not started": "Not started", "stuck": "Stuck",
           "locked": "Locked out of the quiz", "working": "Working",
           "complete": "Complete"}
"""The board's filters (a status, or everyone)."""


def _when(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    return format_moment(value.to_pydatetime() if hasattr(value, "to_pydatetime") else value)


def readable_board(board: pd.DataFrame) -> pd.DataFrame:
    """The board as people read it: columns :data:`READABLE`, text cells, no ids."""
    rows = []
    for row in board.to_dict("records"):
        best = row["best_score_percent"]
        rows.append([row["name"], *("✓" if row[a.id] else "–" for a in ACTIVITIES),
                     f"{row['done']} of {row['required']}", row["attempts"],
                     "" if pd.isna(best) else f"{int(best)}%", _when(row["locked_until"]),
                     _when(row["last_saved"]), row["status"]])
    return pd.DataFrame(rows, columns=list(READABLE))


def board_table_html(board: pd.DataFrame, status: str = "all") -> str:
    """The board (filtered by ``status``) as the plain page table."""
    shown = readable_board(filter_board(board, status))
    label = FILTERS.get(status, status)
    table = frame_table(shown, [Column(c, c) for c in READABLE],
                        caption=f"Participants: {label.lower()} ({len(shown)})",
                        empty="Nobody in this cohort matches this filter."
                        if status != "all" else "Nobody is in this cohort yet.")
    return render_part("cohort_board_table", table=Markup(table))  # an autoescaped part


def cohort_report_html(store: Store, workspace: str, *, leave_out: tuple[str, ...] = (),
                       status: str = "all") -> str:
    """The cohort board as a report page (HTML through ``cohort_board.html.j2``)."""
    board = cohort_board(store, workspace, leave_out=leave_out)
    return render_html("cohort_board.html.j2", workspace=workspace, frameworks=["module6"],
                       title=f"Cohort progress: {workspace}", note=BOARD_NOTE,
                       table=Markup(board_table_html(board, status)),  # an autoescaped part
                       rules=[(a.label, a.rule, a.required) for a in ACTIVITIES])


def export_board(store: Store, workspace: str, out_dir: str | Path, *,
                 leave_out: tuple[str, ...] = (), status: str = "all") -> dict[str, Path]:
    """Write the board as CSV, XLSX (formula-safe) and PDF, owner-only; return the paths."""
    board = filter_board(cohort_board(store, workspace, leave_out=leave_out), status)
    table = readable_board(board)
    base = Path(out_dir) / f"cohort-{workspace}"
    html = cohort_report_html(store, workspace, leave_out=leave_out, status=status)
    return {"csv": write_csv(base.with_suffix(".csv"), table),
            "xlsx": write_xlsx(base.with_suffix(".xlsx"), table, sheet="Cohort"),
            "pdf": write_private(base.with_suffix(".pdf"), html_to_pdf(html))}


ITEM_HEADINGS = (Column("question", "Question"), Column("attempts", "Attempts drawing it"),
                 Column("right", "Right"), Column("facility", "Proportion right", "fraction"),
                 Column("discrimination", "Discrimination (upper − lower 27%)", "number"))
"""The page's columns of the item statistics (names from :data:`ITEM_COLUMNS`)."""
