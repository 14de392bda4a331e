"""Tests for partnerkit.collaborative_working.data: attempts, the lock, the cohort summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from partnerkit import collaborative_working as cw
from partnerkit.collaborative_working import data
from partnerkit.disclosure import suppress
from partnerkit.errors import AttemptSubmittedError, QuizLockedError, RecordValidationError
from partnerkit.records.base import load_record, save_record
from partnerkit.records.module import Activity16Answer, QuizAttempt, SelfRating
from partnerkit.reports.text import format_moment
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO, answers_with, fail, passing

# ------------------------------------------------------------------ attempts and the lock


def test_every_attempt_is_recorded_with_its_answers_and_score(store: Store, clock):
    first = fail(store)
    clock.advance(minutes=5)
    second = passing(store)
    stored = cw.attempts(store, "school", WHO)
    assert [a.attempt for a in stored] == [1, 2]
    assert stored[0].answers == first.answers and stored[0].score == pytest.approx(0.2)
    assert stored[1].passed and stored[1].score == 1.0
    assert stored[1].submitted_at == clock.now
    assert stored[0].question_ids == [q.id for q in cw.draw_questions(1)]
    frame = cw.attempts_frame(store, "school", WHO)
    assert list(frame.columns) == list(cw.ATTEMPT_COLUMNS)
    assert frame["score_percent"].tolist() == [20, 100] and second.attempt == 2


def test_fourth_attempt_inside_24_hours_is_refused_and_told_when(store: Store, clock):
    for _ in range(3):
        fail(store)
        clock.advance(minutes=10)
    third_at = cw.attempts(store, "school", WHO)[-1].submitted_at
    clock.advance(hours=5)
    with pytest.raises(QuizLockedError) as caught:
        cw.start_attempt(store, "school", WHO)
    lifts = third_at + dt.timedelta(hours=24)
    assert caught.value.until == lifts
    message = str(caught.value)
    assert "after 3 failed attempts" in message
    assert format_moment(lifts) in message and "2 September 2026" in message
    assert "in 18 hours 50 minutes" in message
    with pytest.raises(QuizLockedError):
        cw.submit_attempt(store, "school", WHO, 4, answers_with(4, 10))
    assert len(cw.attempts(store, "school", WHO)) == 3


def test_the_lock_lifts_after_24_hours_and_not_a_minute_before(store: Store, clock):
    for _ in range(3):
        fail(store)
    clock.advance(hours=23, minutes=59)
    with pytest.raises(QuizLockedError):
        cw.start_attempt(store, "school", WHO)
    clock.advance(minutes=1)
    attempt = cw.start_attempt(store, "school", WHO)
    assert attempt.attempt == 4
    status = cw.quiz_status(store, "school", WHO)
    assert not status.locked and status.attempts_left == 3


def test_after_a_lockout_three_more_failures_lock_again(store: Store, clock):
    for _ in range(3):
        fail(store)
    clock.advance(hours=25)
    fail(store)
    fail(store)
    assert not cw.quiz_status(store, "school", WHO).locked
    fail(store)
    assert cw.quiz_status(store, "school", WHO).locked


def test_a_pass_resets_the_count_of_failures(store: Store, clock):
    fail(store)
    fail(store)
    passing(store)
    fail(store)
    status = cw.quiz_status(store, "school", WHO)
    assert not status.locked and status.passed and status.attempts_left == 2


def test_the_lock_cannot_be_dodged_by_spacing_the_name_differently(store: Store):
    for _ in range(3):
        fail(store)
    with pytest.raises(QuizLockedError):
        cw.start_attempt(store, "school", "  Pat   Practitioner ")


def test_practitioners_are_locked_separately(store: Store):
    for _ in range(3):
        fail(store)
    assert cw.start_attempt(store, "school", "Someone Else").attempt == 1


def test_a_clock_set_backwards_never_unlocks_early_and_never_crashes(store: Store, clock):
    for _ in range(3):
        fail(store)
    lifts = cw.attempts(store, "school", WHO)[-1].submitted_at + dt.timedelta(hours=24)
    clock.advance(days=-3)
    status = cw.quiz_status(store, "school", WHO)
    assert status.locked and status.clock_behind and status.locked_until == lifts
    with pytest.raises(QuizLockedError) as caught:
        cw.start_attempt(store, "school", WHO)
    assert "earlier than your last attempt" in str(caught.value)
    assert format_moment(lifts) in str(caught.value)
    clock.advance(days=3, hours=23)
    assert cw.quiz_status(store, "school", WHO).locked


def test_failures_made_while_the_clock_was_back_lock_from_the_latest_time(store: Store,
                                                                        clock):
    fail(store)
    latest = clock.now
    clock.advance(hours=-10)
    fail(store)
    fail(store)
    status = cw.quiz_status(store, "school", WHO)
    assert status.locked_until == latest + dt.timedelta(hours=24)
    clock.advance(hours=10 + 23)
    assert cw.quiz_status(store, "school", WHO).locked


@pytest.mark.parametrize("empty", [{}, {"q01_aspire": []}, {"q01_aspire": None},
                                   {"q04_universal_examples": ["", "  "]}])
def test_an_empty_submission_is_refused_with_a_message_and_not_counted(store: Store, empty):
    attempt = cw.start_attempt(store, "school", WHO)
    with pytest.raises(RecordValidationError) as caught:
        cw.submit_attempt(store, "school", WHO, attempt.attempt, empty)
    assert "no answers were given" in str(caught.value)
    assert "does not count as an attempt" in str(caught.value)
    assert cw.attempts(store, "school", WHO) == []
    assert cw.start_attempt(store, "school", WHO).attempt == 1


def test_an_answer_that_is_not_an_option_is_refused(store: Store):
    attempt = cw.start_attempt(store, "school", WHO)
    question = attempt.questions[0]
    with pytest.raises(RecordValidationError, match="'zz' is not an option"):
        cw.submit_attempt(store, "school", WHO, 1, {question.id: ["zz"]})
    mc = next(q for q in attempt.questions if q.type == "multiple_choice")
    with pytest.raises(RecordValidationError, match="one answer only"):
        cw.submit_attempt(store, "school", WHO, 1, {mc.id: list(mc.option_ids[:2])})
    assert cw.attempts(store, "school", WHO) == []


def test_an_answer_changed_after_submitting_leaves_the_submitted_attempt_standing(
        store: Store, clock):
    first = fail(store)
    clock.advance(minutes=3)
    with pytest.raises(AttemptSubmittedError) as caught:
        cw.submit_attempt(store, "school", WHO, 1, answers_with(1, 10))
    assert "attempt 1 was already submitted" in str(caught.value)
    assert "it stands as submitted" in str(caught.value)
    stored = load_record(store, "school", QuizAttempt, f"{WHO}/0001")
    assert stored == first and stored.score == pytest.approx(0.2)
    assert len(store.history("school", QuizAttempt.kind, f"{WHO}/0001")) == 1


def test_a_submitted_attempt_record_is_immutable(store: Store):
    record = fail(store)
    with pytest.raises(ValidationError):
        record.score = 1.0


def test_an_attempt_out_of_order_is_refused(store: Store):
    cw.start_attempt(store, "school", WHO)
    with pytest.raises(Exception, match="start the quiz again to take attempt 1"):
        cw.submit_attempt(store, "school", WHO, 3, answers_with(3, 10))


def test_the_lock_holds_for_a_new_store_object_on_the_same_file(tmp_path: Path, clock):
    first = Store(data=tmp_path / "data", clock=clock)
    first.ensure_workspace("school")
    for _ in range(3):
        fail(first)
    first.close()
    clock.advance(hours=2)
    restarted = Store(data=tmp_path / "data", clock=clock)
    try:
        with pytest.raises(QuizLockedError) as caught:
            cw.start_attempt(restarted, "school", WHO)
        assert "you can try again from" in str(caught.value)
    finally:
        restarted.close()


def test_two_pages_submitting_the_same_attempt_at_once_keep_the_first(store: Store,
                                                                      monkeypatch):
    """The other page's submission lands between this page's checks and its save."""
    real_save = data.save_record
    other_page = {}

    def other_page_wins(store_, workspace, record, author, **kwargs):
        monkeypatch.setattr(data, "save_record", real_save)
        other_page["record"] = cw.submit_attempt(store_, workspace, WHO, 1,
                                            answers_with(1, right=10))
        return real_save(store_, workspace, record, author, **kwargs)

    monkeypatch.setattr(data, "save_record", other_page_wins)
    with pytest.raises(AttemptSubmittedError, match="same moment"):
        cw.submit_attempt(store, "school", WHO, 1, answers_with(1, right=0))
    assert load_record(store, "school", QuizAttempt, f"{WHO}/0001") == other_page["record"]
    assert len(store.history("school", QuizAttempt.kind, f"{WHO}/0001")) == 1


# ------------------------------------------------------------------ cohort summary


def _rate(store: Store, who: str, moment: str, rating: int) -> None:
    save_record(store, "school", SelfRating(practitioner=who, moment=moment, rating=rating),
                who)


@pytest.mark.parametrize(("counts", "shown"), [
    ([5, 6, 0, 0, 0], [5, 6, 0, 0, 0]),
    ([1, 6, 7, 0, 0], ["<5", "c", 7, 0, 0]),    # one hidden: the next smallest goes too, as c
    ([2, 3, 9, 0, 0], ["<5", "<5", 9, 0, 0]),   # two hidden cannot be told apart
    ([4, 0, 0, 0, 0], ["<5", 0, 0, 0, 0]),      # zero is shown as 0
    ([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]),
])
def test_rating_counts_follow_the_one_small_numbers_rule(store: Store, counts, shown):
    for rating, count in enumerate(counts, start=1):
        for n in range(count):
            _rate(store, f"Rated {rating}-{n}", "start", rating)
    table = cw.cohort_summary(store, "school")["self_ratings"]
    assert table["start"].tolist() == shown == suppress(counts)


def test_cohort_summary_counts_only_and_suppresses_groups_under_five(store: Store):
    names = [f"Practitioner {n}" for n in range(12)]
    for i, who in enumerate(names):
        _rate(store, who, "start", 2 if i < 6 else 3)  # 6 and 6: shown
        if i < 7:
            _rate(store, who, "end", 4 if i < 6 else 5)  # 6 and 1: both hidden
        if i < 4:
            save_record(store, "school", Activity16Answer(practitioner=who, chosen=["a"]), who)
    tables = cw.cohort_summary(store, "school")
    ratings = tables["self_ratings"].set_index("rating")
    assert list(tables["self_ratings"].columns) == list(cw.RATING_COLUMNS)
    assert ratings["start"].tolist() == [0, 6, 6, 0, 0]
    assert ratings["end"].tolist() == [0, 0, 0, "c", "<5"]  # the 6 would reveal the 1
    activities = tables["activities"].set_index("activity")
    assert list(tables["activities"].columns) == list(cw.ACTIVITY_COLUMNS)
    assert activities.loc["Self-rating at the start", "practitioners"] == 12
    assert activities.loc["Self-rating at the end", "practitioners"] == 7
    assert activities.loc["Activity 16: Effective collaboration", "practitioners"] == "<5"
    assert activities.loc["Feedback survey", "practitioners"] == 0
    everything = "\n".join(t.to_string() for t in tables.values())
    assert not any(name in everything for name in names)


def _attempt(store: Store, who: str, number: int, passed: bool) -> None:
    save_record(store, "school", QuizAttempt(
        practitioner=who, attempt=number, question_ids=["q01_aspire"],
        answers={"q01_aspire": ["a"]}, correct=int(passed), score=float(passed),
        passed=passed, submitted_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)), who)


def test_cohort_quiz_pass_rate_is_shown_only_when_both_groups_are_five_or_more(store: Store):
    for i in range(10):
        _attempt(store, f"P{i}", 1, passed=i < 5)
    quiz_table = cw.cohort_summary(store, "school")["quiz"].set_index("measure")["value"]
    assert quiz_table["Practitioners who attempted the quiz"] == 10
    assert quiz_table["Practitioners who passed"] == 5
    assert quiz_table["Pass rate (of those who attempted)"] == "50%"
    _attempt(store, "P0", 2, passed=False)
    _attempt(store, "P9", 2, passed=True)  # now 6 passed, 4 not
    tables = cw.cohort_summary(store, "school")
    quiz_table = tables["quiz"].set_index("measure")["value"]
    assert quiz_table["Practitioners who passed"] == "c"  # 6 would reveal the 4
    assert quiz_table["Practitioners who have not passed yet"] == "<5"
    assert quiz_table["Pass rate (of those who attempted)"] == "c"
    attempts = tables["quiz_attempts"].set_index("attempts_made")["practitioners"]
    assert attempts["1"] == "c" and attempts["2"] == "<5"  # 8 would reveal the 2
    assert attempts["3"] == 0 and attempts["4 or more"] == 0


def test_cohort_summary_of_an_empty_workspace(store: Store):
    tables = cw.cohort_summary(store, "school")
    assert set(tables) == {"activities", "quiz", "quiz_attempts", "self_ratings"}
    assert (tables["activities"]["practitioners"] == 0).all()
    assert tables["quiz"].set_index("measure")["value"].tolist() == [0, 0, 0, "–"]
    assert "Cohort summary" in cw.cohort_html(store, "school")


def test_the_cohort_summary_page_has_headings_in_words_and_no_ids(store: Store):
    page = cw.cohort_html(store, "school")
    assert "activity_id" not in page and "attempts_made" not in page
    assert "Activity" in page and "Attempts made" in page and "Practitioners" in page
