"""Tests for partnerkit.demo.collaborative_working: the demo training cohort."""

from __future__ import annotations

from partnerkit.demo import collaborative_working as demo
from partnerkit.records.base import load_records
from partnerkit.records.module import LogEntry, SelfRating
from partnerkit.store import Store


def test_demo_cohort_is_at_various_stages_and_seeding_twice_changes_nothing(store: Store):
    first = demo.seed(store, "school", "Demo Practitioner")
    changes = store.count_history("school")
    assert demo.seed(store, "school", "Demo Practitioner") == 0
    assert store.count_history("school") == changes and first > 0
    practitioners = {r.practitioner for r in load_records(store, "school", SelfRating)}
    assert len(practitioners) >= 6
    ends = {r.practitioner for r in load_records(store, "school", SelfRating)
            if r.moment == "end"}
    assert 0 < len(ends) < len(practitioners)
    logs = load_records(store, "school", LogEntry)
    counts = {p: sum(e.practitioner == p for e in logs) for p in practitioners}
    assert len(set(counts.values())) >= 3  # different amounts of the log written
