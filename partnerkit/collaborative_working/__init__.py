"""The collaborative partnership working training module (section 6): activities, quiz, cohort.

The workbook calls ``collaborative_working.section(s, "6.1")``,
``collaborative_working.quiz_widget(s)`` and so on. Inside: :mod:`.rules` (pure: the quiz
bank, drawing, grading, the lock, Activity 16, completion), :mod:`.data` (the store as
records and DataFrames with fixed columns, quiz attempts, the cohort summary),
:mod:`.report` (HTML through Jinja partials), :mod:`.charts` (the wheel) and
:mod:`.views` / :mod:`.views_quiz` (the only modules that import ipywidgets).

The widget names load on first use (module ``__getattr__``), so importing this package
for its rules, data or report does not load ipywidgets.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnerkit.collaborative_working.charts import wheel_chart
from partnerkit.collaborative_working.data import (
    ACTIVITY_COLUMNS,
    ATTEMPT_COLUMNS,
    ATTEMPTS_COLUMNS,
    PROGRESS_COLUMNS,
    QUIZ_COLUMNS,
    RATING_COLUMNS,
    AttemptInProgress,
    attempts,
    attempts_frame,
    cohort_progress,
    cohort_summary,
    known_pupils,
    lift_lock,
    lifts,
    quiz_status,
    save_draft,
    self_ratings,
    start_attempt,
    submit_attempt,
)
from partnerkit.collaborative_working.report import (
    activity16_html,
    attempts_html,
    cohort_html,
    cohort_progress_html,
    postcard_html,
    results_html,
    section_html,
    self_rating_html,
)
from partnerkit.collaborative_working.rules import (
    BANK_FILE,
    SECTIONS,
    Activity16Result,
    Grade,
    Question,
    QuizBank,
    QuizRules,
    QuizStatus,
    attempt_grade,
    clean_answers,
    draw_questions,
    grade,
    grade_activity16,
    latest_lockout,
    lift_of,
    load_bank,
    lock_until,
    quiz_rules,
    status_of,
)

_VIEWS = {
    "views": ("activity17", "before_you_start", "CohortPanel", "cohort_view", "feedback_form",
              "is_trainer", "log_entry_form", "parent_partnership", "parent_partnership_form",
              "postcards", "PostcardEditor", "PupilPicker", "reflective_task", "section",
              "self_rating_comparison", "self_rating_form", "wheel_figure", "wheel_form",
              "your_cohort"),
    "views_quiz": ("Activity16Widget", "QuizWidget", "activity16_widget", "quiz_widget"),
    "views_completion": ("CertificatePanel", "ProgressPanel", "your_certificate",
                         "your_progress"),
    "views_cohort": ("CohortBoard", "cohort_board_view", "item_statistics_view",
                     "review_options"),
}
_VIEW_MODULE = {name: module for module, names in _VIEWS.items() for name in names}


def __getattr__(name: str) -> Any:
    """A widget name from :mod:`.views` or :mod:`.views_quiz`, imported on first use."""
    module = _VIEW_MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ACTIVITY_COLUMNS", "ATTEMPTS_COLUMNS", "ATTEMPT_COLUMNS", "BANK_FILE", "PROGRESS_COLUMNS",
    "QUIZ_COLUMNS", "RATING_COLUMNS", "SECTIONS", "Activity16Result", "AttemptInProgress",
    "Grade", "Question", "QuizBank", "QuizRules", "QuizStatus", "activity16_html",
    "attempt_grade", "attempts", "attempts_frame", "attempts_html", "clean_answers",
    "cohort_html", "cohort_progress", "cohort_progress_html", "cohort_summary",
    "draw_questions", "grade", "grade_activity16", "known_pupils", "latest_lockout",
    "lift_lock", "lift_of", "lifts", "load_bank", "lock_until", "postcard_html",
    "quiz_rules", "quiz_status", "results_html", "save_draft", "section_html",
    "self_rating_html", "self_ratings", "start_attempt", "status_of", "submit_attempt",
    "wheel_chart", *_VIEW_MODULE,
]
