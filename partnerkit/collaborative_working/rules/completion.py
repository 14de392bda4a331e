"""When each activity of the module is complete: one written rule per activity (pure).

The rules, in the module's order (each is also shown to the participant):

- Self-rating and self-evaluation wheel at the start: a rating given; every area of the
  wheel rated.
- Activities 14 and 15 (films): the participant ticks that they watched it.
- Reflective Task 6.2: a log entry of at least :data:`MIN_WORDS` words.
- Activity 16: at least one statement chosen.
- The effective-collaboration task: at least 2 of its questions answered in the log,
  each of at least :data:`MIN_WORDS` words.
- The optional effective-collaboration task: one of its questions answered the same
  way (optional: it never holds back a certificate).
- Activity 17: both of its written prompts answered, each of at least
  :data:`MIN_WORDS` words.
- Self-rating and wheel at the end: as at the start.
- The end-of-module quiz: an attempt passed.
- The feedback survey: any question answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from partnerkit.collaborative_working.rules.activities import ModuleRecords
from partnerkit.records.module import LOG_TASKS, QuizAttempt, WheelRating

MIN_WORDS = 20
"""Words a reflective-log entry needs to count: a sentence or two of substance."""


@dataclass(frozen=True)
class ModuleWork:
    """The records completion is judged on: :class:`ModuleRecords`, quiz attempts, marks."""

    records: ModuleRecords
    attempts: list[QuizAttempt]
    marks: set[tuple[str, str]]
    """(participant, activity) for each activity ticked as done (the films)."""


@dataclass(frozen=True)
class Activity:
    """One activity: its id, what people call it, the rule, and whether it is required."""

    id: str
    label: str
    rule: str
    check: Callable[[str, ModuleWork], bool]
    required: bool = True


def words(text: str) -> int:
    """How many words a text has."""
    return len((text or "").split())


def _entries(person: str, work: ModuleWork, prefix: str) -> int:
    return sum(1 for e in work.records.logs
               if e.practitioner == person and (e.task == prefix or e.task.startswith(prefix + "."))
               and words(e.text) >= MIN_WORDS)


def _rated(moment: str) -> Callable[[str, ModuleWork], bool]:
    return lambda p, w: any(r.practitioner == p and r.moment == moment and r.rating
                            for r in w.records.ratings)


def _wheeled(moment: str) -> Callable[[str, ModuleWork], bool]:
    def check(person: str, work: ModuleWork) -> bool:
        return any(_whole(w) for w in work.records.wheels
                   if w.practitioner == person and w.moment == moment)
    return check


def _whole(wheel: WheelRating) -> bool:
    return all(v is not None for v in wheel.ratings().values())


def _logged(prefix: str, at_least: int) -> Callable[[str, ModuleWork], bool]:
    return lambda p, w: _entries(p, w, prefix) >= at_least


def _marked(activity: str) -> Callable[[str, ModuleWork], bool]:
    return lambda p, w: (p, activity) in w.marks


A17 = tuple(t for t in LOG_TASKS if t.startswith("module6.activity17."))
N = f"at least {MIN_WORDS} words"

ACTIVITIES: tuple[Activity, ...] = (
    Activity("start.rating", "Self-rating at the start",
             "Give your rating (1 to 5) before you start.", _rated("start")),
    Activity("start.wheel", "Self-evaluation wheel at the start",
             "Rate every area of the wheel before you start.", _wheeled("start")),
    Activity("module6.activity14", "Activity 14: the CIRCLE Framework (film)",
             "Tick that you watched the film.", _marked("module6.activity14")),
    Activity("module6.activity15", "Activity 15: supporting parents (film)",
             "Tick that you watched the film.", _marked("module6.activity15")),
    Activity("module6.task_6_2", "Reflective Task 6.2",
             f"A reflective-log entry of {N}.", _logged("module6.task_6_2", 1)),
    Activity("module6.activity16", "Activity 16",
             "Choose the statements you think support effective collaboration.",
             lambda p, w: any(a.practitioner == p and a.chosen for a in w.records.answers)),
    Activity("module6.task_effective_collaboration", "Reflective task: effective collaboration",
             f"Answer at least 2 of its questions in your log, each in {N}.",
             _logged("module6.task_effective_collaboration", 2)),
    Activity("module6.task_optional_effective_collaboration",
             "Optional reflective task: effective collaboration",
             f"Optional: answer one of its questions in {N}.",
             _logged("module6.task_optional_effective_collaboration", 1), required=False),
    Activity("module6.activity17", "Activity 17: looking back",
             f"Answer both written prompts in your log, each in {N}.",
             _logged("module6.activity17", len(A17))),
    Activity("end.rating", "Self-rating at the end",
             "Give your rating again in Activity 17.", _rated("end")),
    Activity("end.wheel", "Self-evaluation wheel at the end",
             "Rate every area of the wheel again in Activity 17.", _wheeled("end")),
    Activity("module6.quiz", "End-of-module quiz", "Pass the quiz (80% or more right).",
             lambda p, w: any(a.practitioner == p and a.passed for a in w.attempts)),
    Activity("module6.feedback_survey", "Feedback survey", "Answer any of its questions.",
             lambda p, w: any(s.practitioner == p and s.is_answered()
                              for s in w.records.surveys)),
)
"""Every activity of the module in order, with its rule (:mod:`.completion` lists them)."""


def done_by(person: str, work: ModuleWork) -> dict[str, bool]:
    """Whether ``person`` completed each activity, by activity id, in order."""
    return {a.id: bool(a.check(person, work)) for a in ACTIVITIES}


def left_to_do(done: dict[str, bool]) -> list[Activity]:
    """The required activities not yet complete, in order."""
    return [a for a in ACTIVITIES if a.required and not done.get(a.id)]


def activity(activity_id: str) -> Activity:
    """One activity by id (KeyError when there is none)."""
    return {a.id: a for a in ACTIVITIES}[activity_id]


def people_of(work: ModuleWork) -> Iterable[str]:
    """Everyone with any record in ``work``."""
    r = work.records
    groups = (r.ratings, r.wheels, r.logs, r.answers, r.surveys, work.attempts)
    return {item.practitioner for group in groups for item in group}
