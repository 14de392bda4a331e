"""The collaborative working module's rules, pure: no store, no forms, no widgets.

:mod:`.bank` loads the quiz bank and the published quiz rules; :mod:`.quiz` draws,
grades and locks the end-of-module quiz; :mod:`.activities` says which sections,
moments and log tasks exist, grades Activity 16 and says when an activity is completed.
"""

from partnerkit.collaborative_working.rules.activities import (
    SECTIONS,
    Activity16Result,
    ModuleRecords,
    StatementFeedback,
    check_log_task,
    check_moment,
    completion,
    grade_activity16,
    rating_change,
    section_id,
)
from partnerkit.collaborative_working.rules.bank import (
    BANK_FILE,
    WHERE,
    Option,
    Question,
    QuizBank,
    QuizRules,
    load_bank,
    quiz_rules,
)
from partnerkit.collaborative_working.rules.quiz import (
    Grade,
    Lockout,
    QuestionResult,
    QuizStatus,
    as_choice_list,
    attempt_grade,
    check_unlocked,
    clean_answers,
    draw_questions,
    duration_text,
    failed_in_row,
    grade,
    hours_text,
    latest_lockout,
    lift_of,
    lock_until,
    status_of,
)

__all__ = [
    "BANK_FILE", "SECTIONS", "WHERE", "Activity16Result", "Grade", "Lockout", "ModuleRecords",
    "Option", "QuestionResult", "Question", "QuizBank", "QuizRules", "QuizStatus",
    "StatementFeedback", "as_choice_list", "attempt_grade", "check_log_task", "check_moment",
    "check_unlocked", "clean_answers", "completion", "draw_questions", "duration_text",
    "failed_in_row", "grade", "grade_activity16", "hours_text", "latest_lockout", "lift_of",
    "load_bank", "lock_until", "quiz_rules", "rating_change", "section_id", "status_of",
]
