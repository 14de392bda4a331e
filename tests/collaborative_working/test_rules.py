"""Tests for partnerkit.collaborative_working.rules: the bank, drawing, grading, Activity 16."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
import yaml

from partnerkit import collaborative_working as cw
from partnerkit.collaborative_working import rules
from partnerkit.content import load_content
from partnerkit.errors import ContentError, NotFoundError, QuizLockedError, RecordValidationError
from partnerkit.records.module import LOG_TASKS, QuizAttempt
from tests.collaborative_working.attempts import answers_with

# ------------------------------------------------------------------ the bank


def test_bank_has_enough_questions_of_both_kinds_each_with_feedback_and_a_citation():
    bank = cw.load_bank()
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
    data = yaml.safe_load(cw.BANK_FILE.read_text())
    data["questions"][0]["cites"] = "module6.no_such_item"
    bad = tmp_path / "bank.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="module6.no_such_item"):
        cw.load_bank(bad)


def test_bank_refuses_a_multiple_choice_question_with_two_right_options(tmp_path: Path):
    data = yaml.safe_load(cw.BANK_FILE.read_text())
    mc = next(q for q in data["questions"] if q["type"] == "multiple_choice")
    for option in mc["options"][:2]:
        option["correct"] = True
    bad = tmp_path / "bank.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="exactly one"):
        cw.load_bank(bad)


def test_rules_come_from_the_content():
    published = cw.quiz_rules()
    content = load_content()
    assert published.pass_mark == content.item("module6.quiz_rules.pass_mark").value == 0.8
    assert published.max_failed_attempts == 3
    assert published.lockout == dt.timedelta(hours=24)


# ------------------------------------------------------------------ drawing and grading


def test_each_attempt_draws_the_same_questions_every_time_and_attempts_differ():
    bank = cw.load_bank()
    first = [q.id for q in cw.draw_questions(1)]
    assert first == [q.id for q in cw.draw_questions(1)]
    assert len(first) == bank.draw == len(set(first))
    assert first != [q.id for q in cw.draw_questions(2)]


@pytest.mark.parametrize(("right", "passed"), [(10, True), (8, True), (7, False), (0, False)])
def test_grading_scores_and_applies_the_pass_mark(right: int, passed: bool):
    questions = cw.draw_questions(1)
    result = cw.grade(questions, answers_with(1, right))
    assert result.correct == right
    assert result.score == pytest.approx(right / 10)
    assert result.passed is passed
    assert [r.right for r in result.results] == [i < right for i in range(10)]


def test_multiple_select_needs_every_right_option_and_no_wrong_one():
    question = next(q for q in cw.load_bank().questions
                    if q.type == "multiple_select" and len(q.correct_ids) >= 2)
    right = sorted(question.correct_ids)
    wrong = next(o.id for o in question.options if not o.correct)
    assert cw.grade([question], {question.id: right}).correct == 1
    assert cw.grade([question], {question.id: right[:-1]}).correct == 0
    assert cw.grade([question], {question.id: [*right, wrong]}).correct == 0


# ------------------------------------------------------------------ sections and log tasks


@pytest.mark.parametrize("bad", ["6.9", "abc", "7"])
def test_an_unknown_section_number_says_which_ones_exist(bad: str):
    with pytest.raises(NotFoundError) as caught:
        rules.section_id(bad)
    assert repr(bad) in str(caught.value) and "6.1, 6.2, 6.3, 6.4" in str(caught.value)
    assert rules.section_id(" 6.2 ") == "module6.6_2"


@pytest.mark.parametrize(("start", "end", "says"), [
    (2, 4, "2 points higher than at the start"),
    (3, 2, "1 point lower than at the start"),
    (3, 3, "the same as at the start"),
    (2, None, "Rate yourself at the start and again in Activity 17"),
])
def test_the_change_in_self_rating_is_said_in_words(start, end, says):
    assert says in rules.rating_change(start, end)


def _attempt(number: int, passed: bool, at: dt.datetime) -> QuizAttempt:
    return QuizAttempt(practitioner="Pat", attempt=number, question_ids=["q01_aspire"],
                       answers={"q01_aspire": ["a"]}, correct=int(passed),
                       score=float(passed), passed=passed, submitted_at=at)


def test_the_lock_is_worked_out_from_the_attempts_and_the_time_alone():
    start = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)
    made = [_attempt(n, False, start + dt.timedelta(minutes=n)) for n in (1, 2, 3)]
    locked = rules.status_of("Pat", made, start + dt.timedelta(hours=1))
    assert locked.locked and locked.locked_until == start + dt.timedelta(hours=24, minutes=3)
    assert "in 23 hours 3 minutes" in locked.lock_message()
    free = rules.status_of("Pat", made, start + dt.timedelta(hours=24, minutes=3))
    assert not free.locked and free.lock_message() == "" and free.next_attempt == 4
    with pytest.raises(QuizLockedError) as caught:
        rules.check_unlocked(locked)
    again = pickle.loads(pickle.dumps(caught.value))  # a served page's error crosses processes
    assert again.until == locked.locked_until and str(again) == str(caught.value)


def test_log_tasks_cover_every_reflective_task_and_prompt_but_the_rating():
    assert "module6.task_6_2" in LOG_TASKS
    assert {f"module6.task_effective_collaboration.{n}" for n in range(1, 6)} <= set(LOG_TASKS)
    assert {"module6.task_optional_effective_collaboration.1",
            "module6.task_optional_effective_collaboration.2"} <= set(LOG_TASKS)
    assert {"module6.activity17.2", "module6.activity17.3"} <= set(LOG_TASKS)
    assert "module6.activity17.1" not in LOG_TASKS  # answered by the self-rating


# ------------------------------------------------------------------ Activity 16


def test_activity16_correct_set_comes_from_the_content_and_is_the_published_answer():
    content = load_content()
    correct = {c.number for c in content.children("module6.activity16") if c.correct}
    assert correct == {"a", "b", "c", "d", "f"}
    result = cw.grade_activity16(sorted(correct))
    assert result.all_right and result.answer == "a, b, c, d and f"


def test_activity16_gives_feedback_for_every_statement():
    result = cw.grade_activity16(["a", "b", "e"])
    verdicts = {s.letter: s.verdict for s in result.statements}
    assert verdicts["a"].startswith("Right: this supports")
    assert verdicts["c"].startswith("Missed")
    assert verdicts["e"].startswith("Not this one")
    assert verdicts["g"] == "Right to leave this out."
    assert not result.all_right and result.right_count == 4  # a, b, g, h
    assert all(s.explanation for s in result.statements)
    page = cw.activity16_html(result)
    assert "The published answer is a, b, c, d and f" in page
    for statement in result.statements:
        assert statement.letter + ". " in page


def test_activity16_refuses_an_unknown_statement():
    with pytest.raises(RecordValidationError, match="'z' is not a statement"):
        cw.grade_activity16(["a", "z"])
