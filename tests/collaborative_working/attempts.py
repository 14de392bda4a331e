"""Helpers for the quiz tests: answers with a given number right, failed and passed attempts."""

from __future__ import annotations

from partnerkit import collaborative_working as cw
from partnerkit.records.module import QuizAttempt
from partnerkit.store import Store

WHO = "Pat Practitioner"
"""The practitioner most tests act as."""


def answers_with(attempt: int, right: int) -> dict[str, list[str]]:
    """Answers to an attempt's questions with exactly ``right`` of them right."""
    answers = {}
    for i, question in enumerate(cw.draw_questions(attempt)):
        if i < right:
            answers[question.id] = sorted(question.correct_ids)
        else:
            answers[question.id] = [next(o.id for o in question.options if not o.correct)]
    return answers


def fail(store: Store, who: str = WHO) -> QuizAttempt:
    """Start and submit the next attempt with 2 of 10 right."""
    attempt = cw.start_attempt(store, "school", who)
    return cw.submit_attempt(store, "school", who, attempt.attempt,
                             answers_with(attempt.attempt, 2))


def passing(store: Store, who: str = WHO) -> QuizAttempt:
    """Start and submit the next attempt with every answer right."""
    attempt = cw.start_attempt(store, "school", who)
    return cw.submit_attempt(store, "school", who, attempt.attempt,
                             answers_with(attempt.attempt, 10))
