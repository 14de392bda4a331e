"""Small builders shared by the six steps tests."""

from __future__ import annotations

import datetime as dt

from partnerkit.records.base import save_record
from partnerkit.records.plan import ChecklistProgress, PlanSettings
from partnerkit.store import Store

ALL_ITEMS = [f"six_steps.{s}.{i}" for s, n in zip(range(1, 7), (6, 4, 3, 4, 5, 4),
                                                  strict=True) for i in range(1, n + 1)]
TODAY = dt.date(2026, 9, 1)  # the settable clock's day




def plan(store: Store, start=dt.date(2026, 8, 17), end=dt.date(2027, 6, 30)) -> None:
    save_record(store, "school", PlanSettings(school="Test High", local_authority="Testshire",
                                              start=start, end=end), "Ann")


def progress(item="six_steps.1.1", status="not_started", due=None, owner=""):
    return ChecklistProgress(item=item, status=status, due=due, owner=owner)
