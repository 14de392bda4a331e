"""Tests for partnerkit.reflective_log.data: entries in module order, history, long entries."""

from __future__ import annotations

from partnerkit import collaborative_working, reflective_log
from partnerkit.records.base import load_record
from partnerkit.records.module import LogEntry
from partnerkit.store import Store
from tests.reflective_log.texts import WHO, long_text


def test_long_text_helper_is_50000_characters():
    assert len(long_text()) == 50_000


def test_a_50000_character_entry_is_kept_whole(store: Store, session_for):
    text = long_text()
    box = collaborative_working.log_entry_form(session_for(),
                                "module6.task_effective_collaboration.1")
    box.children[1].editors["text"].input.value = text
    stored = load_record(store, "school", LogEntry,
                         f"{WHO}/module6.task_effective_collaboration.1")
    assert stored.text == text and len(stored.text) == 50_000
    assert "✓ Saved" in box.children[1].status.value
    entries = reflective_log.log_entries(store, "school", WHO)
    assert entries[0].text == text


def test_log_lists_entries_in_module_order_with_timestamps_and_history(log_store: Store,
                                                                       clock):
    entries = reflective_log.log_entries(log_store, "school", WHO)
    assert [e.task_id for e in entries] == ["module6.task_6_2",
                                            "module6.task_effective_collaboration.2",
                                            "module6.activity17.2"]
    first = entries[0]
    assert first.text.startswith("Second thoughts")
    assert first.versions == 2
    assert first.history[0].text.startswith("First thoughts")
    assert (first.last_saved - first.first_saved).total_seconds() == 2 * 3600
    assert first.task_title == "Reflective Task 6.2: Collaborative partnerships"
    assert entries[1].prompt.startswith("2. How could the reciprocal flow")
    frame = reflective_log.log_frame(log_store, "school", WHO)
    assert list(frame.columns) == list(reflective_log.LOG_COLUMNS)
    assert frame["characters"].tolist()[1] == 50_000
    assert frame["versions"].tolist() == [2, 1, 1]
