"""Tests for partnerkit.collaborative_working.views_quiz: the quiz widget and Activity 16."""

from __future__ import annotations

import datetime as dt

from partnerkit import collaborative_working as cw
from partnerkit.records.base import load_record
from partnerkit.records.module import Activity16Answer, QuizAttempt
from partnerkit.reports.text import format_moment
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO, answers_with


def test_quiz_widget_keeps_answers_as_chosen_and_resumes_them_after_a_reload(
        store: Store, session_for):
    widget = cw.quiz_widget(session_for())
    widget.start()
    first_id, control = next(iter(widget.inputs.items()))
    choice = cw.load_bank().question(first_id).option_ids[1]
    if hasattr(control, "observe_value"):
        control.value = [choice]
    else:
        control.value = choice
    reloaded = cw.quiz_widget(session_for())
    assert reloaded.current is not None and reloaded.current.attempt == 1
    assert reloaded.answers()[first_id] == [choice]


def test_quiz_widget_refuses_an_empty_submission_with_a_message(store: Store, session_for):
    widget = cw.quiz_widget(session_for())
    widget.start()
    assert widget.submit() is None
    assert "Not submitted" in widget.message.value and "no answers were given" in \
        widget.message.value
    assert cw.attempts(store, "school", WHO) == []


def _choose(widget: cw.QuizWidget, answers: dict[str, list[str]]) -> None:
    for qid, control in widget.inputs.items():
        if hasattr(control, "observe_value"):
            control.value = answers[qid]
        else:
            control.value = answers[qid][0]


def test_quiz_widget_ignores_an_answer_changed_after_submitting(store: Store, session_for):
    widget = cw.quiz_widget(session_for())
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
        control.value = next(o for o in cw.load_bank().question(qid).option_ids
                             if o != control.value)
    assert "already been submitted" in widget.message.value
    assert load_record(store, "school", QuizAttempt, f"{WHO}/0001") == record


def test_quiz_widget_shows_the_lock_and_when_it_lifts(store: Store, session_for, clock):
    widget = cw.quiz_widget(session_for())
    for number in range(1, 4):
        widget.start()
        _choose(widget, answers_with(number, 1))
        widget.submit()
        clock.advance(minutes=1)
    lifts = cw.attempts(store, "school", WHO)[-1].submitted_at + dt.timedelta(hours=24)
    assert "🔒 After 3 failed attempts" in widget.message.value
    assert format_moment(lifts) in widget.message.value
    assert widget.inputs == {} and widget.start_button.layout.display == "none"
    fresh = cw.quiz_widget(session_for())
    assert format_moment(lifts) in fresh.message.value
    assert fresh.start() is None and fresh.current is None


def test_activity16_widget_saves_ticks_and_checks_them(store: Store, session_for):
    widget = cw.activity16_widget(session_for())
    assert widget.check() is None and "Tick the statements" in widget.feedback.value
    widget.form.editors["chosen"].input.value = ["a", "b", "c", "d", "f"]
    stored = load_record(store, "school", Activity16Answer, WHO)
    assert stored is not None and stored.chosen == ["a", "b", "c", "d", "f"]
    result = widget.check()
    assert result is not None and result.all_right
    assert "You chose exactly the statements" in widget.feedback.value
