"""Autosave: a sitting of typing is one history entry; a renamed record moves."""

from __future__ import annotations

from partnerkit.forms import record_form
from partnerkit.records import DirectoryEntry, load_records
from partnerkit.store import Store
from tests.forms.sample import form


def test_typing_keeps_one_history_entry_per_sitting(store: Store, clock):
    f = form(store)
    for text in ["P", "Pl", "Pla", "Plan"]:
        clock.advance(seconds=1)
        f.editors["title"].input.value = text
    history = store.history("school", "test_sample", "k")
    assert len(history) == 1 and history[0].after["title"] == "Plan"


def test_renaming_a_keyed_record_moves_it(store: Store):
    f = record_form(DirectoryEntry, store=store, workspace="school", author="Ann")
    f.editors["organisation"].input.value = "Youth Projet"
    f.editors["organisation"].input.value = "Youth Project"
    assert [e.organisation for e in load_records(store, "school", DirectoryEntry)] == [
        "Youth Project"]
