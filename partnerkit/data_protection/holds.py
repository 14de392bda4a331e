"""Legal holds: while one is in place, a pupil's records may be neither erased nor retired.

A hold is set and lifted with a reason; the hold record's history keeps each setting and
lifting, who did it and when. Setting and lifting are audited.
"""

from __future__ import annotations

from partnerkit.access import HOLD, GuardedStore
from partnerkit.data_protection.subject import check, known_pupil
from partnerkit.errors import LegalHoldError
from partnerkit.records.base import load_record, save_record, validate_record
from partnerkit.records.protection import LegalHold


def active_hold(guarded: GuardedStore, workspace: str, pupil: str) -> LegalHold | None:
    """The hold on the pupil's records, if one is in place."""
    hold = load_record(guarded.store, workspace, LegalHold, pupil)
    return hold if hold is not None and hold.held else None


def set_hold(guarded: GuardedStore, workspace: str, pupil: object, reason: str,
             *, held: bool = True) -> LegalHold:
    """Set (or, with ``held=False``, lift) the legal hold on a pupil's records, with a reason."""
    check(guarded, HOLD, workspace, str(pupil))
    ref = known_pupil(guarded, workspace, pupil)
    hold = validate_record(LegalHold, {"pupil": ref, "held": held, "reason": reason})
    if not held and active_hold(guarded, workspace, ref) is None:
        raise LegalHoldError("has no legal hold to lift", value=ref, where="pupil",
                             fix="check the reference; 'partnerkit pupil hold' sets one")
    save_record(guarded.store, workspace, hold, guarded.account.username)
    guarded.store.audit(guarded.account.username, "hold-set" if held else "hold-lifted",
                        allowed=True, workspace=workspace, kind="legal_hold", key=ref,
                        detail="the reason is kept with the hold")
    return hold


def refuse_if_held(guarded: GuardedStore, workspace: str, pupil: str, doing: str) -> None:
    """Raise :class:`LegalHoldError` when the pupil's records are under a legal hold."""
    hold = active_hold(guarded, workspace, pupil)
    if hold is not None:
        raise LegalHoldError(f"is under a legal hold ({hold.reason}), so its records may not "
                             f"be {doing}", value=pupil, where="pupil",
                             fix=f"lift the hold first, with a reason: partnerkit pupil "
                                 f"release {pupil} --reason \"...\"")
