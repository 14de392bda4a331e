"""Drawing, grading and the lock of the end-of-module quiz (pure: records in, answers out).

Each attempt draws its questions with a random generator seeded by the attempt number,
so a reloaded page shows the same questions for the same attempt. A question is right
only when exactly its right options are chosen.

The lock is never stored as a flag: it is worked out every time from the submitted
attempts, the lifts a trainer recorded and the time now, so it holds across a page
reload, a kernel restart and a new browser. Attempts are filed under the account, so
the lock is the account's whatever the address or browser. Time is counted from the
latest submission seen, so setting the clock back never lifts a lock early. A trainer's
lift made after the latest lockout began (its ``after_attempt`` is the attempt that
locked, or later) ends it, and the next failures lock again; a lift made before it does
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from partnerkit.collaborative_working.rules.bank import (
    WHERE,
    Question,
    QuizBank,
    QuizRules,
    load_bank,
    quiz_rules,
)
from partnerkit.errors import PartnerkitError, QuizLockedError, RecordValidationError
from partnerkit.records.module import QuizAttempt, QuizLockLift
from partnerkit.reports.text import aware, format_moment

# ------------------------------------------------------------------ drawing and grading


def draw_questions(attempt: int, bank: QuizBank | None = None) -> list[Question]:
    """The questions of one attempt: a sample of the bank seeded by the attempt number.

    Raises:
        PartnerkitError: ``attempt`` is below 1.
    """
    bank = bank or load_bank()
    if attempt < 1:
        raise PartnerkitError("is not an attempt number", value=attempt, where=WHERE,
                              fix="attempts are numbered from 1")
    rng = random.Random(f"partnerkit-quiz-attempt-{attempt}")
    return rng.sample(list(bank.questions), bank.draw)


@dataclass(frozen=True)
class QuestionResult:
    """How one question was answered: what was chosen, whether it was right, feedback."""

    question: Question
    chosen: tuple[str, ...]
    right: bool

    @property
    def feedback(self) -> str:
        """The question's feedback."""
        return self.question.feedback


@dataclass(frozen=True)
class Grade:
    """The result of grading a set of answers."""

    results: tuple[QuestionResult, ...]
    correct: int
    total: int
    score: float
    passed: bool


def as_choice_list(given: Any) -> list[str]:
    """An answer as a list of option ids: None and blanks dropped, one id made a list."""
    if given is None:
        return []
    if isinstance(given, str):
        return [given] if given.strip() else []
    return [str(g) for g in given if g is not None and str(g).strip()]


def clean_answers(questions: list[Question], answers: dict[str, Any]) -> dict[str, list[str]]:
    """Check answers against the drawn questions; drop unanswered ones.

    Raises:
        RecordValidationError: an answer names a question not in this attempt, an option
            the question does not have, or more than one option of a multiple-choice
            question.
    """
    by_id = {q.id: q for q in questions}
    cleaned: dict[str, list[str]] = {}
    errors: dict[str, str] = {}
    for question_id, given in (answers or {}).items():
        chosen = as_choice_list(given)
        if not chosen:
            continue
        problem = _answer_problem(by_id.get(question_id), question_id, chosen)
        if problem:
            errors[question_id] = problem
        else:
            cleaned[question_id] = sorted(set(chosen))
    if errors:
        first = next(iter(errors.values()))
        raise RecordValidationError(first, field_errors=errors, where=WHERE,
                                    fix="correct the answer; nothing was recorded")
    return cleaned


def _answer_problem(question: Question | None, question_id: str, chosen: list[str]) -> str:
    if question is None:
        return f"{question_id!r} is not a question of this attempt"
    unknown = [c for c in chosen if c not in question.option_ids]
    if unknown:
        return (f"{unknown[0]!r} is not an option of this question; "
                f"choose from {', '.join(question.option_ids)}")
    if question.type == "multiple_choice" and len(chosen) > 1:
        return "choose one answer only for this question"
    return ""


def grade(questions: list[Question], answers: dict[str, list[str]],
          rules: QuizRules | None = None) -> Grade:
    """Mark each question (all-or-nothing: exactly the right options) and score the set."""
    rules = rules or quiz_rules()
    results = tuple(
        QuestionResult(q, tuple(answers.get(q.id, ())),
                       frozenset(answers.get(q.id, ())) == q.correct_ids)
        for q in questions)
    correct = sum(r.right for r in results)
    total = len(results)
    score = correct / total if total else 0.0
    return Grade(results, correct, total, score, score + 1e-9 >= rules.pass_mark)


def attempt_grade(record: QuizAttempt, bank: QuizBank | None = None) -> Grade:
    """Grade a stored attempt again, for its feedback (the stored score stands)."""
    bank = bank or load_bank()
    questions = [bank.question(q) for q in record.question_ids]
    return grade(questions, record.answers)


# ------------------------------------------------------------------ the lock


@dataclass(frozen=True)
class Lockout:
    """One lockout: the attempt that began it, when it began and when it ends by itself."""

    attempt: int
    began: dt.datetime
    ends: dt.datetime


def latest_lockout(made: list[QuizAttempt], rules: QuizRules | None = None,
                   lifts: Iterable[QuizLockLift] = ()) -> Lockout | None:
    """The latest lockout (None if there never was one).

    Failed attempts are counted in a row; a pass resets the count, and so does a
    lockout, unless the trainer ended that lockout with one extra attempt
    (``grant="one_attempt"``): then the next failure locks again. Each attempt is timed
    at the latest submission so far, so an attempt made while the clock was set back
    cannot make a lock lift sooner.
    """
    return _walk(made, rules or quiz_rules(), tuple(lifts))[0]


def _walk(made: list[QuizAttempt], rules: QuizRules,
          lifts: tuple[QuizLockLift, ...]) -> tuple[Lockout | None, int]:
    """(the latest lockout, failed attempts counting towards the next one)."""
    latest: dt.datetime | None = None
    failed = 0
    lockout: Lockout | None = None
    for attempt in sorted(made, key=lambda a: a.attempt):
        moment = aware(attempt.submitted_at)
        latest = moment if latest is None else max(latest, moment)
        if attempt.passed:
            failed = 0
            continue
        failed += 1
        if failed >= rules.max_failed_attempts:
            lockout = Lockout(attempt.attempt, latest, latest + rules.lockout)
            ended_by = lift_of(lockout, lifts)
            one_more = ended_by is not None and ended_by.grant == "one_attempt"
            failed = rules.max_failed_attempts - 1 if one_more else 0
    return lockout, failed


def lift_of(lockout: Lockout | None, lifts: Iterable[QuizLockLift]) -> QuizLockLift | None:
    """The lift that ended ``lockout``: the first made once its attempt was in, else None."""
    if lockout is None:
        return None
    after = [lift for lift in lifts if lift.after_attempt >= lockout.attempt]
    return min(after, key=lambda lift: lift.lift, default=None)


def lock_until(made: list[QuizAttempt], rules: QuizRules | None = None,
               lifts: Iterable[QuizLockLift] = ()) -> dt.datetime | None:
    """When the latest lockout lifts; None if there never was one or a trainer lifted it."""
    lifts = tuple(lifts)
    lockout = latest_lockout(made, rules, lifts)
    if lockout is None or lift_of(lockout, lifts) is not None:
        return None
    return lockout.ends


def failed_in_row(made: list[QuizAttempt], rules: QuizRules,
                  lifts: Iterable[QuizLockLift] = ()) -> int:
    """Failed attempts since the last pass or lockout (what counts towards the next lock).

    After a lockout the trainer ended with one extra attempt, it starts one short of a lock.
    """
    return _walk(made, rules, tuple(lifts))[1]


def hours_text(delta: dt.timedelta) -> str:
    """A length of time in hours, as in "24 hours"."""
    return f"{delta.total_seconds() / 3600:g} hours"


def duration_text(delta: dt.timedelta) -> str:
    """A wait in hours and minutes, rounded up to the minute: "18 hours 50 minutes"."""
    minutes = max(0, int(delta.total_seconds() // 60) + (delta.total_seconds() % 60 > 0))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


@dataclass(frozen=True)
class QuizStatus:
    """Where a practitioner stands: attempts made, the lock, and what comes next."""

    practitioner: str
    attempts: tuple[QuizAttempt, ...]
    now: dt.datetime
    locked_until: dt.datetime | None
    failed_in_row: int
    rules: QuizRules
    lifted: QuizLockLift | None = None
    """The lift that ended the latest lockout, if a trainer lifted it."""

    @property
    def locked(self) -> bool:
        """True while a lockout lasts."""
        return self.locked_until is not None and self.now < self.locked_until

    @property
    def passed(self) -> bool:
        """True once any attempt has passed."""
        return any(a.passed for a in self.attempts)

    @property
    def next_attempt(self) -> int:
        """The number the next attempt will have."""
        return (self.attempts[-1].attempt if self.attempts else 0) + 1

    @property
    def latest_submission(self) -> dt.datetime | None:
        """The latest time any attempt was submitted."""
        return max((aware(a.submitted_at) for a in self.attempts), default=None)

    @property
    def clock_behind(self) -> bool:
        """True when the clock reads earlier than an attempt already submitted."""
        latest = self.latest_submission
        return latest is not None and self.now < latest

    @property
    def attempts_left(self) -> int:
        """Failed attempts still allowed before the next lockout."""
        return self.rules.max_failed_attempts - self.failed_in_row

    def lift_message(self) -> str:
        """Say that a trainer lifted the latest lock, when and why.

        Empty when nobody lifted it, once an attempt has been made since, or once the
        quiz is passed. A grant of one extra attempt says that one failure locks again.
        """
        if self.lifted is None or self.passed or any(
                a.attempt > self.lifted.after_attempt for a in self.attempts):
            return ""
        if self.lifted.grant == "one_attempt":
            return (f"the trainer gave you one more attempt at "
                    f"{format_moment(self.lifted.lifted_at)} ({self.lifted.reason}): if it "
                    "fails, the quiz locks again")
        return (f"the lock was lifted at {format_moment(self.lifted.lifted_at)} "
                f"({self.lifted.reason}): you can take the quiz again, and "
                f"{self.rules.max_failed_attempts} failed attempts in a row lock it again")

    def lock_message(self) -> str:
        """Why the quiz is locked and when it lifts (empty when it is not locked)."""
        if not self.locked or self.locked_until is None:
            return ""
        text = (f"after {self.rules.max_failed_attempts} failed attempts the quiz is locked "
                f"for {hours_text(self.rules.lockout)}: you can try again from "
                f"{format_moment(self.locked_until)}")
        if self.clock_behind and self.latest_submission is not None:
            return text + (f" (this computer's clock reads {format_moment(self.now)}, earlier "
                           "than your last attempt at "
                           f"{format_moment(self.latest_submission)}; the lock is counted "
                           "from your last attempt, so it still lifts then)")
        return text + f", in {duration_text(self.locked_until - self.now)}"


def status_of(practitioner: str, made: Iterable[QuizAttempt], now: dt.datetime,
              rules: QuizRules | None = None, *,
              lifts: Iterable[QuizLockLift] = ()) -> QuizStatus:
    """A practitioner's quiz status from their attempts, the lifts recorded and the time now."""
    rules = rules or quiz_rules()
    lifts = tuple(lifts)
    ordered = sorted(made, key=lambda a: a.attempt)
    lockout, failed = _walk(ordered, rules, lifts)
    lifted = lift_of(lockout, lifts)
    return QuizStatus(practitioner, tuple(ordered), aware(now),
                      None if lockout is None or lifted else lockout.ends,
                      failed, rules, lifted)


def check_unlocked(status: QuizStatus) -> None:
    """Raise :class:`QuizLockedError` saying when the lock lifts, if the quiz is locked."""
    if status.locked:
        raise QuizLockedError(status.lock_message(), until=status.locked_until, where=WHERE,
                              fix="your attempts and scores so far are kept")
