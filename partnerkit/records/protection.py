"""Data-protection records about one pupil: a legal hold, the date they left, a correction.

Each is filed under the pupil's reference, so an erasure of the pupil takes them too
(a pupil under a hold is never erased; see :mod:`partnerkit.data_protection`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field

from partnerkit.records.base import Record, new_id
from partnerkit.records.mapping import PupilRef

REASON = {"widget": "textarea"}


class LegalHold(Record):
    """A legal hold on a pupil's records: while ``held``, nothing of theirs may be erased.

    Set and lifted with a reason; the record's history keeps every setting and lifting.
    """

    kind = "legal_hold"

    pupil: PupilRef = Field(title="Pupil reference")
    held: bool = Field(True, title="Hold in place")
    reason: str = Field(title="Reason", min_length=1, max_length=2000,
                        json_schema_extra=REASON)

    def record_key(self) -> str:
        """One hold per pupil (its history keeps the earlier ones)."""
        return self.pupil


class PupilLeft(Record):
    """The date a pupil left the school: retention periods run from it."""

    kind = "pupil_left"

    pupil: PupilRef = Field(title="Pupil reference")
    left_on: dt.date = Field(title="Date the pupil left")

    def record_key(self) -> str:
        """One leaving date per pupil."""
        return self.pupil


class Correction(Record):
    """A correction of one field of a pupil's record: the value before, after, and why."""

    kind = "correction"

    pupil: PupilRef = Field(title="Pupil reference")
    id: str = Field(default_factory=new_id, title="Correction id")
    record_kind: str = Field(title="Record kind", min_length=1, max_length=100)
    corrected_key: str = Field(title="Record key", min_length=1, max_length=400)
    field: str = Field(title="Field", min_length=1, max_length=100)
    before: Any = Field(None, title="Before")
    after: Any = Field(None, title="After")
    reason: str = Field(title="Reason for the correction", min_length=1, max_length=2000,
                        json_schema_extra=REASON)

    def record_key(self) -> str:
        """Corrections are filed under their pupil."""
        return f"{self.pupil}/{self.id}"
