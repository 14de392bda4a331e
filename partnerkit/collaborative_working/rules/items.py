"""Item statistics of the quiz: which questions mislead (pure: attempts in, a table out).

For each question: how many attempts drew it, the proportion that got it right
(facility), and a discrimination index: the proportion right among the strongest 27%
of attempts (by score) minus the proportion right among the weakest 27%. An index near
zero or below means strong participants do no better than weak ones on that question:
it may mislead. Statistics are given only once :data:`MIN_ATTEMPTS` attempts exist.
"""

from __future__ import annotations

import math

import pandas as pd

from partnerkit.collaborative_working.rules.bank import load_bank
from partnerkit.records.module import QuizAttempt

MIN_ATTEMPTS = 20
"""Attempts needed before item statistics are shown."""
GROUP = 0.27
"""The share of attempts in the upper and the lower group."""
ITEM_COLUMNS = ("question_id", "question", "attempts", "right", "facility", "upper",
                "lower", "discrimination")
"""The columns of :func:`item_statistics`: one row per question drawn, in bank order."""


def _right(attempt: QuizAttempt, question_id: str) -> bool:
    question = load_bank().question(question_id)
    return frozenset(attempt.answers.get(question_id, ())) == question.correct_ids


def item_statistics(attempts: list[QuizAttempt]) -> pd.DataFrame:
    """Facility and discrimination of every question (empty below :data:`MIN_ATTEMPTS`)."""
    if len(attempts) < MIN_ATTEMPTS:
        return pd.DataFrame(columns=list(ITEM_COLUMNS))
    ranked = sorted(attempts, key=lambda a: (a.score, a.practitioner, a.attempt))
    size = max(1, math.ceil(len(ranked) * GROUP))
    lower, upper = ranked[:size], ranked[-size:]
    rows = []
    for question in load_bank().questions:
        drew = [a for a in attempts if question.id in a.question_ids]
        if not drew:
            continue
        rows.append({"question_id": question.id, "question": question.text,
                     "attempts": len(drew), "right": sum(_right(a, question.id) for a in drew),
                     "facility": sum(_right(a, question.id) for a in drew) / len(drew),
                     "upper": _share(upper, question.id), "lower": _share(lower, question.id)})
        rows[-1]["discrimination"] = _difference(rows[-1]["upper"], rows[-1]["lower"])
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS))


def _share(group: list[QuizAttempt], question_id: str) -> float:
    drew = [a for a in group if question_id in a.question_ids]
    return sum(_right(a, question_id) for a in drew) / len(drew) if drew else math.nan


def _difference(upper: float, lower: float) -> float:
    return math.nan if math.isnan(upper) or math.isnan(lower) else upper - lower
