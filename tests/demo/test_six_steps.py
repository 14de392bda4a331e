from __future__ import annotations

from partnerkit.demo import six_steps as demo_plan
from partnerkit.records.base import load_record
from partnerkit.records.plan import DeliveryTool, PlanSettings, VisionTool
from partnerkit.six_steps import progress_table
from partnerkit.store import Store


def test_demo_plan_is_in_progress_and_idempotent(store: Store):
    first = demo_plan.seed(store, "school", "Demo")
    changes = store.count_history("school")
    second = demo_plan.seed(store, "school", "Demo")
    assert first == second and store.count_history("school") == changes
    table = progress_table(store, "school")
    statuses = set(table["status"])
    assert {"done", "in_progress", "not_started", "not_applicable"} <= statuses
    assert table["overdue"].sum() >= 2
    assert load_record(store, "school", VisionTool, "plan").vision
    assert load_record(store, "school", DeliveryTool, "plan").roles
    assert load_record(store, "school", PlanSettings, "plan").school.startswith("Glenbrae")

