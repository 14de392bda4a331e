"""The audit trail of one workspace as a DataFrame with fixed columns, and its filters.

Columns (:data:`COLUMNS`): ``id`` (the entry's place in the chain), ``at`` (an aware
UTC datetime), ``account`` (who), ``action`` (read, write, a refusal, a sign-in ...),
``allowed``, ``door`` (page, lab, render, cli; empty for entries made before doors were
recorded), ``kind`` and ``key`` (what), ``detail``. Newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from partnerkit.errors import AuditTrailError
from partnerkit.store.audit_chain import DOORS

COLUMNS = ("id", "at", "account", "action", "allowed", "door", "kind", "key", "detail")


@dataclass(frozen=True)
class Filters:
    """What to show: one pupil, one person, one door, a span of days (all optional)."""

    pupil: str | None = None
    account: str | None = None
    door: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        """Refuse a door no entry can have and a span that ends before it starts."""
        if self.door is not None and self.door not in DOORS:
            raise AuditTrailError("is not a door", value=self.door, where="door",
                                  fix=f"choose one of {', '.join(DOORS)}")
        if self.since and self.until and self.until < self.since:
            raise AuditTrailError(f"is before the start ({self.since:%d %B %Y})",
                                  value=f"{self.until:%d %B %Y}", where="to date",
                                  fix="choose an end date on or after the start date")

    def query(self) -> dict[str, Any]:
        """The keyword arguments of ``audit_entries``: blank fields dropped, whole days."""
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in asdict(self).items()}
        picked = {k: v for k, v in values.items() if v not in (None, "")}
        if "since" in picked:
            picked["since"] = _midnight(picked["since"])
        if "until" in picked:
            picked["until"] = _midnight(picked["until"] + dt.timedelta(days=1))
        return picked


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def trail_frame(store: Any, workspace: str, filters: Filters | None = None) -> pd.DataFrame:
    """The workspace's audit entries the filters pick, newest first (:data:`COLUMNS`)."""
    rows = store.audit_entries(workspace, **(filters or Filters()).query())
    frame = pd.DataFrame([{name: getattr(row, name) for name in COLUMNS} for row in rows],
                         columns=list(COLUMNS))
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    frame["allowed"] = frame["allowed"].astype(bool)
    return frame
