"""Tests for partnerkit.demo.staged_support: the demo plan and requests."""

from __future__ import annotations

from partnerkit import staged_support
from partnerkit.demo import staged_support as demo
from partnerkit.store import Store


def test_demo_seeder_is_idempotent(store: Store):
    first = demo.seed(store, "school", "Demo")
    changes = store.count_history("school")
    assert first > 0 and demo.seed(store, "school", "Demo") == 0
    assert store.count_history("school") == changes
    assert staged_support.plan(store, "school", "P-1001")["planning"].level == "targeted"
