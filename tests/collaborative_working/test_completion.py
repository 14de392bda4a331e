"""Activity completion: one written rule per activity, the participant's list, the board."""

from __future__ import annotations

import pytest

from partnerkit.access import GuardedStore
from partnerkit.collaborative_working import completion as c
from partnerkit.collaborative_working.rules.completion import ACTIVITIES, MIN_WORDS
from partnerkit.records.base import save_record
from partnerkit.records.module import LogEntry
from tests.collaborative_working.attempts import fail
from tests.collaborative_working.cohort import enrol
from tests.collaborative_working.work import complete, seed_activities


@pytest.fixture
def cohort(store):
    return enrol(store)


def test_every_activity_of_the_issue_has_a_rule_in_module_order():
    ids = [a.id for a in ACTIVITIES]
    for wanted in ("module6.activity14", "module6.activity15", "module6.task_6_2",
                   "module6.activity16", "module6.task_effective_collaboration",
                   "module6.task_optional_effective_collaboration", "module6.activity17",
                   "start.rating", "start.wheel", "end.rating", "end.wheel", "module6.quiz",
                   "module6.feedback_survey"):
        assert wanted in ids
    assert all(a.rule.endswith(".") and len(a.rule) > 10 for a in ACTIVITIES)
    assert ids.index("start.rating") < ids.index("module6.task_6_2") < ids.index("module6.quiz")


def test_a_reflective_task_needs_an_entry_of_substance(store, cohort):
    ann = GuardedStore(store, cohort["ann"])
    save_record(ann, "school", LogEntry(practitioner="ann", task="module6.task_6_2",
                                        text="Talking helps."), "ann")
    rows = c.my_completion(ann, "school", "ann").set_index("activity_id")
    assert not rows.loc["module6.task_6_2", "done"]
    assert f"at least {MIN_WORDS} words" in rows.loc["module6.task_6_2", "rule"]
    save_record(ann, "school", LogEntry(practitioner="ann", task="module6.task_6_2",
                                        text=" ".join(["word"] * MIN_WORDS)), "ann")
    rows = c.my_completion(ann, "school", "ann").set_index("activity_id")
    assert rows.loc["module6.task_6_2", "done"]


def test_what_is_left_lists_required_activities_only(store, cohort):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann", skip=("module6.task_optional_effective_collaboration",
                                      "module6.activity15"))
    left = c.what_is_left(ann, "school", "ann")
    assert left == ["Activity 15: supporting parents (film)", "End-of-module quiz"]


def test_the_board_shows_each_participant_with_a_status(store, cohort, clock):
    ann, bob = GuardedStore(store, cohort["ann"]), GuardedStore(store, cohort["bob"])
    complete(ann, "ann")
    for _ in range(3):
        fail(bob, "bob")
    board = c.cohort_board(GuardedStore(store, cohort["tom"]), "school",
                           leave_out=("tom",)).set_index("practitioner")
    assert board.loc["ann", "status"] == "complete"
    assert board.loc["ann", "module6.quiz"]
    assert board.loc["ann", "done"] == board.loc["ann", "required"]
    assert board.loc["bob", "status"] == "locked" and board.loc["bob", "attempts"] == 3
    assert board.loc["yaz", "status"] == "not started"
    assert list(c.filter_board(board.reset_index(), "locked")["practitioner"]) == ["bob"]


def test_an_idle_unfinished_participant_is_stuck(store, cohort, clock):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann", skip=("end.wheel",))
    clock.advance(minutes=c.STUCK_MINUTES + 1)
    board = c.cohort_board(GuardedStore(store, cohort["tom"]), "school").set_index("practitioner")
    assert board.loc["ann", "status"] == "stuck"


def test_the_trainer_counts_a_reflective_task_only_once_shared(store, cohort):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann", shared=False)
    board = c.cohort_board(GuardedStore(store, cohort["tom"]), "school").set_index("practitioner")
    assert not board.loc["ann", "module6.task_6_2"]
    assert c.my_completion(ann, "school", "ann").set_index("activity_id").loc[
        "module6.task_6_2", "done"]
