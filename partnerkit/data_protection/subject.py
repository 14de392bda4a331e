"""Who may act on a pupil's data, and which pupil: the reference must be known in the workspace."""

from __future__ import annotations

from partnerkit.access import DP_KINDS, PUPIL_KINDS, REAL_NAME, GuardedStore, check_dp
from partnerkit.errors import NotFoundError
from partnerkit.records.refs import pupil_ref
from partnerkit.store import erasure

PUPIL_RECORD_KINDS = frozenset(PUPIL_KINDS - {REAL_NAME}) | frozenset(DP_KINDS)
"""Every kind of record filed under a pupil's reference (the real name is kept apart)."""


def check(guarded: GuardedStore, action: str, workspace: str, pupil: str | None = None) -> None:
    """Refuse (and audit the refusal) unless the account may do ``action`` here."""
    check_dp(guarded, action, workspace, pupil)


def addresses(guarded: GuardedStore, workspace: str, pupil: str) -> list[tuple[str, str]]:
    """Every (kind, key) filed under the pupil, current, deleted or only in the history."""
    return erasure.pupil_addresses(guarded.store, workspace, pupil, PUPIL_RECORD_KINDS)


def known_pupil(guarded: GuardedStore, workspace: str, value: object,
                where: str = "pupil") -> str:
    """The checked reference of a pupil the workspace holds something about.

    A malformed reference raises :class:`~partnerkit.errors.PupilReferenceError`; one
    the workspace holds nothing about raises :class:`~partnerkit.errors.NotFoundError`
    naming a few references it does hold.
    """
    ref = pupil_ref(value, where=where)
    if addresses(guarded, workspace, ref) or guarded.store.real_name(workspace, ref):
        return ref
    known = [r.key for r in guarded.store.list(workspace, "pupil_profile")][:5]
    listed = ", ".join(known) + (", ..." if len(known) == 5 else "") if known else "none yet"
    raise NotFoundError(f"is not a pupil of workspace {workspace!r}: nothing is held about "
                        "this reference", value=ref, where=where,
                        fix=f"check the reference (pupils here include: {listed})")
