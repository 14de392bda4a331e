"""Tests for partnerkit.collaborative_working.quiz: the bank, drawing, grading, attempts, the lock and Activity 16."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import papermill as pm
import pytest
import yaml
from pydantic import ValidationError

from partnerkit.collaborative_working import quiz
from partnerkit.content import load_content
from partnerkit.errors import ContentError, QuizLockedError, RecordValidationError
from partnerkit.records.base import load_record, load_records
from partnerkit.records.module import Activity16Answer, QuizAttempt
from partnerkit.session import Session
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[1]
WHO = "Pat Practitioner"


# ------------------------------------------------------------------ helpers


def answers_with(attempt: int, right: int) -> dict[str, list[str]]:
    """Answers to an attempt's questions with exactly ``right`` of them right."""
    answers = {}
    for i, question in enumerate(quiz.draw_questions(attempt)):
        if i < right:
            answers[question.id] = sorted(question.correct_ids)
        else:
            answers[question.id] = [next(o.id for o in question.options if not o.correct)]
    return answers


def fail(store: Store, who: str = WHO) -> QuizAttempt:
    attempt = quiz.start_attempt(store, "school", who)
    return quiz.submit_attempt(store, "school", who, attempt.attempt,
                               answers_with(attempt.attempt, 2))


def passing(store: Store, who: str = WHO) -> QuizAttempt:
    attempt = quiz.start_attempt(store, "school", who)
    return quiz.submit_attempt(store, "school", who, attempt.attempt,
                               answers_with(attempt.attempt, 10))


def session_for(store: Store, tmp_path: Path, who: str = WHO) -> Session:
    return Session(store=store, workspace="school", author=who, data_dir=tmp_path)


# ------------------------------------------------------------------ the bank


def test_bank_has_enough_questions_of_both_kinds_each_with_feedback_and_a_citation():
    bank = quiz.load_bank()
    content = load_content()
    assert len(bank.questions) >= 15
    kinds = {q.type for q in bank.questions}
    assert kinds == {"multiple_choice", "multiple_select"}
    for question in bank.questions:
        assert question.feedback.strip()
        assert question.cites in content
    frameworks = {content.framework_of(q.cites).id for q in bank.questions}
    assert "module6" in frameworks and len(frameworks) >= 4  # the module and other seeds


def test_bank_refuses_a_question_citing_an_unknown_content_id(tmp_path: Path):
    data = yaml.safe_load(quiz.BANK_FILE.read_text())
    data["questions"][0]["cites"] = "module6.no_such_item"
    bad = tmp_path / "bank.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="module6.no_such_item"):
        quiz.load_bank(bad)


def test_bank_refuses_a_multiple_choice_question_with_two_right_options(tmp_path: Path):
    data = yaml.safe_load(quiz.BANK_FILE.read_text())
    mc = next(q for q in data["questions"] if q["type"] == "multiple_choice")
    for option in mc["options"][:2]:
        option["correct"] = True
    bad = tmp_path / "bank.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="exactly one"):
        quiz.load_bank(bad)


def test_rules_come_from_the_content():
    rules = quiz.quiz_rules()
    content = load_content()
    assert rules.pass_mark == content.item("module6.quiz_rules.pass_mark").value == 0.8
    assert rules.max_failed_attempts == 3
    assert rules.lockout == dt.timedelta(hours=24)


# ------------------------------------------------------------------ drawing and grading


def test_each_attempt_draws_the_same_questions_every_time_and_attempts_differ():
    bank = quiz.load_bank()
    first = [q.id for q in quiz.draw_questions(1)]
    assert first == [q.id for q in quiz.draw_questions(1)]
    assert len(first) == bank.draw == len(set(first))
    assert first != [q.id for q in quiz.draw_questions(2)]


@pytest.mark.parametrize(("right", "passed"), [(10, True), (8, True), (7, False), (0, False)])
def test_grading_scores_and_applies_the_pass_mark(right: int, passed: bool):
    questions = quiz.draw_questions(1)
    result = quiz.grade(questions, answers_with(1, right))
    assert result.correct == right
    assert result.score == pytest.approx(right / 10)
    assert result.passed is passed
    assert [r.right for r in result.results] == [i < right for i in range(10)]


def test_multiple_select_needs_every_right_option_and_no_wrong_one():
    question = next(q for q in quiz.load_bank().questions
                    if q.type == "multiple_select" and len(q.correct_ids) >= 2)
    right = sorted(question.correct_ids)
    wrong = next(o.id for o in question.options if not o.correct)
    assert quiz.grade([question], {question.id: right}).correct == 1
    assert quiz.grade([question], {question.id: right[:-1]}).correct == 0
    assert quiz.grade([question], {question.id: [*right, wrong]}).correct == 0


# ------------------------------------------------------------------ attempts and the lock


def test_every_attempt_is_recorded_with_its_answers_and_score(store: Store, clock):
    first = fail(store)
    clock.advance(minutes=5)
    second = passing(store)
    stored = quiz.attempts(store, "school", WHO)
    assert [a.attempt for a in stored] == [1, 2]
    assert stored[0].answers == first.answers and stored[0].score == pytest.approx(0.2)
    assert stored[1].passed and stored[1].score == 1.0
    assert stored[1].submitted_at == clock.now
    assert stored[0].question_ids == [q.id for q in quiz.draw_questions(1)]
    frame = quiz.attempts_frame(store, "school", WHO)
    assert list(frame.columns) == quiz.ATTEMPT_COLUMNS
    assert frame["score_percent"].tolist() == [20, 100] and second.attempt == 2


def test_fourth_attempt_inside_24_hours_is_refused_and_told_when(store: Store, clock):
    for _ in range(3):
        fail(store)
        clock.advance(minutes=10)
    third_at = quiz.attempts(store, "school", WHO)[-1].submitted_at
    clock.advance(hours=5)
    with pytest.raises(QuizLockedError) as caught:
        quiz.start_attempt(store, "school", WHO)
    lifts = third_at + dt.timedelta(hours=24)
    assert caught.value.until == lifts
    message = str(caught.value)
    assert "after 3 failed attempts" in message
    assert quiz.format_moment(lifts) in message and "2 September 2026" in message
    assert "in 18 hours 50 minutes" in message
    with pytest.raises(QuizLockedError):
        quiz.submit_attempt(store, "school", WHO, 4, answers_with(4, 10))
    assert len(quiz.attempts(store, "school", WHO)) == 3


def test_the_lock_lifts_after_24_hours_and_not_a_minute_before(store: Store, clock):
    for _ in range(3):
        fail(store)
    clock.advance(hours=23, minutes=59)
    with pytest.raises(QuizLockedError):
        quiz.start_attempt(store, "school", WHO)
    clock.advance(minutes=1)
    attempt = quiz.start_attempt(store, "school", WHO)
    assert attempt.attempt == 4
    status = quiz.quiz_status(store, "school", WHO)
    assert not status.locked and status.attempts_left == 3


def test_after_a_lockout_three_more_failures_lock_again(store: Store, clock):
    for _ in range(3):
        fail(store)
    clock.advance(hours=25)
    fail(store)
    fail(store)
    assert not quiz.quiz_status(store, "school", WHO).locked
    fail(store)
    assert quiz.quiz_status(store, "school", WHO).locked


def test_a_pass_resets_the_count_of_failures(store: Store, clock):
    fail(store)
    fail(store)
    passing(store)
    fail(store)
    status = quiz.quiz_status(store, "school", WHO)
    assert not status.locked and status.passed and status.attempts_left == 2


def test_the_lock_cannot_be_dodged_by_spacing_the_name_differently(store: Store):
    for _ in range(3):
        fail(store)
    with pytest.raises(QuizLockedError):
        quiz.start_attempt(store, "school", "  Pat   Practitioner ")


def test_practitioners_are_locked_separately(store: Store):
    for _ in range(3):
        fail(store)
    assert quiz.start_attempt(store, "school", "Someone Else").attempt == 1


def test_a_clock_set_backwards_never_unlocks_early_and_never_crashes(store: Store, clock):
    for _ in range(3):
        fail(store)
    lifts = quiz.attempts(store, "school", WHO)[-1].submitted_at + dt.timedelta(hours=24)
    clock.advance(days=-3)
    status = quiz.quiz_status(store, "school", WHO)
    assert status.locked and status.clock_behind and status.locked_until == lifts
    with pytest.raises(QuizLockedError) as caught:
        quiz.start_attempt(store, "school", WHO)
    assert "earlier than your last attempt" in str(caught.value)
    assert quiz.format_moment(lifts) in str(caught.value)
    clock.advance(days=3, hours=23)
    assert quiz.quiz_status(store, "school", WHO).locked


def test_failures_made_while_the_clock_was_back_lock_from_the_latest_time(store: Store,
                                                                        clock):
    fail(store)
    latest = clock.now
    clock.advance(hours=-10)
    fail(store)
    fail(store)
    status = quiz.quiz_status(store, "school", WHO)
    assert status.locked_until == latest + dt.timedelta(hours=24)
    clock.advance(hours=10 + 23)
    assert quiz.quiz_status(store, "school", WHO).locked


@pytest.mark.parametrize("empty", [{}, {"q01_aspire": []}, {"q01_aspire": None},
                                   {"q04_universal_examples": ["", "  "]}])
def test_an_empty_submission_is_refused_with_a_message_and_not_counted(store: Store, empty):
    attempt = quiz.start_attempt(store, "school", WHO)
    with pytest.raises(RecordValidationError) as caught:
        quiz.submit_attempt(store, "school", WHO, attempt.attempt, empty)
    assert "no answers were given" in str(caught.value)
    assert "does not count as an attempt" in str(caught.value)
    assert quiz.attempts(store, "school", WHO) == []
    assert quiz.start_attempt(store, "school", WHO).attempt == 1


def test_an_answer_that_is_not_an_option_is_refused(store: Store):
    attempt = quiz.start_attempt(store, "school", WHO)
    question = attempt.questions[0]
    with pytest.raises(RecordValidationError, match="'zz' is not an option"):
        quiz.submit_attempt(store, "school", WHO, 1, {question.id: ["zz"]})
    mc = next(q for q in attempt.questions if q.type == "multiple_choice")
    with pytest.raises(RecordValidationError, match="one answer only"):
        quiz.submit_attempt(store, "school", WHO, 1, {mc.id: list(mc.option_ids[:2])})
    assert quiz.attempts(store, "school", WHO) == []


def test_an_answer_changed_after_submitting_leaves_the_submitted_attempt_standing(
        store: Store, clock):
    first = fail(store)
    clock.advance(minutes=3)
    with pytest.raises(quiz.AttemptSubmittedError) as caught:
        quiz.submit_attempt(store, "school", WHO, 1, answers_with(1, 10))
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
    quiz.start_attempt(store, "school", WHO)
    with pytest.raises(Exception, match="start the quiz again to take attempt 1"):
        quiz.submit_attempt(store, "school", WHO, 3, answers_with(3, 10))


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
            quiz.start_attempt(restarted, "school", WHO)
        assert "you can try again from" in str(caught.value)
    finally:
        restarted.close()


# ------------------------------------------------------------------ the quiz widget


def test_quiz_widget_keeps_answers_as_chosen_and_resumes_them_after_a_reload(
        store: Store, tmp_path: Path):
    widget = quiz.quiz_widget(session_for(store, tmp_path))
    widget.start()
    first_id, control = next(iter(widget.inputs.items()))
    choice = quiz.load_bank().question(first_id).option_ids[1]
    if hasattr(control, "observe_value"):
        control.value = [choice]
    else:
        control.value = choice
    reloaded = quiz.quiz_widget(session_for(store, tmp_path))
    assert reloaded.current is not None and reloaded.current.attempt == 1
    assert reloaded.answers()[first_id] == [choice]


def test_quiz_widget_refuses_an_empty_submission_with_a_message(store: Store, tmp_path: Path):
    widget = quiz.quiz_widget(session_for(store, tmp_path))
    widget.start()
    assert widget.submit() is None
    assert "Not submitted" in widget.message.value and "no answers were given" in \
        widget.message.value
    assert quiz.attempts(store, "school", WHO) == []


def _choose(widget: quiz.QuizWidget, answers: dict[str, list[str]]) -> None:
    for qid, control in widget.inputs.items():
        if hasattr(control, "observe_value"):
            control.value = answers[qid]
        else:
            control.value = answers[qid][0]


def test_quiz_widget_ignores_an_answer_changed_after_submitting(store: Store, tmp_path: Path):
    widget = quiz.quiz_widget(session_for(store, tmp_path))
    widget.start()
    _choose(widget, answers_with(1, 9))
    record = widget.submit()
    assert record is not None and record.passed
    assert "Attempt 1: 9 of 10 right (90%). Passed." in widget.results.value
    qid, control = next(iter(widget.inputs.items()))
    assert control.disabled or all(c.disabled for c in control.children[1:])
    if hasattr(control, "observe_value"):
        control.value = []
    else:
        control.value = next(o for o in quiz.load_bank().question(qid).option_ids
                             if o != control.value)
    assert "already been submitted" in widget.message.value
    assert load_record(store, "school", QuizAttempt, f"{WHO}/0001") == record


def test_quiz_widget_shows_the_lock_and_when_it_lifts(store: Store, tmp_path: Path, clock):
    widget = quiz.quiz_widget(session_for(store, tmp_path))
    for number in range(1, 4):
        widget.start()
        _choose(widget, answers_with(number, 1))
        widget.submit()
        clock.advance(minutes=1)
    lifts = quiz.attempts(store, "school", WHO)[-1].submitted_at + dt.timedelta(hours=24)
    assert "🔒 After 3 failed attempts" in widget.message.value
    assert quiz.format_moment(lifts) in widget.message.value
    assert widget.inputs == {} and widget.start_button.layout.display == "none"
    fresh = quiz.quiz_widget(session_for(store, tmp_path))
    assert quiz.format_moment(lifts) in fresh.message.value
    assert fresh.start() is None and fresh.current is None


# ------------------------------------------------------------------ Activity 16


def test_activity16_correct_set_comes_from_the_content_and_is_the_published_answer():
    content = load_content()
    correct = {c.number for c in content.children("module6.activity16") if c.correct}
    assert correct == {"a", "b", "c", "d", "f"}
    result = quiz.grade_activity16(sorted(correct))
    assert result.all_right and result.answer == "a, b, c, d and f"


def test_activity16_gives_feedback_for_every_statement():
    result = quiz.grade_activity16(["a", "b", "e"])
    verdicts = {s.letter: s.verdict for s in result.statements}
    assert verdicts["a"].startswith("Right: this supports")
    assert verdicts["c"].startswith("Missed")
    assert verdicts["e"].startswith("Not this one")
    assert verdicts["g"] == "Right to leave this out."
    assert not result.all_right and result.right_count == 4  # a, b, g, h
    assert all(s.explanation for s in result.statements)
    page = quiz.activity16_html(result)
    assert "The published answer is a, b, c, d and f" in page
    for statement in result.statements:
        assert statement.letter + ". " in page


def test_activity16_refuses_an_unknown_statement():
    with pytest.raises(RecordValidationError, match="'z' is not a statement"):
        quiz.grade_activity16(["a", "z"])


def test_activity16_widget_saves_ticks_and_checks_them(store: Store, tmp_path: Path):
    widget = quiz.activity16_widget(session_for(store, tmp_path))
    assert widget.check() is None and "Tick the statements" in widget.feedback.value
    widget.form.editors["chosen"].input.value = ["a", "b", "c", "d", "f"]
    stored = load_record(store, "school", Activity16Answer, WHO)
    assert stored is not None and stored.chosen == ["a", "b", "c", "d", "f"]
    result = widget.check()
    assert result is not None and result.all_right
    assert "You chose exactly the statements" in widget.feedback.value


# ------------------------------------------------------------------ across kernels






def test_the_lock_holds_across_real_kernel_restarts(demo_data: Path, run_workbook,
                                                    kernel_env, tmp_path: Path):
    who = "Kernel Tester"
    made = pm.execute_notebook(
        str(REPO / "tests" / "notebooks" / "quiz_three_failed_attempts.ipynb"),
        str(tmp_path / "fail-three.ipynb"), parameters={"author": who},
        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    assert "you can try again from" in _texts(made)
    for _ in range(2):  # two more kernels, one after the other
        text = _texts(run_workbook("collaborative_working", author=who))
        assert "After 3 failed attempts the quiz is locked" in text
        assert "you can try again from" in text
    store = Store(data=demo_data)
    try:
        assert len(quiz.attempts(store, "demo", who)) == 3
        with pytest.raises(QuizLockedError):
            quiz.start_attempt(store, "demo", who)
    finally:
        store.close()


def test_demo_cohort_has_a_locked_and_a_passed_practitioner(demo_data: Path):
    store = Store(data=demo_data)
    try:
        assert quiz.quiz_status(store, "demo", "Farah Said").locked
        assert quiz.quiz_status(store, "demo", "Aisha Rahman").passed
        made = load_records(store, "demo", QuizAttempt)
        assert {a.practitioner for a in made} >= {"Farah Said", "Aisha Rahman"}
    finally:
        store.close()


def test_two_pages_submitting_the_same_attempt_at_once_keep_the_first(store: Store,
                                                                      monkeypatch):
    """The other page's submission lands between this page's checks and its save."""
    real_save = quiz.save_record
    other_page = {}

    def other_page_wins(store_, workspace, record, author, **kwargs):
        monkeypatch.setattr(quiz, "save_record", real_save)
        other_page["record"] = quiz.submit_attempt(store_, workspace, WHO, 1,
                                              answers_with(1, right=10))
        return real_save(store_, workspace, record, author, **kwargs)

    monkeypatch.setattr(quiz, "save_record", other_page_wins)
    with pytest.raises(quiz.AttemptSubmittedError, match="same moment"):
        quiz.submit_attempt(store, "school", WHO, 1, answers_with(1, right=0))
    assert load_record(store, "school", QuizAttempt, f"{WHO}/0001") == other_page["record"]
    assert len(store.history("school", QuizAttempt.kind, f"{WHO}/0001")) == 1
