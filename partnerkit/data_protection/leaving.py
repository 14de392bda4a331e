"""Pupils who left: the leaving date retention periods run from."""

from __future__ import annotations

import datetime as dt

from partnerkit.access import LEFT, GuardedStore
from partnerkit.data_protection.subject import check, known_pupil
from partnerkit.records.base import save_record, validate_record
from partnerkit.records.protection import PupilLeft


def prepare_left(guarded: GuardedStore, workspace: str, pupil: object,
                 left_on: dt.date | str | None) -> PupilLeft:
    """The leaving record, checked (who may, which pupil, a real date) but not saved."""
    check(guarded, LEFT, workspace, str(pupil))
    ref = known_pupil(guarded, workspace, pupil)
    return validate_record(PupilLeft, {"pupil": ref, "left_on": left_on})


def mark_left(guarded: GuardedStore, workspace: str, pupil: object,
              left_on: dt.date | str | None) -> PupilLeft:
    """Record the date a pupil left the school (a bad date gets the record's own message)."""
    record = prepare_left(guarded, workspace, pupil, left_on)
    save_record(guarded.store, workspace, record, guarded.account.username)
    guarded.store.audit(guarded.account.username, "left", allowed=True, workspace=workspace,
                        kind="pupil_left", key=record.pupil, detail=f"left on {record.left_on}")
    return record
