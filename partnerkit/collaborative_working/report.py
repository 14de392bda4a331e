"""The module's HTML: sections, self-ratings, postcards, quiz feedback and the cohort summary.

Every fragment is a Jinja partial in ``templates/parts/`` rendered with the reports'
autoescaping environment (:func:`partnerkit.reports.environment`), so text a
practitioner typed is shown as typed, never read as markup. Times read as
:func:`partnerkit.reports.text.format_moment` writes them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from partnerkit.collaborative_working.data import cohort_summary, self_ratings
from partnerkit.collaborative_working.rules import (
    Activity16Result,
    Grade,
    QuizStatus,
    rating_change,
    section_id,
)
from partnerkit.content import load_content
from partnerkit.disclosure import HIDDEN, MIN_COUNT, SMALL
from partnerkit.records.module import Postcard, QuizAttempt
from partnerkit.reports import render_html
from partnerkit.reports.parts import render_part
from partnerkit.reports.text import format_date, format_moment
from partnerkit.store import Store

COHORT_TITLES = {"activities": "Practitioners who completed each activity",
                 "quiz": "End-of-module quiz", "quiz_attempts": "Attempts made per practitioner",
                 "self_ratings": "Self-ratings of knowledge and understanding of inclusion"}
"""The heading of each cohort summary table."""

COHORT_NOTE = (f"Counts only, no names. A group of 1 to {MIN_COUNT - 1} people is shown as "
               f"'{SMALL}', and a count that would let a hidden one be worked out as "
               f"'{HIDDEN}'; zero is shown as 0.")
"""What the cohort summary says about the numbers it hides."""


def section_html(number: str) -> str:
    """The narrative of one section (6.1–6.4) as HTML, paraphrased from the content.

    Raises:
        NotFoundError: ``number`` is not one of the module's sections.
    """
    content = load_content()
    key = str(number).strip()
    context: dict[str, Any] = {"section": content.item(section_id(key)), "number": key}
    if key == "6.1":
        context.update(video=content.item("module6.activity14"),
                       aspire=content.item("module6.aspire"),
                       supports=[content.item("module6.universal"),
                                 content.item("module6.targeted")])
    elif key == "6.2":
        context.update(barriers=content.item("module6.parent_barriers"),
                       contributions=content.item("module6.parent_contributions"),
                       video=content.item("module6.activity15"))
    elif key == "6.3":
        context.update(services=content.item("module6.services"),
                       request=content.item("module6.request_for_assistance"))
    return render_part("module_section", **context)


def _rating_cell(rating: int | None) -> dict[str, str] | None:
    if rating is None:
        return None
    return {"dots": "●" * rating + "○" * (5 - rating),
            "label": load_content().item(f"module6.self_rating.{rating}").text}


def self_rating_html(store: Store, workspace: str, practitioner: str) -> str:
    """The start and end self-ratings side by side, with the change, as HTML."""
    ratings = self_ratings(store, workspace, practitioner)
    return render_part("self_rating_comparison",
                question=load_content().item("module6.self_rating").text,
                cells=[_rating_cell(ratings["start"]), _rating_cell(ratings["end"])],
                note=rating_change(ratings["start"], ratings["end"]))


COHORT_HEADINGS = {"activity": "Activity", "practitioners": "Practitioners",
                   "measure": "Measure", "value": "Figure", "attempts_made": "Attempts made",
                   "rating": "Rating", "start": "At the start", "end": "At the end"}
"""The cohort tables' column headings in words (an id column such as ``activity_id`` is
left out)."""


def _cohort_table(name: str, frame: pd.DataFrame) -> dict[str, Any]:
    shown = frame[[c for c in frame.columns if c in COHORT_HEADINGS]]
    return {"heading": COHORT_TITLES[name],
            "columns": [COHORT_HEADINGS[c] for c in shown.columns],
            "rows": shown.itertuples(index=False, name=None)}


def cohort_html(store: Store, workspace: str) -> str:
    """The cohort summary's tables as HTML for the trainer (no names, no ids)."""
    tables = [_cohort_table(name, frame)
              for name, frame in cohort_summary(store, workspace).items()]
    return render_part("cohort_summary", workspace=workspace, note=COHORT_NOTE, tables=tables)


PROGRESS_HEADINGS = ("Participant", "Activities completed", "Log entries shared with you",
                     "Quiz attempts", "Best score", "Quiz")
"""The headings of the trainer's table of each participant (no usernames, no ids)."""

PROGRESS_NOTE = ("Progress and quiz results of each participant. A reflective task counts "
                 "here once its writer shares the entry with you; you never see the text "
                 "of an entry that is not shared.")
"""What the trainer's table of each participant says it shows."""


def _quiz_cell(row: Any) -> str:
    if row.locked_until is not None and not pd.isna(row.locked_until):
        return f"Locked until {format_moment(pd.Timestamp(row.locked_until).to_pydatetime())}"
    if row.passed:
        return "Passed"
    return "Not passed yet" if row.attempts else "Not attempted"


def _score_cell(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.0f}%"


def cohort_progress_html(progress: pd.DataFrame) -> str:
    """Each participant's progress and quiz results by name, as HTML (for the trainer)."""
    note = render_part("help_note", note=PROGRESS_NOTE)
    if progress.empty:
        return note + render_part("help_note", note="Nobody in this workspace has started "
                                                    "the module yet.")
    rows = [(row.name, f"{row.completed} of {row.activities}", row.shared_entries,
             row.attempts, _score_cell(row.best_score_percent), _quiz_cell(row))
            for row in progress.itertuples(index=False)]
    return note + render_part("data_table", heading="Each participant",
                              columns=PROGRESS_HEADINGS, rows=rows)


def postcard_html(postcard: Postcard, workspace: str, store: Any = None) -> str:
    """A printable home/school postcard (HTML through ``templates/postcard.html.j2``).

    With ``store`` it names the school and carries the workspace's sensitivity marking.
    """
    heading = load_content().item(f"module6.postcard.{postcard.card_type}")
    return render_html("postcard.html.j2", workspace=workspace, frameworks=["module6"],
                       title=heading.text, heading=heading.text, kind=heading.title,
                       card=postcard, sent=format_date(postcard.date_sent),
                       reference=postcard.pupil, store=store)


def attempts_html(status: QuizStatus) -> str:
    """The practitioner's attempts so far as a small table (HTML)."""
    rows = [{"attempt": a.attempt, "submitted": format_moment(a.submitted_at),
             "score": f"{a.correct} of {len(a.question_ids)} ({a.score:.0%})",
             "result": "Passed" if a.passed else "Not passed"} for a in status.attempts]
    return render_part("quiz_attempts", rows=rows)


def results_html(result: Grade, record: QuizAttempt, review: Any = None) -> str:
    """Score, pass or not, and per question what ``review`` allows.

    ``review`` says whether marks, feedback and the right answers show; by default marks
    and feedback do, never the right answers.
    """
    return render_part("quiz_results", result=result, record=record,
                       score=f"{record.score:.0%}", review=review)


def activity16_html(result: Activity16Result) -> str:
    """Feedback for each Activity 16 statement, as HTML (all text escaped)."""
    return render_part("activity16_feedback", result=result)
