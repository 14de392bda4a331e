"""Sharing reflective-log entries with the trainer, and people shown by their full name.

The trainer reads only what a trainer may read through the guarded store: the entries
their writers shared, and of those only the versions saved while shared.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from partnerkit import reflective_log
from partnerkit.access import GuardedStore
from partnerkit.records.base import save_record
from partnerkit.records.module import LogEntry
from partnerkit.store import Store
from tests.collaborative_working.cohort import enrol, session_as

DRAFT = "First private draft about a difficult meeting"
FINAL = "What I learned from the meeting with the family"
NEVER = "Notes I keep to myself"
TASK = "module6.task_6_2"


@pytest.fixture
def cohort(store: Store, clock):
    """Ann drafts an entry privately, then shares its final version; another stays private."""
    people = enrol(store)
    ann = GuardedStore(store, people["ann"])
    save_record(ann, "school", LogEntry(practitioner="ann", task=TASK, text=DRAFT), "ann")
    clock.advance(hours=1)
    save_record(ann, "school", LogEntry(practitioner="ann", task=TASK, text=FINAL,
                                        shared=True), "ann")
    save_record(ann, "school", LogEntry(practitioner="ann", task="module6.activity17.2",
                                        text=NEVER), "ann")
    return people


def test_the_trainer_reads_only_shared_entries_and_their_shared_versions(store, cohort):
    trainer = GuardedStore(store, cohort["tom"])
    page = reflective_log.log_html(trainer, "school", "ann", show_history=True)
    assert FINAL in page and DRAFT not in page and NEVER not in page
    assert [c.after["text"] for c in trainer.history("school", "log_entry", f"ann/{TASK}")] \
        == [FINAL]
    assert [i.text for i in reflective_log.log_entries(trainer, "school", "ann")] == [FINAL]


def test_the_writer_reads_every_entry_and_version_and_people_by_full_name(store, cohort):
    page = reflective_log.log_html(GuardedStore(store, cohort["ann"]), "school", "ann",
                                   show_history=True)
    assert FINAL in page and DRAFT in page and NEVER in page
    assert "<title>Reflective log: Ann Example" in page
    assert "Practitioner: <bdi>Ann Example</bdi>" in page
    assert "by <bdi>Ann Example</bdi>" in page and "<bdi>ann</bdi>" not in page


def test_shared_only_leaves_out_what_was_not_shared_whoever_reads(store, cohort):
    page = reflective_log.log_html(store, "school", "ann", show_history=True,
                                   shared_only=True)
    assert FINAL in page and DRAFT not in page and NEVER not in page
    assert "Only the entries shared with the trainer are shown." in page
    assert reflective_log.sharing(store, "school") == {"ann": 1}


def test_the_trainer_picks_a_participant_and_reads_what_they_shared(store, cohort, tmp_path):
    shown = reflective_log.shared_with_you(session_as(store, cohort["tom"], tmp_path))
    assert shown.who.options == (("Ann Example (1 shared)", "ann"),)
    assert shown.entries.children == ()
    shown.who.value = "ann"
    frame = shown.entries.children[0].value
    assert "srcdoc=" in frame and FINAL in frame and DRAFT not in frame
    shown.who.value = None
    assert shown.entries.children == ()


def test_with_nothing_shared_the_trainer_is_told_so(store, tmp_path):
    people = enrol(store)
    shown = reflective_log.shared_with_you(session_as(store, people["tom"], tmp_path))
    assert "No participant has shared" in shown.children[0].value


@pytest.mark.parametrize("who", ["ann", "ada"])
def test_anyone_but_the_trainer_sees_one_sentence(store, cohort, tmp_path, who):
    shown = reflective_log.shared_with_you(session_as(store, cohort[who], tmp_path))
    assert isinstance(shown, widgets.HTML) and "This part is for the cohort" in shown.value
    assert FINAL not in shown.value
