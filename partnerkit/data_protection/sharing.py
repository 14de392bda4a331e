"""Recording a sharing, or a decision not to share, in a pupil's sharing log.

Anyone who may write the pupil's records may record it (the one permission check
decides, through the guarded store); the log itself is :mod:`partnerkit.records.sharing`.
"""

from __future__ import annotations

import datetime as dt

from partnerkit.access import GuardedStore
from partnerkit.data_protection.subject import known_pupil
from partnerkit.records.sharing import basis_text, record_sharing


def share(guarded: GuardedStore, workspace: str, pupil: object, *, what: str, with_whom: str,
          basis: str = "consent", procedure: str = "", shared: bool = True, reason: str = "",
          on: dt.date | str | None = None) -> str:
    """Record one sharing (or decision not to share) and say what was recorded."""
    ref = known_pupil(guarded, workspace, pupil)
    entry = record_sharing(guarded, workspace, guarded.account.username, pupil=ref,
                           what=what, with_whom=with_whom, basis=basis, procedure=procedure,
                           shared=shared, reason=reason, on=on or guarded.store.clock().date())
    if not entry.shared:
        return (f"Recorded a decision not to share about pupil {ref}: {entry.what}, with "
                f"{entry.with_whom}, on {entry.on} (reason: {entry.reason}).")
    return (f"Recorded a sharing about pupil {ref}: {entry.what}, with {entry.with_whom} "
            f"({basis_text(entry.basis, entry.procedure)}) on {entry.on}.")
