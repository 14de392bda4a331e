"""The end-of-module quiz and Activity 16 as widgets.

The quiz widget shows the practitioner's attempts, the questions of the attempt in
progress (answers kept as they are chosen), the score and feedback after submitting,
and the lock with when it lifts. Everything it shows is worked out from the store, so a
reload, a new kernel or a new browser shows the same.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from partnerkit.collaborative_working.data import (
    AttemptInProgress,
    draft,
    quiz_status,
    save_draft,
    start_attempt,
    submit_attempt,
)
from partnerkit.collaborative_working.report import (
    activity16_html,
    attempts_html,
    results_html,
)
from partnerkit.collaborative_working.rules import (
    Activity16Result,
    Question,
    QuizStatus,
    as_choice_list,
    attempt_grade,
    grade_activity16,
    hours_text,
)
from partnerkit.collaborative_working.trainer import review_of
from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError, QuizLockedError
from partnerkit.forms import AUTOSAVE_COALESCE, FORM_CSS, ChoiceChecklist, record_form
from partnerkit.forms.looks import own_layout
from partnerkit.records.module import Activity16Answer, QuizAttempt, practitioner_name
from partnerkit.reports.parts import render_part
from partnerkit.store import Store

__all__ = ["Activity16Widget", "QuizWidget", "activity16_widget", "quiz_widget"]


# ------------------------------------------------------------------ Activity 16


class Activity16Widget(widgets.VBox):
    """Activity 16: tick the statements (saved as you tick), then check against the answer."""

    def __init__(self, session: Any) -> None:
        activity = load_content().item("module6.activity16")
        self.form = record_form(Activity16Answer, store=session.store,
                                workspace=session.workspace, author=session.author,
                                fixed={"practitioner": practitioner_name(session.author)},
                                key=practitioner_name(session.author))
        self.button = widgets.Button(description="Check my answers", icon="check",
                                     button_style="primary")
        self.feedback = widgets.HTML("")
        self.button.on_click(lambda _b: self.check())
        intro = widgets.HTML(render_part("intro", heading=activity.title or "", paragraphs=[
            f"{activity.text} {activity.summary or ''}"]))
        super().__init__([intro, self.form, self.button, self.feedback])

    def check(self) -> Activity16Result | None:
        """Show feedback for each statement; None (with a message) if nothing is ticked."""
        chosen = self.form.values().get("chosen") or []
        if not chosen:
            self.feedback.value = render_part("alert", text="Tick the statements you think support "
                                                     "effective collaboration, then check.")
            return None
        result = grade_activity16(chosen)
        self.feedback.value = activity16_html(result)
        return result


def activity16_widget(session: Any) -> Activity16Widget:
    """Activity 16 as a multiple-select question, saved per practitioner, with feedback."""
    return Activity16Widget(session)


# ------------------------------------------------------------------ question inputs


def _question_input(question: Question, number: int) -> tuple[widgets.Widget, widgets.Widget]:
    """A question's heading and input: radio buttons, or checkboxes for multiple select."""
    heading = widgets.HTML(render_part("quiz_question", question=question, number=number))
    options = [(o.text, o.id) for o in question.options]
    if question.type == "multiple_choice":
        control: widgets.Widget = widgets.RadioButtons(options=options, value=None,
                                                       layout=widgets.Layout(width="auto"))
    else:
        control = ChoiceChecklist(options, "")
    return heading, control


def _get(control: widgets.Widget) -> list[str]:
    return as_choice_list(control.value)


def _set(control: widgets.Widget, values: list[str]) -> None:
    if isinstance(control, ChoiceChecklist):
        control.value = values
    else:
        control.value = values[0] if values else None


def _observe(control: widgets.Widget, callback: Any) -> None:
    if isinstance(control, ChoiceChecklist):
        control.observe_value(callback)
    else:
        control.observe(callback, names="value")


def _disable(control: widgets.Widget) -> None:
    if isinstance(control, ChoiceChecklist):
        for child in control.children:
            if isinstance(child, widgets.Checkbox):
                child.disabled = True
    else:
        control.disabled = True


# ------------------------------------------------------------------ the quiz widget


class QuizWidget(widgets.VBox):
    """The end-of-module quiz for one practitioner: attempts, questions, results, the lock.

    ``inputs`` maps each question id of the current attempt to its input widget;
    ``message`` says what happened last; ``submit()`` and ``start()`` are what the
    buttons call.
    """

    def __init__(self, session: Any) -> None:
        self.store: Store = session.store
        self.workspace: str = session.workspace
        self.practitioner: str = practitioner_name(session.author)
        self.current: AttemptInProgress | None = None
        self.submitted: QuizAttempt | None = None
        self.inputs: dict[str, widgets.Widget] = {}
        rules_item = load_content().item("module6.quiz_rules")
        self.history = widgets.HTML("")
        self.questions = widgets.VBox()
        self.message = widgets.HTML("")
        self.results = widgets.HTML("")
        self.start_button = widgets.Button(description="Start the quiz", icon="play",
                                           button_style="primary")
        self.submit_button = widgets.Button(description="Submit my answers", icon="check",
                                            button_style="success")
        self.refresh_button = widgets.Button(description="Check again", icon="refresh")
        self.start_button.on_click(lambda _b: self.start())
        self.submit_button.on_click(lambda _b: self.submit())
        self.refresh_button.on_click(lambda _b: self.refresh())
        header = widgets.HTML(FORM_CSS + render_part("intro", heading=rules_item.title or "",
                                              paragraphs=[f"{rules_item.text} "
                                                          f"{rules_item.summary or ''}"]))
        super().__init__([header, self.history, self.message, self.questions,
                          self.submit_button, self.results, self.start_button,
                          self.refresh_button], _dom_classes=("pk-quiz",))
        self.refresh()

    # -- state

    def status(self) -> QuizStatus:
        """The practitioner's status, worked out from the store now."""
        return quiz_status(self.store, self.workspace, self.practitioner)

    def refresh(self) -> QuizStatus:
        """Show the attempts, the lock or the next step, from the store."""
        status = self.status()
        self.history.value = attempts_html(status)
        self._show(self.submit_button, False)
        self._show(self.refresh_button, status.locked)
        if status.locked:
            self._clear_questions()
            text = status.lock_message()
            self._say(f"🔒 {text[:1].upper()}{text[1:]}.", ok=False)
            self._show(self.start_button, False)
            return status
        if status.passed and self.submitted is None:
            self._say("You have passed the end-of-module quiz. Well done.", ok=True)
        elif status.lift_message() and self.submitted is None:
            text = status.lift_message()
            self._say(f"{text[:1].upper()}{text[1:]}.", ok=True)
        kept = draft(self.store, self.workspace, self.practitioner)
        if self.current is None and kept is not None and kept.attempt == status.next_attempt:
            self.start()
            return status
        self.start_button.description = f"Start attempt {status.next_attempt}"
        self._show(self.start_button, self.current is None or self.submitted is not None)
        return status

    def _show(self, widget: widgets.Widget, visible: bool) -> None:
        own_layout(widget).display = None if visible else "none"

    def _say(self, text: str, *, ok: bool) -> None:
        self.message.value = render_part("status_message", text=text, ok=ok)

    def _clear_questions(self) -> None:
        self.inputs = {}
        self.questions.children = ()

    # -- actions

    def start(self) -> AttemptInProgress | None:
        """Start (or resume) the next attempt and show its questions."""
        try:
            attempt = start_attempt(self.store, self.workspace, self.practitioner)
        except QuizLockedError:
            self.current = None
            self.refresh()
            return None
        except PartnerkitError as exc:
            self._say(f"Not started: {exc}", ok=False)
            return None
        self.current = attempt
        self.submitted = None
        self.results.value = ""
        self.inputs = {}
        rows: list[widgets.Widget] = []
        for number, question in enumerate(attempt.questions, start=1):
            heading, control = _question_input(question, number)
            _set(control, attempt.answers.get(question.id, []))
            _observe(control, self._changed)
            self.inputs[question.id] = control
            rows.extend([heading, control])
        self.questions.children = tuple(rows)
        self._say(f"Attempt {attempt.attempt}: your answers are kept as you choose "
                  "them. Submit when you are ready.", ok=True)
        self._show(self.submit_button, True)
        self._show(self.start_button, False)
        self.submit_button.disabled = False
        return attempt

    def answers(self) -> dict[str, list[str]]:
        """The answers chosen in the current attempt."""
        return {qid: _get(control) for qid, control in self.inputs.items()}

    def _changed(self, _change: Any) -> None:
        if self.current is None:
            return
        if self.submitted is not None:
            self._say(f"Attempt {self.submitted.attempt} has already been submitted: changing "
                      "an answer now does not change it. The submitted answers and score "
                      "stand.", ok=False)
            return
        try:
            save_draft(self.store, self.workspace, self.practitioner, self.current.attempt,
                       self.answers(), coalesce=AUTOSAVE_COALESCE)
        except PartnerkitError as exc:
            self._say(f"Your answer could not be kept: {exc}", ok=False)

    def submit(self) -> QuizAttempt | None:
        """Submit the current attempt; show its score and feedback, or say what is wrong."""
        if self.current is None:
            self._say("Start an attempt first.", ok=False)
            return None
        try:
            record = submit_attempt(self.store, self.workspace, self.practitioner,
                                    self.current.attempt, self.answers())
        except QuizLockedError:
            self._clear_questions()
            self.current = None
            self.refresh()
            return None
        except PartnerkitError as exc:
            self._say(f"Not submitted: {exc}", ok=False)
            return None
        self.submitted = record
        for control in self.inputs.values():
            _disable(control)
        self.submit_button.disabled = True
        status = self.refresh()
        self.results.value = results_html(attempt_grade(record), record,
                                          review_of(self.store, self.workspace, status.passed))
        self._after_submit(record, status)
        return record

    def _after_submit(self, record: QuizAttempt, status: QuizStatus) -> None:
        if status.locked:
            return
        if record.passed:
            self._say(f"Attempt {record.attempt} submitted: you passed.", ok=True)
            return
        left = status.attempts_left
        self._say(f"Attempt {record.attempt} submitted: not passed this time. You can "
                  f"try again ({left} attempt{'s' if left != 1 else ''} before a "
                  f"{hours_text(status.rules.lockout)} lockout).", ok=False)


def quiz_widget(session: Any) -> QuizWidget:
    """The end-of-module quiz for the session's practitioner."""
    return QuizWidget(session)
