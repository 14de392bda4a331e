"""Demo records of the collaborative working workbook: a training cohort at every stage.

Fourteen fictional practitioners: some have finished the module, some are part way, one
is locked out of the quiz, and one log entry has an earlier version. Each is an account
(:func:`cohort_username`: "Morag Grant" is ``morag.grant``, see
:mod:`partnerkit.demo.accounts`), and their module work is filed under that username, as
the permission check reads it; a few reflective-log entries are shared with the trainer.
Also a plan for one family and two home/school postcards. Seeding twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from partnerkit.collaborative_working import draw_questions, grade
from partnerkit.records import save_record
from partnerkit.records.module import (
    WHEEL_AREAS,
    Activity16Answer,
    Attendee,
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    QuizAttempt,
    SelfRating,
    WheelRating,
)
from partnerkit.store import Store

DEMO_COHORT: dict[str, dict[str, Any]] = {
    # name: start rating, end rating, how far they have got (1 just started … 5 done), and
    # the score of each quiz attempt made
    "Aisha Rahman": {"start": 2, "end": 4, "stage": 5, "quiz": [0.9]},
    "Ben Kowalski": {"start": 3, "end": 4, "stage": 5, "quiz": [0.6, 0.8]},
    "Carys Jones": {"start": 2, "end": 4, "stage": 5, "quiz": [0.7, 0.9]},
    "Daniel Murray": {"start": 2, "end": 5, "stage": 5, "quiz": [1.0]},
    "Eilidh MacLeod": {"start": 3, "end": 4, "stage": 5, "quiz": [0.8]},
    "Jamie Robertson": {"start": 2, "end": 5, "stage": 5, "quiz": [0.9]},
    "Kirsty Paterson": {"start": 3, "end": 5, "stage": 5, "quiz": [0.7, 0.8]},
    "Liam O'Neill": {"start": 2, "end": 4, "stage": 5, "quiz": [0.8]},
    "Morag Grant": {"start": 3, "end": 5, "stage": 5, "quiz": [1.0]},
    "Niamh Kerr": {"start": 3, "end": 5, "stage": 5, "quiz": [0.6, 0.9]},
    "Farah Said": {"start": 2, "end": None, "stage": 4, "quiz": [0.5, 0.6, 0.7]},
    "Gordon Bell": {"start": 3, "end": None, "stage": 3, "quiz": []},
    "Hannah Lee": {"start": 2, "end": None, "stage": 2, "quiz": []},
    "Iain Fraser": {"start": 1, "end": None, "stage": 1, "quiz": []},
}
"""The demo training cohort: fictional practitioners at various stages of the module."""

DEMO_SHARED: dict[str, frozenset[str]] = {
    "Aisha Rahman": frozenset({"module6.task_6_2", "module6.activity17.2",
                               "module6.activity17.3"}),
    "Morag Grant": frozenset({"module6.task_6_2"}),
    "Gordon Bell": frozenset({"module6.task_effective_collaboration.1"}),
}
"""Reflective-log entries their writers shared with the trainer (the rest are private)."""


def cohort_username(name: str) -> str:
    """The username of a cohort member: "Liam O'Neill" is ``liam.oneill``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return ".".join(re.sub(r"[^a-z0-9]", "", part) for part in plain.split())

_DEMO_TEXT = {
    "module6.task_6_2": "Phoning with good news first, not only when there is a problem. "
                        "Parents tell us the home-school link worker's texts help.",
    "module6.task_effective_collaboration.1": "Weekly pupil support meetings where the "
                                              "youth worker joins by video.",
    "module6.task_effective_collaboration.2": "We could send a short summary after each "
                                              "review to everyone involved, including the "
                                              "family.",
    "module6.task_effective_collaboration.3": "Requests go through the Pupil Support "
                                              "Team; I add notes from my class.",
    "module6.task_optional_effective_collaboration.1": "Working with the school nurse on a "
                                                       "health plan: clear roles helped.",
    "module6.activity17.2": "I now check the staged support already in place before "
                            "suggesting a referral, and I share strategies with families.",
    "module6.activity17.3": "My wheel grew most in partnership with parents and in knowing "
                            "which partner services to involve.",
}


def _demo_wheel(practitioner: str, moment: str, base: int) -> WheelRating:
    values = {area: max(1, min(5, base + (i % 3) - 1)) for i, area in enumerate(WHEEL_AREAS)}
    return WheelRating(practitioner=practitioner, moment=moment, **values)


def _demo_answers(attempt: int, score: float) -> dict[str, list[str]]:
    questions = draw_questions(attempt)
    right = round(score * len(questions))
    answers = {}
    for i, question in enumerate(questions):
        if i < right:
            answers[question.id] = sorted(question.correct_ids)
        else:
            wrong = [o.id for o in question.options if not o.correct]
            answers[question.id] = [wrong[0]]
    return answers


def _demo_records(store: Store, name: str, plan: dict[str, Any]) -> list[Any]:
    """A cohort member's module work (filed under their username) as far as they got."""
    shared = DEMO_SHARED.get(name, frozenset())
    name = cohort_username(name)
    stage = plan["stage"]
    records: list[Any] = [SelfRating(practitioner=name, moment="start", rating=plan["start"]),
                          _demo_wheel(name, "start", plan["start"])]
    tasks = ["module6.task_6_2"] if stage >= 2 else []
    if stage >= 3:
        tasks += ["module6.task_effective_collaboration.1",
                  "module6.task_effective_collaboration.2"]
        letters = (["a", "b", "c", "d", "f"] if stage >= 4 else ["a", "b", "g"])
        records.append(Activity16Answer(practitioner=name, chosen=letters))
    if stage >= 5:
        tasks += ["module6.task_effective_collaboration.3",
                  "module6.task_optional_effective_collaboration.1",
                  "module6.activity17.2", "module6.activity17.3"]
        records += [SelfRating(practitioner=name, moment="end", rating=plan["end"]),
                    _demo_wheel(name, "end", plan["end"]),
                    FeedbackSurvey(practitioner=name, overall=4, most_useful=["6_2", "6_3"],
                                   useful="The postcards and the request checklist.",
                                   improve="More time for the reflective tasks.")]
    records += [LogEntry(practitioner=name, task=t, text=_DEMO_TEXT[t], shared=t in shared)
                for t in tasks]
    now = store.clock()
    count = len(plan["quiz"])
    for number, score in enumerate(plan["quiz"], start=1):
        answers = _demo_answers(number, score)
        graded = grade(draw_questions(number), answers)
        records.append(QuizAttempt(
            practitioner=name, attempt=number, question_ids=list(answers), answers=answers,
            correct=graded.correct, score=graded.score, passed=graded.passed,
            submitted_at=now - dt.timedelta(minutes=40 * (count - number + 1))))
    return records


_DEMO_FAMILY = ParentPartnership(
    pupil="P-1001", barriers=["3"], strategies=["1", "4", "5", "6"],
    barrier_notes="Mum cares for a younger sibling and finds daytime meetings hard.",
    strategy_plan="Offer an early-evening meeting; text the agenda a week ahead.",
    agenda="1. What is going well\n2. Mornings and lateness\n3. Next steps together",
    attendees=[Attendee(name="Mr Khan", role="Pupil support teacher"),
               Attendee(name="Sam Reid", role="Youth worker, Eastfield Youth Project")],
    attendees_sent=True, support_person_welcome=True, parents_seated_first=True)

_DEMO_POSTCARDS = (
    Postcard(pupil="P-1001", id="demo-pc1", card_type="try_at_home", to="Parents/carers",
             strategy="A picture checklist for the morning routine.",
             details="Stick it by the door; tick each step together for a week.",
             sender="Mr Khan", date_sent=dt.date(2026, 9, 14)),
    Postcard(pupil="P-1004", id="demo-pc2", card_type="tried_at_home", to="Class teacher",
             strategy="Ear defenders on the walk to school.",
             details="He arrived calmer on four days out of five.", sender="Mum"),
)


def seed(store: Store, workspace: str, author: str) -> int:
    """Add the demo cohort's module answers, a family plan and postcards (idempotent)."""
    count = 0
    for name, plan in DEMO_COHORT.items():
        for record in _demo_records(store, name, plan):
            count += _save_new(store, workspace, record, cohort_username(name))
    for record in (_DEMO_FAMILY, *_DEMO_POSTCARDS):
        count += _save_new(store, workspace, record, author)
    aisha = cohort_username("Aisha Rahman")
    entry = LogEntry(practitioner=aisha, task="module6.task_6_2",
                     text=_DEMO_TEXT["module6.task_6_2"], shared=True)
    if len(store.history(workspace, entry.kind, entry.record_key())) == 1:
        edited = entry.model_copy(update={"text": entry.text + " A parents' WhatsApp "
                                          "group run by the Parent Council works too."})
        save_record(store, workspace, edited, aisha)
    return count


def _save_new(store: Store, workspace: str, record: Any, author: str) -> int:
    if store.get(workspace, record.kind, record.record_key()) is not None:
        return 0
    save_record(store, workspace, record, author)
    return 1
