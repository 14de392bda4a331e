"""What the store holds for the module, as records and DataFrames with fixed columns.

Practitioner records are filed under the practitioner's username (a store without
accounts: the name typed, spaces tidied, see
:func:`~partnerkit.records.module.practitioner_name`). Quiz attempts are written once:
:func:`submit_attempt` refuses to change a submitted attempt; a trainer lifts a lock with
:func:`lift_lock`, recorded with the reason. For the trainer there is the cohort summary
(counts only, no names, every count through :mod:`partnerkit.disclosure`) and each
participant's progress and quiz results by name (:func:`cohort_progress`). Every read
goes through the store the session was given, so a trainer sees only what a trainer may
read: progress and quiz results, and reflective-log entries their writers shared.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from partnerkit.collaborative_working.rules import (
    WHERE,
    Grade,
    ModuleRecords,
    Question,
    QuizStatus,
    as_choice_list,
    check_unlocked,
    clean_answers,
    completion,
    draw_questions,
    grade,
    status_of,
)
from partnerkit.content import load_content
from partnerkit.disclosure import HIDDEN, hidden_positions, suppress
from partnerkit.errors import (
    AttemptSubmittedError,
    PartnerkitError,
    RecordExistsError,
    RecordValidationError,
)
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.records.module import (
    MOMENTS,
    Activity16Answer,
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    QuizAttempt,
    QuizDraft,
    QuizLockLift,
    SelfRating,
    WheelRating,
    practitioner_name,
    practitioner_names,
)
from partnerkit.reports.text import aware, format_moment
from partnerkit.store import Store

ATTEMPT_COLUMNS = ("attempt", "submitted_at", "correct", "questions", "score_percent",
                   "passed")
"""The columns of :func:`attempts_frame`: one row per submitted attempt, in order."""
ACTIVITY_COLUMNS = ("activity_id", "activity", "practitioners")
"""The columns of the cohort summary's ``activities`` table."""
QUIZ_COLUMNS = ("measure", "value")
"""The columns of the cohort summary's ``quiz`` table."""
ATTEMPTS_COLUMNS = ("attempts_made", "practitioners")
"""The columns of the cohort summary's ``quiz_attempts`` table."""
RATING_COLUMNS = ("rating", "start", "end")
"""The columns of the cohort summary's ``self_ratings`` table."""
PROGRESS_COLUMNS = ("practitioner", "name", "completed", "activities", "shared_entries",
                    "attempts", "best_score_percent", "passed", "locked_until")
"""The columns of :func:`cohort_progress`: one row per participant, in name order.

``practitioner`` is the key their work is filed under (the username), ``name`` their
full name (the key where the store has no accounts); ``completed`` is how many of the
module's ``activities`` they completed as far as the reader may see (for a trainer a
reflective task counts once its entry is shared); ``shared_entries`` counts their log
entries shared with the trainer; ``attempts`` their quiz attempts, ``best_score_percent``
the best score (NaN before any), ``passed`` whether any attempt passed and
``locked_until`` when their quiz lock ends (None when not locked).
"""


# ------------------------------------------------------------------ one practitioner


def self_ratings(store: Store, workspace: str, practitioner: str) -> dict[str, int | None]:
    """A practitioner's self-rating at the start and the end (None where not yet rated)."""
    found = {}
    for moment in MOMENTS:
        record = load_record(store, workspace, SelfRating, f"{practitioner}/{moment}")
        found[moment] = record.rating if record else None
    return found


def wheels(store: Store, workspace: str, practitioner: str) -> dict[str, WheelRating | None]:
    """A practitioner's self-evaluation wheel at the start and the end (None if not begun)."""
    return {m: load_record(store, workspace, WheelRating, f"{practitioner}/{m}")
            for m in MOMENTS}


def known_pupils(store: Store, workspace: str) -> list[str]:
    """Pupil references known in the workspace (profiles, family plans), sorted."""
    refs = {p.pupil for p in load_records(store, workspace, PupilProfile)}
    refs |= {p.pupil for p in load_records(store, workspace, ParentPartnership)}
    return sorted(refs)


def pupil_postcards(store: Store, workspace: str, pupil: str) -> list[Postcard]:
    """The home/school postcards written for a pupil."""
    return load_records(store, workspace, Postcard, prefix=f"{pupil}/")


# ------------------------------------------------------------------ quiz attempts


def attempts(store: Store, workspace: str, practitioner: str) -> list[QuizAttempt]:
    """Every submitted attempt of a practitioner, in attempt order."""
    practitioner = practitioner_name(practitioner)
    found = load_records(store, workspace, QuizAttempt, prefix=f"{practitioner}/")
    return sorted((a for a in found if a.practitioner == practitioner),
                  key=lambda a: a.attempt)


def lifts(store: Store, workspace: str, practitioner: str) -> list[QuizLockLift]:
    """Every lift of a practitioner's quiz lock a trainer recorded, in order."""
    practitioner = practitioner_name(practitioner)
    found = load_records(store, workspace, QuizLockLift, prefix=f"{practitioner}/")
    return sorted((f for f in found if f.practitioner == practitioner), key=lambda f: f.lift)


def quiz_status(store: Store, workspace: str, practitioner: str) -> QuizStatus:
    """A practitioner's quiz status from the stored attempts and lifts, and the store's clock."""
    practitioner = practitioner_name(practitioner)
    return status_of(practitioner, attempts(store, workspace, practitioner), store.clock(),
                     lifts=lifts(store, workspace, practitioner))


def lift_lock(store: Store, workspace: str, practitioner: str, reason: str,
              author: str, grant: str = "lift") -> QuizLockLift:
    """Lift a participant's quiz lock, with the reason; recorded once, with who lifted it.

    Only the cohort's trainer may (the store's permission check refuses anyone else,
    the participant included). The next failed attempts lock the quiz again; with
    ``grant="one_attempt"`` the next failure does.

    Raises:
        PartnerkitError: the participant is not locked out now (nothing to lift).
        RecordValidationError: no reason was given.
        AccessDeniedError: the account may not lift quiz locks.
    """
    practitioner = practitioner_name(practitioner)
    if not isinstance(reason, str) or not reason.strip():
        raise RecordValidationError("no reason was given", value=reason,
                                    field_errors={"reason": "say why you lift the lock"},
                                    where="lifting a quiz lock",
                                    fix="say why you lift the lock; nothing was recorded")
    status = quiz_status(store, workspace, practitioner)
    if not status.locked:
        raise PartnerkitError("is not locked out of the quiz now", value=practitioner,
                              where=WHERE, fix="there is nothing to lift: a lift ends only "
                                               "a lock in force")
    number = max((f.lift for f in lifts(store, workspace, practitioner)), default=0) + 1
    record = validate_record(QuizLockLift, {
        "practitioner": practitioner, "lift": number, "reason": reason,
        "after_attempt": status.attempts[-1].attempt, "lifted_at": aware(store.clock()),
        "grant": grant})
    try:
        save_record(store, workspace, record, author, only_if_new=True)
    except RecordExistsError:
        raise PartnerkitError("had the lock lifted at the same moment from another page",
                              value=practitioner, where=WHERE,
                              fix="reload the page to see the lift") from None
    return record


def draft(store: Store, workspace: str, practitioner: str) -> QuizDraft | None:
    """The answers kept for the attempt in progress, if any."""
    return load_record(store, workspace, QuizDraft, practitioner_name(practitioner))


@dataclass
class AttemptInProgress:
    """An attempt that has been started: its number, questions and answers so far."""

    practitioner: str
    attempt: int
    questions: list[Question]
    answers: dict[str, list[str]] = field(default_factory=dict)


def start_attempt(store: Store, workspace: str, practitioner: str) -> AttemptInProgress:
    """Start (or resume) the practitioner's next attempt, with any answers already kept.

    Raises:
        QuizLockedError: the practitioner is locked out; the message says until when.
    """
    practitioner = practitioner_name(practitioner)
    status = quiz_status(store, workspace, practitioner)
    check_unlocked(status)
    number = status.next_attempt
    kept = draft(store, workspace, practitioner)
    answers = dict(kept.answers) if kept is not None and kept.attempt == number else {}
    if kept is None or kept.attempt != number:
        save_record(store, workspace, QuizDraft(practitioner=practitioner, attempt=number),
                    practitioner)
    return AttemptInProgress(practitioner, number, draw_questions(number), answers)


def save_draft(store: Store, workspace: str, practitioner: str, attempt: int,
               answers: dict[str, Any], *, coalesce: dt.timedelta | None = None) -> None:
    """Keep the answers of an attempt in progress so a reload does not lose them.

    ``coalesce`` folds saves within that time of the last one into one history entry
    (the form engine's autosave interval).
    """
    practitioner = practitioner_name(practitioner)
    kept = {q: as_choice_list(a) for q, a in answers.items() if as_choice_list(a)}
    save_record(store, workspace, QuizDraft(practitioner=practitioner, attempt=attempt,
                                            answers=kept), practitioner, coalesce=coalesce)


def submit_attempt(store: Store, workspace: str, practitioner: str, attempt: int,
                   answers: dict[str, Any]) -> QuizAttempt:
    """Grade and record one attempt; it cannot be changed afterwards.

    Raises:
        AttemptSubmittedError: this attempt was already submitted (it stands as it was).
        QuizLockedError: the practitioner is locked out; the message says until when.
        RecordValidationError: no answer was given, or an answer is not an option.
    """
    practitioner = practitioner_name(practitioner)
    key = f"{practitioner}/{attempt:04d}"
    _refuse_resubmission(load_record(store, workspace, QuizAttempt, key), attempt)
    status = quiz_status(store, workspace, practitioner)
    check_unlocked(status)
    if attempt != status.next_attempt:
        raise PartnerkitError("is not the next attempt", value=attempt, where=WHERE,
                              fix=f"start the quiz again to take attempt {status.next_attempt}")
    questions = draw_questions(attempt)
    cleaned = clean_answers(questions, answers)
    if not cleaned:
        raise RecordValidationError(
            "no answers were given: choose an answer to the questions before you submit",
            field_errors={"answers": "no answer chosen"}, where=WHERE,
            fix="nothing was recorded and this does not count as an attempt")
    record = _attempt_record(practitioner, attempt, questions, cleaned,
                             grade(questions, cleaned, status.rules), store.clock())
    try:
        save_record(store, workspace, record, practitioner, only_if_new=True)
    except RecordExistsError:
        stored = load_record(store, workspace, QuizAttempt, key)
        raise AttemptSubmittedError(
            f"attempt {attempt} was submitted at the same moment from another page"
            + (f" with a score of {stored.score:.0%}" if stored else "")
            + "; that submission stands", value=attempt, where=WHERE,
            fix="reload the page to see the result") from None
    store.delete(workspace, QuizDraft.kind, practitioner, practitioner)
    return record


def _refuse_resubmission(earlier: QuizAttempt | None, attempt: int) -> None:
    if earlier is not None:
        raise AttemptSubmittedError(
            f"attempt {attempt} was already submitted at {format_moment(earlier.submitted_at)}"
            f" with a score of {earlier.score:.0%}; it stands as submitted and cannot be "
            "changed", value=attempt, where=WHERE,
            fix="start a new attempt if you have attempts left")


def _attempt_record(practitioner: str, attempt: int, questions: list[Question],
                    answers: dict[str, list[str]], result: Grade,
                    now: dt.datetime) -> QuizAttempt:
    return QuizAttempt(practitioner=practitioner, attempt=attempt,
                       question_ids=[q.id for q in questions], answers=answers,
                       correct=result.correct, score=result.score, passed=result.passed,
                       submitted_at=aware(now))


def attempts_frame(store: Store, workspace: str, practitioner: str) -> pd.DataFrame:
    """A practitioner's attempts: columns :data:`ATTEMPT_COLUMNS`, one row per attempt."""
    rows = [{"attempt": a.attempt, "submitted_at": aware(a.submitted_at),
             "correct": a.correct, "questions": len(a.question_ids),
             "score_percent": round(a.score * 100), "passed": a.passed}
            for a in attempts(store, workspace, practitioner)]
    return pd.DataFrame(rows, columns=list(ATTEMPT_COLUMNS))


# ------------------------------------------------------------------ cohort summary


def module_records(store: Store, workspace: str) -> ModuleRecords:
    """Every record of the workspace that says how far its practitioners have got."""
    return ModuleRecords(
        ratings=load_records(store, workspace, SelfRating),
        wheels=load_records(store, workspace, WheelRating),
        logs=load_records(store, workspace, LogEntry),
        answers=load_records(store, workspace, Activity16Answer),
        surveys=load_records(store, workspace, FeedbackSurvey))


def cohort_summary(store: Store, workspace: str) -> dict[str, pd.DataFrame]:
    """How a training cohort is doing: counts only, no names, small groups hidden.

    Every count goes through :func:`partnerkit.disclosure.suppress`: 1 to 4 people show
    as "<5", zero as 0, and where counts split one group (quiz results, attempts made,
    ratings at one moment) a single hidden count takes the smallest other with it, shown
    as "c". The cohort's size and the total number of quiz attempts are not shown, since
    either would let hidden counts be worked out from the others.

    Returns:
        A dict of DataFrames with fixed columns:
        ``activities`` (:data:`ACTIVITY_COLUMNS`): practitioners who completed each
        activity; ``quiz`` (:data:`QUIZ_COLUMNS`): attempted, passed, not passed yet and
        pass rate; ``quiz_attempts`` (:data:`ATTEMPTS_COLUMNS`): practitioners by number
        of attempts made; ``self_ratings`` (:data:`RATING_COLUMNS`): practitioners at
        each rating, before and after.
    """
    done = completion(module_records(store, workspace))
    shown = suppress([len(who) for _, _, who in done], partition=False)
    activities = pd.DataFrame(
        [{"activity_id": cid, "activity": label, "practitioners": count}
         for (cid, label, _), count in zip(done, shown, strict=True)],
        columns=list(ACTIVITY_COLUMNS))
    return {"activities": activities, **_quiz_tables(store, workspace),
            "self_ratings": _rating_table(store, workspace)}


def _quiz_tables(store: Store, workspace: str) -> dict[str, pd.DataFrame]:
    by_person: dict[str, list[QuizAttempt]] = {}
    for attempt in load_records(store, workspace, QuizAttempt):
        by_person.setdefault(attempt.practitioner, []).append(attempt)
    attempted = len(by_person)
    passed = sum(any(a.passed for a in tries) for tries in by_person.values())
    split = [passed, attempted - passed]
    passed_shown, not_passed_shown = suppress(split)
    rate = ("–" if not attempted else
            HIDDEN if any(hidden_positions(split)) else f"{passed / attempted:.0%}")
    quiz_table = pd.DataFrame([
        {"measure": "Practitioners who attempted the quiz",
         "value": suppress([attempted], partition=False)[0]},
        {"measure": "Practitioners who passed", "value": passed_shown},
        {"measure": "Practitioners who have not passed yet", "value": not_passed_shown},
        {"measure": "Pass rate (of those who attempted)", "value": rate},
    ], columns=list(QUIZ_COLUMNS))
    counts = [sum(min(len(t), 4) == n for t in by_person.values()) for n in range(1, 5)]
    attempts_table = pd.DataFrame(
        {"attempts_made": ["1", "2", "3", "4 or more"], "practitioners": suppress(counts)},
        columns=list(ATTEMPTS_COLUMNS))
    return {"quiz": quiz_table, "quiz_attempts": attempts_table}


def _rating_table(store: Store, workspace: str) -> pd.DataFrame:
    content = load_content()
    ratings = load_records(store, workspace, SelfRating)
    columns = {}
    for moment in MOMENTS:
        counts = [sum(r.moment == moment and r.rating == n for r in ratings)
                  for n in range(1, 6)]
        columns[moment] = suppress(counts)
    labels = [content.item(f"module6.self_rating.{n}").text for n in range(1, 6)]
    return pd.DataFrame({"rating": labels, **columns}, columns=list(RATING_COLUMNS))


# ------------------------------------------------------------------ each participant


def _by_person(items: list[Any]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for item in items:
        grouped.setdefault(item.practitioner, []).append(item)
    return grouped


def cohort_progress(store: Store, workspace: str, *,
                    leave_out: tuple[str, ...] = ()) -> pd.DataFrame:
    """Each participant's progress and quiz results, by name; columns :data:`PROGRESS_COLUMNS`.

    Participants are the workspace's members and everyone whose module work the reader
    may see, less ``leave_out`` (the trainer reading it). Everything is read through
    ``store``, so a trainer's guarded store shows only what a trainer may read.
    """
    records = module_records(store, workspace)
    done = completion(records)
    tried = _by_person(load_records(store, workspace, QuizAttempt))
    lifted = _by_person(load_records(store, workspace, QuizLockLift))
    logs = _by_person(records.logs)
    names = practitioner_names(store, workspace)
    people = (set(names) | set(tried) | set(logs)
              | {p for _, _, who in done for p in who}) - set(leave_out)
    now = store.clock()
    rows = []
    for who in sorted(people, key=lambda p: (names.get(p, p).casefold(), p)):
        status = status_of(who, tried.get(who, []), now, lifts=lifted.get(who, []))
        best = max((a.score for a in status.attempts), default=None)
        rows.append({
            "practitioner": who, "name": names.get(who, who),
            "completed": sum(who in finished for _, _, finished in done),
            "activities": len(done),
            "shared_entries": sum(e.shared and bool(e.text.strip()) for e in logs.get(who, [])),
            "attempts": len(status.attempts),
            "best_score_percent": float("nan") if best is None else round(best * 100),
            "passed": status.passed,
            "locked_until": status.locked_until if status.locked else None})
    return pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))
