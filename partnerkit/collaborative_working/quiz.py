"""The end-of-module quiz and Activity 16: question bank, drawing, grading, attempts and lock.

The bank is ``partnerkit/quiz_bank.yaml``: multiple-choice and multiple-select questions,
each with feedback and the content id it tests. Each attempt draws its questions with a
random generator seeded by the attempt number, so a reloaded page shows the same
questions for the same attempt. The pass mark, the number of failed attempts before a
lockout and the lockout's length come from the content (``module6.quiz_rules.*``).

The lock is never stored as a flag: it is worked out every time from the submitted
attempts in the store and the store's clock (:meth:`Store.clock`), so it holds across a
page reload, a kernel restart and a new browser. Time is counted from the latest
submission seen, so setting the clock back never lifts a lock early. A submitted attempt
is never changed: submitting the same attempt again is refused and the first answers and
score stand.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import ipywidgets as widgets
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from partnerkit.content import load_content
from partnerkit.errors import (
    AttemptSubmittedError,
    ContentError,
    PartnerkitError,
    QuizLockedError,
    RecordExistsError,
    RecordValidationError,
)
from partnerkit.forms import AUTOSAVE_COALESCE, FORM_CSS, ChoiceChecklist, record_form
from partnerkit.forms.looks import own_layout
from partnerkit.records.base import load_record, load_records, save_record
from partnerkit.records.module import (
    ACTIVITY16_STATEMENTS,
    Activity16Answer,
    QuizAttempt,
    QuizDraft,
    practitioner_name,
)
from partnerkit.store import Store

BANK_FILE = Path(__file__).parent / "quiz_bank.yaml"
WHERE = "end-of-module quiz"


# ------------------------------------------------------------------ the bank


class Option(BaseModel):
    """One answer option of a question."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    correct: bool = False


class Question(BaseModel):
    """A quiz question: its type, text, options, feedback and the content id it tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    type: Literal["multiple_choice", "multiple_select"]
    cites: str = Field(min_length=1)
    text: str = Field(min_length=1)
    options: tuple[Option, ...] = Field(min_length=2)
    feedback: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check_answers(self) -> Question:
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has two options with the same id")
        right = sum(o.correct for o in self.options)
        if self.type == "multiple_choice" and right != 1:
            raise ValueError(f"multiple-choice question {self.id!r} has {right} right "
                             "options; mark exactly one with correct: true")
        if self.type == "multiple_select" and right < 1:
            raise ValueError(f"multiple-select question {self.id!r} has no right option")
        return self

    @property
    def correct_ids(self) -> frozenset[str]:
        """The ids of the right options."""
        return frozenset(o.id for o in self.options if o.correct)

    @property
    def option_ids(self) -> tuple[str, ...]:
        """Every option id, in order."""
        return tuple(o.id for o in self.options)


class QuizBank(BaseModel):
    """The question bank and how many questions an attempt draws."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    draw: int = Field(ge=1)
    questions: tuple[Question, ...] = Field(min_length=1)
    activity16_feedback: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_bank(self) -> QuizBank:
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"two questions share the id {duplicates[0]!r}")
        if self.draw > len(self.questions):
            raise ValueError(f"draw is {self.draw} but the bank has only "
                             f"{len(self.questions)} questions")
        return self

    def question(self, question_id: str) -> Question:
        """The question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise PartnerkitError("is not a question in the quiz bank", value=question_id,
                              where=WHERE, fix="use an id from partnerkit/quiz_bank.yaml")


def load_bank(path: str | Path | None = None) -> QuizBank:
    """Load and check the question bank (the packaged one unless ``path`` is given).

    Raises:
        ContentError: the file is not valid YAML, a question is malformed, or a question
            cites a content id that does not exist.
    """
    if path is None:
        return _packaged_bank()
    return _load_bank(Path(path))


@lru_cache(maxsize=1)
def _packaged_bank() -> QuizBank:
    return _load_bank(BANK_FILE)


def _load_bank(path: Path) -> QuizBank:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bank = QuizBank.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"cannot be read ({exc})", value=str(path), where="quiz bank",
                           fix="check the quiz bank file") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        at = ".".join(str(p) for p in first["loc"])
        raise ContentError(f"at {at}: {first['msg']}", value=str(path), where="quiz bank",
                           fix="correct the quiz bank file") from None
    content = load_content()
    for question in bank.questions:
        if question.cites not in content:
            raise ContentError(f"question {question.id!r} cites {question.cites!r}, which is "
                               "not a content id", value=question.cites, where="quiz bank",
                               fix="cite an id from partnerkit/content/*.yaml")
    return bank


# ------------------------------------------------------------------ the rules


@dataclass(frozen=True)
class QuizRules:
    """Pass mark (0–1), failed attempts before a lockout, and the lockout's length."""

    pass_mark: float
    max_failed_attempts: int
    lockout: dt.timedelta
    text: str


def quiz_rules() -> QuizRules:
    """The quiz rules as the module publishes them (``module6.quiz_rules.*``)."""
    content = load_content()

    def value(name: str) -> float:
        item = content.item(f"module6.quiz_rules.{name}")
        if item.value is None:
            raise ContentError("has no value", value=item.id, where="content",
                               fix="give the rule a value in module6.yaml")
        return float(item.value)

    return QuizRules(pass_mark=value("pass_mark"),
                     max_failed_attempts=int(value("max_failed_attempts")),
                     lockout=dt.timedelta(hours=value("lockout_hours")),
                     text=content.item("module6.quiz_rules").text)


# ------------------------------------------------------------------ drawing and grading


def draw_questions(attempt: int, bank: QuizBank | None = None) -> list[Question]:
    """The questions of one attempt: a sample of the bank seeded by the attempt number."""
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
        chosen = _as_choice_list(given)
        if not chosen:
            continue
        question = by_id.get(question_id)
        if question is None:
            errors[question_id] = f"{question_id!r} is not a question of this attempt"
            continue
        unknown = [c for c in chosen if c not in question.option_ids]
        if unknown:
            errors[question_id] = (f"{unknown[0]!r} is not an option of this question; "
                                   f"choose from {', '.join(question.option_ids)}")
        elif question.type == "multiple_choice" and len(chosen) > 1:
            errors[question_id] = "choose one answer only for this question"
        else:
            cleaned[question_id] = sorted(set(chosen))
    if errors:
        first = next(iter(errors.values()))
        raise RecordValidationError(first, field_errors=errors, where=WHERE,
                                    fix="correct the answer; nothing was recorded")
    return cleaned


def _as_choice_list(given: Any) -> list[str]:
    if given is None:
        return []
    if isinstance(given, str):
        return [given] if given.strip() else []
    return [str(g) for g in given if g is not None and str(g).strip()]


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


# ------------------------------------------------------------------ attempts and the lock


def attempts(store: Store, workspace: str, practitioner: str) -> list[QuizAttempt]:
    """Every submitted attempt of a practitioner, in attempt order."""
    practitioner = practitioner_name(practitioner)
    found = load_records(store, workspace, QuizAttempt, prefix=f"{practitioner}/")
    return sorted((a for a in found if a.practitioner == practitioner),
                  key=lambda a: a.attempt)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def lock_until(made: list[QuizAttempt], rules: QuizRules | None = None) -> dt.datetime | None:
    """When the latest lockout lifts (or None if there never was one).

    Failed attempts are counted in a row; a pass resets the count, and so does a
    lockout. Each attempt is timed at the latest submission so far, so an attempt made
    while the clock was set back cannot make a lock lift sooner.
    """
    rules = rules or quiz_rules()
    latest: dt.datetime | None = None
    failed_in_row = 0
    until: dt.datetime | None = None
    for attempt in sorted(made, key=lambda a: a.attempt):
        moment = _aware(attempt.submitted_at)
        latest = moment if latest is None else max(latest, moment)
        if attempt.passed:
            failed_in_row = 0
            continue
        failed_in_row += 1
        if failed_in_row >= rules.max_failed_attempts:
            until = latest + rules.lockout
            failed_in_row = 0
    return until


@dataclass(frozen=True)
class QuizStatus:
    """Where a practitioner stands: attempts made, the lock, and what comes next."""

    practitioner: str
    attempts: tuple[QuizAttempt, ...]
    now: dt.datetime
    locked_until: dt.datetime | None
    failed_in_row: int
    rules: QuizRules

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
        return max((_aware(a.submitted_at) for a in self.attempts), default=None)

    @property
    def clock_behind(self) -> bool:
        """True when the clock reads earlier than an attempt already submitted."""
        latest = self.latest_submission
        return latest is not None and self.now < latest

    @property
    def attempts_left(self) -> int:
        """Failed attempts still allowed before the next lockout."""
        return self.rules.max_failed_attempts - self.failed_in_row

    def lock_message(self) -> str:
        """Why the quiz is locked and when it lifts (empty when it is not locked)."""
        if not self.locked or self.locked_until is None:
            return ""
        text = (f"after {self.rules.max_failed_attempts} failed attempts the quiz is locked "
                f"for {_hours(self.rules.lockout)}: you can try again from "
                f"{format_moment(self.locked_until)}")
        if self.clock_behind and self.latest_submission is not None:
            text += (f" (this computer's clock reads {format_moment(self.now)}, earlier than "
                     f"your last attempt at {format_moment(self.latest_submission)}; the "
                     "lock is counted from your last attempt, so it still lifts then)")
        else:
            text += f", in {_duration(self.locked_until - self.now)}"
        return text


def _hours(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:g} hours"


def _duration(delta: dt.timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60) + (delta.total_seconds() % 60 > 0))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not parts:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def format_moment(moment: dt.datetime) -> str:
    """A time people read easily: ``10:15 on Wednesday 2 September 2026 (UTC)``."""
    local = _aware(moment).astimezone()
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y} ({local.tzname()})"


def quiz_status(store: Store, workspace: str, practitioner: str) -> QuizStatus:
    """Work out a practitioner's quiz status from the stored attempts and the store's clock."""
    practitioner = practitioner_name(practitioner)
    rules = quiz_rules()
    made = attempts(store, workspace, practitioner)
    failed_in_row = 0
    for attempt in made:
        failed_in_row = 0 if attempt.passed else failed_in_row + 1
        if failed_in_row >= rules.max_failed_attempts:
            failed_in_row = 0
    return QuizStatus(practitioner, tuple(made), _aware(store.clock()),
                      lock_until(made, rules), failed_in_row, rules)


def check_unlocked(status: QuizStatus) -> None:
    """Raise :class:`QuizLockedError` saying when the lock lifts, if the quiz is locked."""
    if status.locked:
        raise QuizLockedError(status.lock_message(), until=status.locked_until, where=WHERE,
                              fix="your attempts and scores so far are kept")


@dataclass
class AttemptInProgress:
    """An attempt that has been started: its number, questions and answers so far."""

    practitioner: str
    attempt: int
    questions: list[Question]
    answers: dict[str, list[str]] = field(default_factory=dict)


def start_attempt(store: Store, workspace: str, practitioner: str) -> AttemptInProgress:
    """Start (or resume) the practitioner's next attempt.

    Raises:
        QuizLockedError: the practitioner is locked out; the message says until when.
    """
    practitioner = practitioner_name(practitioner)
    status = quiz_status(store, workspace, practitioner)
    check_unlocked(status)
    number = status.next_attempt
    draft = load_record(store, workspace, QuizDraft, practitioner)
    answers = dict(draft.answers) if draft is not None and draft.attempt == number else {}
    if draft is None or draft.attempt != number:
        save_record(store, workspace, QuizDraft(practitioner=practitioner, attempt=number),
                    practitioner)
    return AttemptInProgress(practitioner, number, draw_questions(number), answers)


def save_draft(store: Store, workspace: str, practitioner: str, attempt: int,
               answers: dict[str, Any]) -> None:
    """Keep the answers of an attempt in progress so a reload does not lose them."""
    practitioner = practitioner_name(practitioner)
    kept = {q: _as_choice_list(a) for q, a in answers.items() if _as_choice_list(a)}
    save_record(store, workspace, QuizDraft(practitioner=practitioner, attempt=attempt,
                                            answers=kept), practitioner,
                coalesce=AUTOSAVE_COALESCE)


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
    earlier = load_record(store, workspace, QuizAttempt, key)
    if earlier is not None:
        raise AttemptSubmittedError(
            f"attempt {attempt} was already submitted at {format_moment(earlier.submitted_at)}"
            f" with a score of {earlier.score:.0%}; it stands as submitted and cannot be "
            "changed", value=attempt, where=WHERE,
            fix="start a new attempt if you have attempts left")
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
    result = grade(questions, cleaned, status.rules)
    record = QuizAttempt(practitioner=practitioner, attempt=attempt,
                         question_ids=[q.id for q in questions], answers=cleaned,
                         correct=result.correct, score=result.score, passed=result.passed,
                         submitted_at=_aware(store.clock()))
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


def attempt_grade(record: QuizAttempt) -> Grade:
    """Grade a stored attempt again, for its feedback (the stored score stands)."""
    bank = load_bank()
    questions = [bank.question(q) for q in record.question_ids]
    return grade(questions, record.answers)


ATTEMPT_COLUMNS = ["attempt", "submitted_at", "correct", "questions", "score_percent",
                   "passed"]


def attempts_frame(store: Store, workspace: str, practitioner: str) -> pd.DataFrame:
    """A practitioner's attempts: columns :data:`ATTEMPT_COLUMNS`, one row per attempt."""
    rows = [{"attempt": a.attempt, "submitted_at": _aware(a.submitted_at),
             "correct": a.correct, "questions": len(a.question_ids),
             "score_percent": round(a.score * 100), "passed": a.passed}
            for a in attempts(store, workspace, practitioner)]
    return pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)


# ------------------------------------------------------------------ Activity 16


@dataclass(frozen=True)
class StatementFeedback:
    """One Activity 16 statement: chosen or not, right or not, and why."""

    letter: str
    text: str
    chosen: bool
    supports: bool
    explanation: str

    @property
    def right(self) -> bool:
        """True when the choice matches the published answer."""
        return self.chosen == self.supports

    @property
    def verdict(self) -> str:
        """A short verdict for this statement."""
        if self.chosen and self.supports:
            return "Right: this supports effective collaboration."
        if self.supports:
            return "Missed: this does support effective collaboration."
        if self.chosen:
            return "Not this one: this does not support effective collaboration."
        return "Right to leave this out."


@dataclass(frozen=True)
class Activity16Result:
    """Activity 16 graded against the published answer, statement by statement."""

    statements: tuple[StatementFeedback, ...]

    @property
    def all_right(self) -> bool:
        """True when exactly the right statements were chosen."""
        return all(s.right for s in self.statements)

    @property
    def right_count(self) -> int:
        """How many statements were judged correctly."""
        return sum(s.right for s in self.statements)

    @property
    def answer(self) -> str:
        """The published answer, for example ``a, b, c, d and f``."""
        letters = [s.letter for s in self.statements if s.supports]
        return letters[0] if len(letters) == 1 else ", ".join(letters[:-1]) + " and " + letters[-1]


def grade_activity16(chosen: list[str]) -> Activity16Result:
    """Grade Activity 16: for each statement, whether it was judged right, and why.

    Raises:
        RecordValidationError: a chosen letter is not one of the statements.
    """
    unknown = [c for c in chosen if c not in ACTIVITY16_STATEMENTS]
    if unknown:
        raise RecordValidationError(
            f"{unknown[0]!r} is not a statement of Activity 16", value=unknown[0],
            field_errors={"chosen": "unknown statement"}, where="Activity 16",
            fix=f"choose from {', '.join(ACTIVITY16_STATEMENTS)}")
    explanations = load_bank().activity16_feedback
    picked = set(chosen)
    return Activity16Result(tuple(
        StatementFeedback(letter, item.text, letter in picked, bool(item.correct),
                          explanations.get(letter, ""))
        for letter, item in ACTIVITY16_STATEMENTS.items()))


def activity16_html(result: Activity16Result) -> str:
    """Feedback for each Activity 16 statement, as HTML (all text escaped)."""
    rows = "".join(
        f'<li style="margin-bottom:0.4em"><b>{"✓" if s.right else "✗"} '
        f"{html.escape(s.letter)}. {html.escape(s.text)}</b><br>{html.escape(s.verdict)} "
        f"{html.escape(s.explanation)}</li>" for s in result.statements)
    summary = ("You chose exactly the statements that support effective collaboration."
               if result.all_right else
               f"You judged {result.right_count} of {len(result.statements)} statements "
               f"correctly. The published answer is {result.answer}.")
    return (f'<div class="pk-activity16-feedback" role="status"><p><b>{html.escape(summary)}'
            f'</b></p><ul style="list-style:none;padding-left:0">{rows}</ul></div>')


class Activity16Widget(widgets.VBox):
    """Activity 16: tick the statements (saved as you tick), then check against the answer."""

    def __init__(self, session: Any) -> None:
        content = load_content()
        activity = content.item("module6.activity16")
        self.form = record_form(Activity16Answer, store=session.store,
                                workspace=session.workspace, author=session.author,
                                fixed={"practitioner": practitioner_name(session.author)},
                                key=practitioner_name(session.author))
        self.button = widgets.Button(description="Check my answers", icon="check",
                                     button_style="primary")
        self.feedback = widgets.HTML("")
        self.button.on_click(lambda _b: self.check())
        intro = widgets.HTML(f"<h3>{html.escape(activity.title or '')}</h3>"
                             f"<p>{html.escape(activity.text)} "
                             f"{html.escape(activity.summary or '')}</p>")
        super().__init__([intro, self.form, self.button, self.feedback])

    def check(self) -> Activity16Result | None:
        """Show feedback for each statement; None (with a message) if nothing is ticked."""
        chosen = self.form.values().get("chosen") or []
        if not chosen:
            self.feedback.value = ('<div class="pk-error" role="alert">Tick the statements '
                                   "you think support effective collaboration, then check."
                                   "</div>")
            return None
        result = grade_activity16(chosen)
        self.feedback.value = activity16_html(result)
        return result


def activity16_widget(session: Any) -> Activity16Widget:
    """Activity 16 as a multiple-select question, saved per practitioner, with feedback."""
    return Activity16Widget(session)


# ------------------------------------------------------------------ the quiz widget


def _question_input(question: Question, number: int) -> tuple[widgets.Widget, widgets.Widget]:
    """A question's heading and input: radio buttons, or checkboxes for multiple select."""
    hint = "Choose one answer." if question.type == "multiple_choice" else \
        "Choose every right answer."
    heading = widgets.HTML(f"<p><b>{number}. {html.escape(question.text)}</b><br>"
                           f'<span class="pk-help">{hint}</span></p>')
    options = [(o.text, o.id) for o in question.options]
    if question.type == "multiple_choice":
        control: widgets.Widget = widgets.RadioButtons(options=options, value=None,
                                                       layout=widgets.Layout(width="auto"))
    else:
        control = ChoiceChecklist(options, "")
    return heading, control


def _get(control: widgets.Widget) -> list[str]:
    return _as_choice_list(control.value)


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


def attempts_html(status: QuizStatus) -> str:
    """The practitioner's attempts so far as a small table (HTML)."""
    if not status.attempts:
        return "<p>You have not attempted the quiz yet.</p>"
    rows = "".join(
        f"<tr><td>{a.attempt}</td><td>{html.escape(format_moment(a.submitted_at))}</td>"
        f"<td>{a.correct} of {len(a.question_ids)} ({a.score:.0%})</td>"
        f"<td>{'Passed' if a.passed else 'Not passed'}</td></tr>" for a in status.attempts)
    return ("<table><tr><th>Attempt</th><th>Submitted</th><th>Score</th><th>Result</th></tr>"
            f"{rows}</table>")


def results_html(result: Grade, record: QuizAttempt) -> str:
    """Score, pass or not, and feedback for each question of a submitted attempt."""
    items = "".join(
        f'<li style="margin-bottom:0.5em"><b>{"✓" if r.right else "✗"} '
        f"{html.escape(r.question.text)}</b><br>{html.escape(r.feedback)}</li>"
        for r in result.results)
    verdict = "Passed" if record.passed else "Not passed"
    return (f'<div role="status"><p><b>Attempt {record.attempt}: {record.correct} of '
            f"{len(record.question_ids)} right ({record.score:.0%}). {verdict}.</b></p>"
            f"<ol>{items}</ol></div>")


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
        content = load_content()
        rules_item = content.item("module6.quiz_rules")
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
        header = widgets.HTML(
            f"{FORM_CSS}<h3>{html.escape(rules_item.title or '')}</h3>"
            f"<p>{html.escape(rules_item.text)} {html.escape(rules_item.summary or '')}</p>")
        super().__init__([header, self.history, self.message, self.questions,
                          self.submit_button, self.results, self.start_button,
                          self.refresh_button])
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
        draft = load_record(self.store, self.workspace, QuizDraft, self.practitioner)
        if self.current is None and draft is not None and draft.attempt == status.next_attempt:
            self.start()
            return status
        self.start_button.description = f"Start attempt {status.next_attempt}"
        self._show(self.start_button, self.current is None or self.submitted is not None)
        return status

    def _show(self, widget: widgets.Widget, visible: bool) -> None:
        own_layout(widget).display = None if visible else "none"

    def _say(self, text: str, *, ok: bool) -> None:
        css = "pk-status-ok" if ok else "pk-status-bad"
        role = "status" if ok else "alert"
        self.message.value = f'<div class="{css}" role="{role}">{html.escape(text)}</div>'

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
                       self.answers())
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
        self.results.value = results_html(attempt_grade(record), record)
        status = self.refresh()
        if not status.locked:
            if record.passed:
                self._say(f"Attempt {record.attempt} submitted: you passed.", ok=True)
            else:
                left = status.attempts_left
                self._say(f"Attempt {record.attempt} submitted: not passed this time. You can "
                          f"try again ({left} attempt{'s' if left != 1 else ''} before a "
                          f"{_hours(status.rules.lockout)} lockout).", ok=False)
        return record


def _disable(control: widgets.Widget) -> None:
    if isinstance(control, ChoiceChecklist):
        for child in control.children:
            if isinstance(child, widgets.Checkbox):
                child.disabled = True
    else:
        control.disabled = True


def quiz_widget(session: Any) -> QuizWidget:
    """The end-of-module quiz for the session's practitioner."""
    return QuizWidget(session)
