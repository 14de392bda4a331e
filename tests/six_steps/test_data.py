from __future__ import annotations

import datetime as dt

from partnerkit.records.base import save_record
from partnerkit.records.plan import DeliveryTool
from partnerkit.six_steps import data
from partnerkit.store import Store
from tests.six_steps.helpers import ALL_ITEMS, plan, progress


def test_progress_table_has_fixed_columns_and_every_item(store: Store):
    plan(store)
    save_record(store, "school", progress("six_steps.2.2", "in_progress",
                                          dt.date(2026, 8, 20), "Sam"), "Ann")
    table = data.progress_table(store, "school")
    assert list(table.columns) == list(data.PROGRESS_COLUMNS)
    assert list(table["item"]) == ALL_ITEMS
    row = table.set_index("item").loc["six_steps.2.2"]
    assert (row["status_label"], row["owner"], bool(row["overdue"])) == ("In progress", "Sam",
                                                                         True)
    assert row["updated_by"] == "Ann"
    assert table.set_index("item").loc["six_steps.1.1", "status"] == "not_started"
    assert list(data.progress_table(store, "school", step=6)["number"]) == [
        "6.1", "6.2", "6.3", "6.4"]


def test_progress_summary_per_step_and_whole_plan(store: Store):
    for item in ("six_steps.1.1", "six_steps.1.2", "six_steps.5.1"):
        save_record(store, "school", progress(item, "done"), "Ann")
    summary = data.progress_summary(store, "school")
    assert list(summary.columns) == list(data.SUMMARY_COLUMNS)
    assert list(summary["step"]) == [1, 2, 3, 4, 5, 6, "all"]
    assert summary.iloc[0]["percent"] == 33 and summary.iloc[4]["percent"] == 20
    assert summary.iloc[-1][["items", "done", "percent"]].tolist() == [26, 3, 11]


def test_plan_progress_of_a_step_and_of_the_whole_plan(store: Store):
    save_record(store, "school", progress("six_steps.6.4", "done"), "Ann")
    assert data.plan_progress(store, "school", 6).percent == 25
    assert data.plan_progress(store, "school").done == 1


def test_item_history_keeps_every_version_oldest_first(store: Store, clock):
    save_record(store, "school", progress("six_steps.1.4", owner="Ann Duffy"), "Ann")
    clock.advance(minutes=1)
    save_record(store, "school", progress("six_steps.1.4", "in_progress"), "Bob")
    history = data.item_history(store, "school", "six_steps.1.4")
    assert list(history.columns) == list(data.HISTORY_COLUMNS)
    assert list(history["author"]) == ["Ann", "Bob"]
    assert list(history["status"]) == ["not_started", "in_progress"]


def test_a_step_tool_is_loaded_by_its_step(store: Store):
    assert data.load_tool(store, "school", 5) is None
    save_record(store, "school", DeliveryTool(pathways="Exit after a term"), "Ann")
    assert data.load_tool(store, "school", "5").pathways == "Exit after a term"
    assert data.today(store) == dt.date(2026, 9, 1)
