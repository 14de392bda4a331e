"""Seed a participant's module work directly in the store (for tests that are not about it)."""

from __future__ import annotations

from partnerkit.records.base import save_record
from partnerkit.records.module import (
    LOG_TASKS,
    WHEEL_AREAS,
    Activity16Answer,
    FeedbackSurvey,
    LogEntry,
    SelfRating,
    WheelRating,
)
from partnerkit.records.training import ActivityMark
from partnerkit.store import Store
from tests.collaborative_working.attempts import passing

TEXT = ("Regular short conversations with parents at the gate, a named contact in the "
        "school and a phone call home with good news helped most in my experience here.")
"""A log entry of substance (more than 20 words)."""


def seed_activities(store: Store, who: str, *, workspace: str = "school",
                    shared: bool = True, skip: tuple[str, ...] = ()) -> None:
    """Everything but the quiz, done by ``who`` (writing as ``who``), less ``skip``."""
    for moment in ("start", "end"):
        if f"{moment}.rating" not in skip:
            save_record(store, workspace, SelfRating(practitioner=who, moment=moment,
                                                     rating=3), who)
        if f"{moment}.wheel" not in skip:
            save_record(store, workspace, WheelRating(practitioner=who, moment=moment,
                                                      **{a: 3 for a in WHEEL_AREAS}), who)
    for film in ("module6.activity14", "module6.activity15"):
        if film not in skip:
            save_record(store, workspace, ActivityMark(practitioner=who, activity=film,
                                                       done=True), who)
    for task in LOG_TASKS:
        if not any(task.startswith(s) for s in skip):
            save_record(store, workspace, LogEntry(practitioner=who, task=task, text=TEXT,
                                                   shared=shared), who)
    if "module6.activity16" not in skip:
        save_record(store, workspace, Activity16Answer(practitioner=who, chosen=["a"]), who)
    if "module6.feedback_survey" not in skip:
        save_record(store, workspace, FeedbackSurvey(practitioner=who, overall=4), who)


def complete(store: Store, who: str) -> None:
    """The whole module done by ``who``, the quiz passed."""
    seed_activities(store, who)
    passing(store, who)
