"""The trainer's cohort: each participant by name, progress and quiz results, lifting a lock.

Everything is read through the trainer's guarded store, so the page shows only what a
trainer may read; anyone else sees one sentence and no names.
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from partnerkit import collaborative_working as cw
from partnerkit.access import GuardedStore
from partnerkit.records.base import load_records, save_record
from partnerkit.records.module import LogEntry, QuizLockLift, SelfRating
from partnerkit.store import Store
from tests.collaborative_working.attempts import fail, passing
from tests.collaborative_working.cohort import enrol, session_as

PRIVATE = "Private thoughts about a colleague"
SHARED = "What I will try with families next term"


def _log_form(session, task: str):
    """The saved form of one reflective-log task (the entry's text and share box)."""
    return cw.log_entry_form(session, task).children[1]


@pytest.fixture
def cohort(store: Store, tmp_path):
    """Ann: a start rating, a private and a shared log entry, locked out; Bob passed."""
    people = enrol(store)
    ann = session_as(store, people["ann"], tmp_path)
    save_record(ann.store, "school", SelfRating(practitioner="ann", moment="start", rating=2),
                "ann")
    _log_form(ann, "module6.task_6_2").editors["text"].input.value = PRIVATE
    shared = _log_form(ann, "module6.task_optional_effective_collaboration.1")
    shared.editors["text"].input.value = SHARED
    shared.editors["shared"].input.value = True
    for _ in range(3):
        fail(ann.store, "ann")
    passing(GuardedStore(store, people["bob"]), "bob")
    return people


def test_the_log_form_shares_an_entry_with_the_trainer_only_when_ticked(store, cohort,
                                                                        tmp_path):
    ann = session_as(store, cohort["ann"], tmp_path)
    form = _log_form(ann, "module6.task_6_2")
    box = form.editors["shared"].input
    assert isinstance(box, widgets.Checkbox) and box.description == (
        "Share this entry with the trainer") and box.value is False
    trainer = GuardedStore(store, cohort["tom"])
    assert [e.text for e in load_records(trainer, "school", LogEntry)] == [SHARED]
    box.value = True
    assert "Saved at" in form.status.value
    assert sorted(e.text for e in load_records(trainer, "school", LogEntry)) == sorted(
        [PRIVATE, SHARED])
    box.value = False
    assert [e.text for e in load_records(trainer, "school", LogEntry)] == [SHARED]


def test_the_trainer_sees_each_participant_by_name_with_progress_not_private_log_text(
        store, cohort, tmp_path):
    panel = cw.your_cohort(session_as(store, cohort["tom"], tmp_path)).children[0]
    html = panel.table.value
    assert "Ann Example" in html and "Bob Sample" in html and "Tom Trainer" not in html
    assert "<td dir=\"auto\">ann</td>" not in html  # names, not usernames
    assert PRIVATE not in html and SHARED not in html
    progress = cw.cohort_progress(GuardedStore(store, cohort["tom"]), "school",
                                  leave_out=("tom",)).set_index("practitioner")
    ann = progress.loc["ann"]
    # the start rating, and the optional task (shared); the private task 6.2 does not count
    assert (ann["completed"], ann["shared_entries"], ann["attempts"]) == (2, 1, 3)
    assert ann["locked_until"] is not None and not ann["passed"]
    assert progress.loc["bob", "passed"] and progress.loc["bob", "best_score_percent"] == 100
    assert "Locked until" in html and "Passed" in html and "100%" in html


def test_the_trainer_lifts_a_lock_from_the_page_with_a_reason(store, cohort, tmp_path):
    panel = cw.your_cohort(session_as(store, cohort["tom"], tmp_path)).children[0]
    assert panel.who.options == (("Ann Example", "ann"),)
    panel.who.value = "ann"
    assert panel.lift() is None and "no reason was given" in panel.message.value
    assert load_records(store, "school", QuizLockLift) == []
    panel.reason.value = "Her browser crashed during attempt 3."
    panel.button.click()
    assert "The quiz lock of Ann Example is lifted" in panel.message.value
    assert panel.reason.value == "" and panel.who.options == ()
    assert "Locked until" not in panel.table.value
    assert [c.author for c in store.history("school", "quiz_lock_lift", "ann/0001")] == ["tom"]
    assert not cw.quiz_status(GuardedStore(store, cohort["ann"]), "school", "ann").locked


@pytest.mark.parametrize("who", ["ann", "ada"])
def test_anyone_but_the_trainer_sees_one_sentence_and_no_names(store, cohort, tmp_path, who):
    shown = cw.your_cohort(session_as(store, cohort[who], tmp_path))
    assert isinstance(shown, widgets.HTML)
    assert "This part is for the cohort&#39;s trainer" in shown.value
    assert "Ann Example" not in shown.value and "Bob Sample" not in shown.value


def test_without_accounts_the_cohort_falls_back_to_the_key(store, session_for):
    passing(store, "Pat Practitioner")
    panel = cw.your_cohort(session_for("Terry Trainer")).children[0]
    assert "Pat Practitioner" in panel.table.value and "Terry Trainer" not in panel.table.value
