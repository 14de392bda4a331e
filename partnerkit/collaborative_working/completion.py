"""Activity completion and the trainer's cohort board, read from the store.

The rules are in :mod:`.rules.completion` (one per activity, shown to the participant).
:func:`my_completion` is one participant's list; :func:`cohort_board` is the trainer's
table, one row per participant and a column per activity, with the quiz and a status:

- **not started**: nothing saved yet;
- **locked**: locked out of the quiz now;
- **stuck**: not finished, and either two or more failed quiz attempts in a row, or
  nothing saved for :data:`STUCK_MINUTES` minutes;
- **complete**: every required activity done;
- **working**: anything else.

Everything is read through the store the caller was given, so a trainer's guarded
store shows only what a trainer may read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import pandas as pd

from partnerkit.collaborative_working.rules import ModuleRecords, status_of
from partnerkit.collaborative_working.rules.completion import (
    ACTIVITIES,
    ModuleWork,
    done_by,
    left_to_do,
    people_of,
)
from partnerkit.records.base import Record
from partnerkit.records.module import (
    Activity16Answer,
    FeedbackSurvey,
    LogEntry,
    QuizAttempt,
    QuizLockLift,
    SelfRating,
    WheelRating,
    practitioner_name,
    practitioner_names,
)
from partnerkit.records.training import ActivityMark
from partnerkit.reports.text import aware
from partnerkit.store import Store

R = TypeVar("R", bound=Record)
STUCK_MINUTES = 15
"""Minutes without a save after which an unfinished participant counts as stuck."""
STATUSES = ("not started", "working", "stuck", "locked", "complete")
"""Every status of a row of :func:`cohort_board`."""
COMPLETION_COLUMNS = ("activity_id", "activity", "rule", "required", "done")
"""The columns of :func:`my_completion`: one row per activity, in module order."""
BOARD_COLUMNS = ("practitioner", "name", *(a.id for a in ACTIVITIES), "done", "required",
                 "attempts", "best_score_percent", "passed", "locked_until", "last_saved",
                 "status")
"""The columns of :func:`cohort_board`: who, one True/False column per activity (by id),
how many required activities are ``done`` of ``required``, the quiz (attempts, best score,
passed, when a lock ends), when they last saved anything, and their status."""
PERSONAL = ("log_entry", "self_rating", "wheel_rating", "activity16_answer", "quiz_attempt",
            "quiz_draft", "feedback_survey", "activity_mark")


def _stored(store: Store, workspace: str) -> dict[str, list[Any]]:
    """Every record of the kinds completion reads, each kind listed once."""
    return {kind: store.list(workspace, kind) for kind in (*PERSONAL, QuizLockLift.kind)}


def _typed(stored: dict[str, list[Any]], record_type: type[R]) -> list[R]:
    return [record_type.model_validate(s.data) for s in stored[record_type.kind]]


def _work(stored: dict[str, list[Any]]) -> ModuleWork:
    marks = {(m.practitioner, m.activity) for m in _typed(stored, ActivityMark) if m.done}
    records = ModuleRecords(ratings=_typed(stored, SelfRating), wheels=_typed(stored, WheelRating),
                            logs=_typed(stored, LogEntry),
                            answers=_typed(stored, Activity16Answer),
                            surveys=_typed(stored, FeedbackSurvey))
    return ModuleWork(records, _typed(stored, QuizAttempt), marks)


def module_work(store: Store, workspace: str) -> ModuleWork:
    """Every record completion is judged on, as the store lets the reader see it."""
    return _work(_stored(store, workspace))


def my_completion(store: Store, workspace: str, practitioner: str) -> pd.DataFrame:
    """One participant's activities: columns :data:`COMPLETION_COLUMNS`, in module order."""
    who = practitioner_name(practitioner)
    done = done_by(who, module_work(store, workspace))
    return pd.DataFrame([{"activity_id": a.id, "activity": a.label, "rule": a.rule,
                          "required": a.required, "done": done[a.id]} for a in ACTIVITIES],
                        columns=list(COMPLETION_COLUMNS))


def what_is_left(store: Store, workspace: str, practitioner: str) -> list[str]:
    """The required activities a participant has not completed, as their labels."""
    who = practitioner_name(practitioner)
    return [a.label for a in left_to_do(done_by(who, module_work(store, workspace)))]


def _last_saved(stored: dict[str, list[Any]]) -> dict[str, dt.datetime]:
    latest: dict[str, dt.datetime] = {}
    for kind in PERSONAL:
        for record in stored[kind]:
            who = record.key.split("/", 1)[0]
            moment = aware(record.updated_at)
            latest[who] = max(latest.get(who, moment), moment)
    return latest


def _status(row: dict[str, Any], failed_in_row: int, locked: bool, now: dt.datetime) -> str:
    if row["last_saved"] is None:
        return "not started"
    if locked:
        return "locked"
    if row["done"] >= row["required"]:
        return "complete"
    idle = now - row["last_saved"] >= dt.timedelta(minutes=STUCK_MINUTES)
    return "stuck" if failed_in_row >= 2 or idle else "working"


def cohort_board(store: Store, workspace: str, *, leave_out: tuple[str, ...] = ()
                 ) -> pd.DataFrame:
    """One row per participant: columns :data:`BOARD_COLUMNS`, in name order.

    Participants are the workspace's members and everyone with module work the reader
    may see, less ``leave_out`` (the trainer reading it).
    """
    stored = _stored(store, workspace)
    work = _work(stored)
    lifted: dict[str, list[QuizLockLift]] = {}
    for lift in _typed(stored, QuizLockLift):
        lifted.setdefault(lift.practitioner, []).append(lift)
    names = practitioner_names(store, workspace)
    saved = _last_saved(stored)
    people = (set(names) | set(people_of(work))) - set(leave_out)
    now = aware(store.clock())
    required = sum(a.required for a in ACTIVITIES)
    rows = []
    for who in sorted(people, key=lambda p: (names.get(p, p).casefold(), p)):
        done = done_by(who, work)
        status = status_of(who, [a for a in work.attempts if a.practitioner == who], now,
                           lifts=lifted.get(who, []))
        best = max((a.score for a in status.attempts), default=None)
        row = {"practitioner": who, "name": names.get(who, who), **done,
               "done": sum(done[a.id] for a in ACTIVITIES if a.required),
               "required": required, "attempts": len(status.attempts),
               "best_score_percent": float("nan") if best is None else round(best * 100),
               "passed": status.passed,
               "locked_until": status.locked_until if status.locked else None,
               "last_saved": saved.get(who)}
        row["status"] = _status(row, status.failed_in_row, status.locked, now)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(BOARD_COLUMNS))


def filter_board(board: pd.DataFrame, status: str | None) -> pd.DataFrame:
    """The rows of ``board`` with ``status`` (every row when ``status`` is None or "all")."""
    if status in (None, "", "all"):
        return board
    return board[board["status"] == status]
