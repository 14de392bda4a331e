"""The trainer's actions: review options, a lift or one more attempt, item statistics."""

from __future__ import annotations

import pytest

from partnerkit.access import GuardedStore
from partnerkit.collaborative_working import trainer as t
from partnerkit.collaborative_working.data import quiz_status
from partnerkit.collaborative_working.report import results_html
from partnerkit.collaborative_working.rules import attempt_grade
from partnerkit.collaborative_working.rules.items import MIN_ATTEMPTS, item_statistics
from partnerkit.errors import AccessDeniedError, RecordValidationError
from partnerkit.records.base import load_records
from partnerkit.records.module import QuizAttempt, QuizLockLift
from tests.collaborative_working.attempts import fail, passing
from tests.collaborative_working.cohort import enrol


@pytest.fixture
def cohort(store):
    return enrol(store)


@pytest.fixture
def tom(store, cohort):
    return GuardedStore(store, cohort["tom"])


def locked(store, account, who):
    mine = GuardedStore(store, account)
    for _ in range(3):
        fail(mine, who)
    return mine


def test_a_trainer_action_outside_the_cohort_is_refused_and_audited(store, cohort, tom):
    store.ensure_workspace("other")
    store.add_account("zed", "Zed Elsewhere", created_by="test")
    store.set_membership("zed", "other", "practitioner", added_by="test")
    with pytest.raises(AccessDeniedError, match="'zed' is not a member of this cohort"):
        t.allow(tom, "school", "zed", "a reason", "tom")
    refused = store.audit_entries(account="tom", action="lifting a quiz lock-refused")
    assert refused and refused[0].allowed is False
    assert load_records(store, "school", QuizLockLift) == []


def test_an_unlock_without_a_reason_is_refused_and_nothing_recorded(store, cohort, tom):
    locked(store, cohort["ann"], "ann")
    with pytest.raises(RecordValidationError, match="no reason was given"):
        t.allow(tom, "school", "ann", "   ", "tom")
    assert load_records(store, "school", QuizLockLift) == []


def test_one_more_attempt_locks_again_after_one_failure(store, cohort, tom):
    ann = locked(store, cohort["ann"], "ann")
    granted = t.allow(tom, "school", "ann", "Fire alarm mid-quiz", "tom", grant="one_attempt")
    assert granted.grant == "one_attempt"
    status = quiz_status(ann, "school", "ann")
    assert not status.locked and "one more attempt" in status.lift_message()
    fail(ann, "ann")
    assert quiz_status(ann, "school", "ann").locked


def test_a_lift_allows_three_more_attempts(store, cohort, tom):
    ann = locked(store, cohort["ann"], "ann")
    t.allow(tom, "school", "ann", "Locked out by mistake", "tom")
    for _ in range(2):
        fail(ann, "ann")
        assert not quiz_status(ann, "school", "ann").locked
    fail(ann, "ann")
    assert quiz_status(ann, "school", "ann").locked


def test_review_options_hide_right_answers_until_a_pass(store, cohort, tom):
    ann = GuardedStore(store, cohort["ann"])
    failed = fail(ann, "ann")
    html = results_html(attempt_grade(failed), failed, t.review_of(ann, "school", False))
    assert "✗ Wrong:" in html and "Right answer:" not in html and "not shown yet" in html
    passed = passing(ann, "ann")
    html = results_html(attempt_grade(passed), passed, t.review_of(ann, "school", True))
    assert "Right answer:" in html
    t.save_settings(tom, "school", {"show_marks": False, "show_feedback": False,
                                    "correct_answers": "never"}, "tom")
    html = results_html(attempt_grade(passed), passed, t.review_of(ann, "school", True))
    assert "Right answer:" not in html and "✓" not in html
    assert "only your score" in html


def test_only_the_trainer_changes_review_options(store, cohort):
    ann = GuardedStore(store, cohort["ann"])
    with pytest.raises(AccessDeniedError):
        t.save_settings(ann, "school", {"correct_answers": "after_each_attempt"}, "ann")
    with pytest.raises(RecordValidationError):
        t.save_settings(GuardedStore(store, cohort["tom"]), "school",
                        {"correct_answers": "sometimes"}, "tom")


def test_item_statistics_wait_for_twenty_attempts_then_show_discrimination(store, cohort,
                                                                          clock):
    ann, bob = GuardedStore(store, cohort["ann"]), GuardedStore(store, cohort["bob"])
    for _ in range(MIN_ATTEMPTS // 2 - 1):
        passing(ann, "ann")
        fail(bob, "bob")
        clock.advance(hours=25)  # past any lockout
    made = load_records(store, "school", QuizAttempt)
    assert item_statistics(made).empty
    passing(ann, "ann")
    fail(bob, "bob")
    table = item_statistics(load_records(store, "school", QuizAttempt))
    assert len(load_records(store, "school", QuizAttempt)) == MIN_ATTEMPTS
    assert not table.empty
    assert (table["facility"].between(0, 1)).all()
    # answers_with(_, 2) gets the first two drawn questions right for the weak group
    assert (table["discrimination"].dropna() >= 0).all()
    assert (table["discrimination"].dropna() > 0.5).any()
