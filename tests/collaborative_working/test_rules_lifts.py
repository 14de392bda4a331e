"""The pure quiz lock rule with a trainer's lifts: a lift after the latest lockout ends it."""

from __future__ import annotations

import datetime as dt

from partnerkit.collaborative_working import rules
from partnerkit.records.module import QuizAttempt, QuizLockLift

START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def _attempt(number: int, minutes: int, passed: bool = False) -> QuizAttempt:
    return QuizAttempt(practitioner="ann", attempt=number, question_ids=["q01_aspire"],
                       answers={"q01_aspire": ["a"]}, correct=int(passed),
                       score=float(passed), passed=passed,
                       submitted_at=START + dt.timedelta(minutes=minutes))


def _lift(number: int, after_attempt: int, minutes: int,
          reason: str = "the page froze") -> QuizLockLift:
    return QuizLockLift(practitioner="ann", lift=number, after_attempt=after_attempt,
                        reason=reason, lifted_at=START + dt.timedelta(minutes=minutes))


THREE_FAILED = [_attempt(1, 0), _attempt(2, 1), _attempt(3, 2)]
"""Three failed attempts: attempt 3 locks the quiz from minute 2 for 24 hours."""


def test_the_latest_lockout_says_which_attempt_began_it_and_when_it_ends():
    lockout = rules.latest_lockout(THREE_FAILED)
    assert lockout == rules.Lockout(3, START + dt.timedelta(minutes=2),
                                    START + dt.timedelta(hours=24, minutes=2))
    assert rules.latest_lockout(THREE_FAILED[:2]) is None


def test_a_lift_after_the_lockout_began_ends_it():
    lift = _lift(1, after_attempt=3, minutes=30)
    assert rules.lock_until(THREE_FAILED) == START + dt.timedelta(hours=24, minutes=2)
    assert rules.lock_until(THREE_FAILED, lifts=[lift]) is None
    status = rules.status_of("ann", THREE_FAILED, START + dt.timedelta(hours=1), lifts=[lift])
    assert not status.locked and status.lifted == lift and status.next_attempt == 4
    rules.check_unlocked(status)  # no QuizLockedError
    assert status.lift_message().startswith("the lock was lifted at ")
    assert "(the page froze)" in status.lift_message()


def test_a_lift_recorded_before_the_lockout_does_nothing_whatever_its_clock_said():
    early = _lift(1, after_attempt=2, minutes=90)  # made after attempt 2, clock set ahead
    status = rules.status_of("ann", THREE_FAILED, START + dt.timedelta(hours=1), lifts=[early])
    assert status.locked and status.lifted is None and status.lift_message() == ""
    assert status.locked_until == START + dt.timedelta(hours=24, minutes=2)


def test_after_a_lift_the_next_three_failures_lock_again_and_the_old_lift_does_not_count():
    lift = _lift(1, after_attempt=3, minutes=30)
    more = [*THREE_FAILED, _attempt(4, 40), _attempt(5, 41)]
    two_more = rules.status_of("ann", more, START + dt.timedelta(minutes=45), lifts=[lift])
    assert not two_more.locked and two_more.attempts_left == 1
    assert two_more.lift_message() == ""  # a failure since the lift: counting has begun again
    locked = [*more, _attempt(6, 42)]
    status = rules.status_of("ann", locked, START + dt.timedelta(minutes=45), lifts=[lift])
    assert status.locked and status.lifted is None
    assert status.locked_until == START + dt.timedelta(hours=24, minutes=42)
    second = _lift(2, after_attempt=6, minutes=50)
    lifted = rules.status_of("ann", locked, START + dt.timedelta(minutes=55),
                             lifts=[lift, second])
    assert not lifted.locked and lifted.lifted == second


def test_without_a_lockout_a_lift_changes_nothing():
    two = THREE_FAILED[:2]
    status = rules.status_of("ann", two, START + dt.timedelta(minutes=5),
                             lifts=[_lift(1, after_attempt=2, minutes=3)])
    assert not status.locked and status.lifted is None and status.attempts_left == 1
