"""What the cohort's trainer does: review options, lifting a lock or one more attempt.

Every trainer action names a participant; one outside the trainer's own cohort (not a
member of the workspace) is refused and the refusal audited
(:meth:`~partnerkit.access.GuardedStore.check_participant`). A lift or an extra attempt
needs a reason, recorded with who gave it (the store's history).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from partnerkit.collaborative_working.data import lift_lock
from partnerkit.collaborative_working.rules.items import item_statistics
from partnerkit.collaborative_working.rules.review import Review, review_for
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.module import QuizAttempt, QuizLockLift, practitioner_name
from partnerkit.records.training import CohortSettings
from partnerkit.store import Store

GRANTS = {"lift": "Lift the lock", "one_attempt": "Allow one more attempt"}
"""What a trainer can allow a participant locked out of the quiz."""


def cohort_settings(store: Store, workspace: str) -> CohortSettings:
    """The trainer's choices for the cohort (the defaults until the trainer saves some)."""
    return load_record(store, workspace, CohortSettings, "module6") or CohortSettings()


def save_settings(store: Store, workspace: str, values: dict[str, Any],
                  author: str) -> CohortSettings:
    """Save the trainer's choices (checked; only the trainer or an admin may).

    Raises:
        RecordValidationError: a value is not allowed (the message names the field).
        AccessDeniedError: the account may not change the cohort's settings.
    """
    record = validate_record(CohortSettings, {**cohort_settings(store, workspace)
                                              .model_dump(), **values})
    save_record(store, workspace, record, author)
    return record


def review_of(store: Store, workspace: str, passed: bool) -> Review:
    """What a participant sees after an attempt, by the cohort's settings."""
    return review_for(cohort_settings(store, workspace), passed)


def allow(store: Store, workspace: str, participant: str, reason: str, author: str,
          grant: str = "lift") -> QuizLockLift:
    """Lift a participant's quiz lock, or allow them one more attempt, with the reason.

    Raises:
        AccessDeniedError: the participant is not in the trainer's cohort, or the
            account may not lift locks.
        RecordValidationError: no reason was given.
        PartnerkitError: the participant is not locked out, or ``grant`` is unknown.
    """
    participant = practitioner_name(participant)
    check = getattr(store, "check_participant", None)
    if callable(check):
        check(workspace, participant, "lifting a quiz lock")
    if grant not in GRANTS:
        raise PartnerkitError("is not something a trainer can allow", value=grant,
                              where="quiz lock", fix=f"use one of {', '.join(GRANTS)}")
    return lift_lock(store, workspace, participant, reason, author, grant)


def item_table(store: Store, workspace: str) -> tuple[int, pd.DataFrame]:
    """(attempts in the cohort, item statistics; empty below 20 attempts)."""
    made = load_records(store, workspace, QuizAttempt)
    return len(made), item_statistics(made)
