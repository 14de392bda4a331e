"""The module's activity rules (pure): sections, moments, log tasks, Activity 16, completion.

Nothing here reads the store or draws a widget: callers pass the records in.
"""

from __future__ import annotations

from dataclasses import dataclass

from partnerkit.collaborative_working.rules.bank import load_bank
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.records.module import (
    ACTIVITY16_STATEMENTS,
    LOG_TASKS,
    MOMENTS,
    Activity16Answer,
    FeedbackSurvey,
    LogEntry,
    SelfRating,
    WheelRating,
)

SECTIONS = {"6.1": "module6.6_1", "6.2": "module6.6_2", "6.3": "module6.6_3",
            "6.4": "module6.6_4"}
"""The module's sections by number, in order, with their content ids."""


# ------------------------------------------------------------------ sections and moments


def section_id(number: str) -> str:
    """The content id of a section number ("6.1" to "6.4").

    Raises:
        NotFoundError: ``number`` is not one of the module's sections.
    """
    key = str(number).strip()
    if key not in SECTIONS:
        raise NotFoundError("is not a section of this module", value=number,
                            where="section", fix=f"use one of {', '.join(SECTIONS)}")
    return SECTIONS[key]


def check_moment(moment: str) -> str:
    """Return ``moment`` if it is "start" or "end".

    Raises:
        PartnerkitError: any other moment.
    """
    if moment not in MOMENTS:
        raise PartnerkitError("is not a moment of the module", value=moment, where="rating",
                              fix="use 'start' or 'end'")
    return moment


def check_log_task(task_id: str) -> str:
    """Return ``task_id`` if it is a reflective-log task or prompt of the module.

    Raises:
        NotFoundError: it is not.
    """
    if task_id not in LOG_TASKS:
        raise NotFoundError("is not a reflective-log task of this module", value=task_id,
                            where="reflective log", fix=f"use one of {', '.join(LOG_TASKS)}")
    return task_id


def rating_change(start: int | None, end: int | None) -> str:
    """How the end self-rating compares with the start, in a sentence."""
    if start is None or end is None:
        return "Rate yourself at the start and again in Activity 17 to compare."
    change = end - start
    if change == 0:
        return "Your rating now is the same as at the start."
    points = f"{abs(change)} point{'s' if abs(change) != 1 else ''}"
    return f"Your rating now is {points} {'higher' if change > 0 else 'lower'} than at the start."


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

    @property
    def summary(self) -> str:
        """One sentence on how the statements were judged, with the published answer."""
        if self.all_right:
            return "You chose exactly the statements that support effective collaboration."
        return (f"You judged {self.right_count} of {len(self.statements)} statements "
                f"correctly. The published answer is {self.answer}.")


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


# ------------------------------------------------------------------ completion


@dataclass(frozen=True)
class ModuleRecords:
    """Every record of a workspace that says how far its practitioners have got."""

    ratings: list[SelfRating]
    wheels: list[WheelRating]
    logs: list[LogEntry]
    answers: list[Activity16Answer]
    surveys: list[FeedbackSurvey]


def _written_tasks(entries: list[LogEntry]) -> dict[str, set[str]]:
    done: dict[str, set[str]] = {}
    for entry in entries:
        if entry.text.strip():
            done.setdefault(entry.practitioner, set()).add(entry.task)
    return done


def completion(records: ModuleRecords) -> list[tuple[str, str, set[str]]]:
    """(content id, label, practitioners who completed it) for every activity, in order.

    A rating counts once given; a wheel once any area is rated; a reflective task once
    it has a non-blank entry (the effective collaboration task needs 2 of its questions,
    Activity 17 all its written prompts); Activity 16 once a statement is ticked; the
    survey once any question is answered.
    """
    logs = _written_tasks(records.logs)

    def rated(moment: str) -> set[str]:
        return {r.practitioner for r in records.ratings if r.moment == moment and r.rating}

    def wheeled(moment: str) -> set[str]:
        return {w.practitioner for w in records.wheels
                if w.moment == moment and any(v is not None for v in w.ratings().values())}

    def logged(prefix: str, at_least: int) -> set[str]:
        return {p for p, tasks in logs.items()
                if sum(t == prefix or t.startswith(prefix + ".") for t in tasks) >= at_least}

    a17 = {p for p, tasks in logs.items()
           if {t for t in LOG_TASKS if t.startswith("module6.activity17.")} <= tasks}
    title = _activity_titles()
    task, collab, optional = ("module6.task_6_2", "module6.task_effective_collaboration",
                              "module6.task_optional_effective_collaboration")
    return [
        ("module6.self_rating", "Self-rating at the start", rated("start")),
        ("module6.self_rating", "Self-evaluation wheel at the start", wheeled("start")),
        (task, title[task], logged(task, 1)),
        ("module6.activity16", title["module6.activity16"],
         {a.practitioner for a in records.answers if a.chosen}),
        (collab, title[collab] + " (2 or more questions)", logged(collab, 2)),
        (optional, title[optional], logged(optional, 1)),
        ("module6.activity17", title["module6.activity17"] + " (log entries)", a17),
        ("module6.self_rating", "Self-rating at the end", rated("end")),
        ("module6.self_rating", "Self-evaluation wheel at the end", wheeled("end")),
        ("module6.feedback_survey", title["module6.feedback_survey"],
         {s.practitioner for s in records.surveys if s.is_answered()}),
    ]


def _activity_titles() -> dict[str, str]:
    content = load_content()
    return {i: content.item(i).title or content.item(i).text for i in (
        "module6.task_6_2", "module6.activity16", "module6.task_effective_collaboration",
        "module6.task_optional_effective_collaboration", "module6.activity17",
        "module6.feedback_survey")}
