"""Autosave: each valid change is saved at once, and a burst of changes is one history entry."""

from __future__ import annotations

from datetime import timedelta

from partnerkit.records.base import Record, save_record
from partnerkit.store import Store

AUTOSAVE_COALESCE = timedelta(minutes=2)
"""Saves by one author to one record within this time share one history entry."""


def autosave(store: Store, workspace: str, record: Record, author: str, *,
             replaces: str | None = None) -> None:
    """Save ``record`` as typed; saves within :data:`AUTOSAVE_COALESCE` share one entry.

    When the record's key changed since its last save (``replaces``, say a renamed
    partner), the record under the old key is deleted, so one form keeps one record.
    """
    save_record(store, workspace, record, author, coalesce=AUTOSAVE_COALESCE)
    if replaces is not None and replaces != record.record_key():
        store.delete(workspace, record.kind, replaces, author)
