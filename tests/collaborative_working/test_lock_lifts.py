"""The quiz lock belongs to the account, and a trainer lifts it with a reason, recorded."""

from __future__ import annotations

import json

import pytest

from partnerkit import collaborative_working as cw
from partnerkit import session
from partnerkit.access import GuardedStore
from partnerkit.errors import AccessDeniedError, PartnerkitError, QuizLockedError
from partnerkit.records.base import load_records
from partnerkit.records.module import QuizLockLift
from partnerkit.store import Store
from tests.collaborative_working.attempts import fail
from tests.collaborative_working.cohort import enrol, session_as


@pytest.fixture
def cohort(store: Store):
    return enrol(store)


@pytest.fixture
def locked_ann(store: Store, cohort) -> GuardedStore:
    """Ann's own guarded store after her three failed attempts."""
    mine = GuardedStore(store, cohort["ann"])
    for _ in range(3):
        fail(mine, "ann")
    return mine


def test_three_failures_lock_the_account_in_any_other_session_whatever_it_names(
        store, cohort, locked_ann, tmp_path):
    other_kernel = session_as(store, cohort["ann"], tmp_path, author="Someone Else")
    widget = cw.quiz_widget(other_kernel)
    assert widget.practitioner == "ann" and widget.status().locked
    assert "After 3 failed attempts the quiz is locked" in widget.message.value
    with pytest.raises(QuizLockedError):
        cw.start_attempt(other_kernel.store, "school", other_kernel.author)
    assert not cw.quiz_status(GuardedStore(store, cohort["bob"]), "school", "bob").locked


def test_a_served_page_naming_another_author_still_shows_the_accounts_lock(tmp_path, clean_env):
    folder = tmp_path / "served"
    real_clock_store = Store(data=folder)  # session.start reads the real clock too
    try:
        real_clock_store.ensure_workspace("school")
        ann = enrol(real_clock_store)["ann"]
        for _ in range(3):
            fail(GuardedStore(real_clock_store, ann), "ann")
    finally:
        real_clock_store.close()
    identities = tmp_path / "identities"
    identities.mkdir()
    (identities / "k-1.json").write_text(json.dumps({"username": "ann"}))
    for name, value in {"PARTNERKIT_IDENTITY_DIR": str(identities), "VOILA_KERNEL_ID": "k-1",
                        "PARTNERKIT_SERVED": "1", "QUERY_STRING": "author=fresh-name"}.items():
        clean_env.setenv(name, value)
    s = session.start(data_dir=str(folder), workspace="school", author=None,
                      workbook="collaborative_working")
    try:
        widget = cw.quiz_widget(s)
        assert (s.author, widget.practitioner) == ("ann", "ann") and widget.status().locked
    finally:
        s.store.close()


def test_a_trainer_lifts_a_lock_with_a_reason_recorded_under_their_name(store, cohort,
                                                                        locked_ann):
    trainer = GuardedStore(store, cohort["tom"])
    lifted = cw.lift_lock(trainer, "school", "ann", "  The page froze twice.  ",
                          author="whoever")
    assert (lifted.practitioner, lifted.lift, lifted.reason) == ("ann", 1, "The page froze twice.")
    history = store.history("school", "quiz_lock_lift", "ann/0001")
    assert [c.author for c in history] == ["tom"]
    status = cw.quiz_status(locked_ann, "school", "ann")
    assert not status.locked and status.lifted == lifted
    for _ in range(3):  # the next failures lock again
        fail(locked_ann, "ann")
    assert cw.quiz_status(locked_ann, "school", "ann").locked


def test_the_participant_cannot_lift_their_own_lock(store, cohort, locked_ann):
    with pytest.raises(AccessDeniedError) as refused:
        cw.lift_lock(locked_ann, "school", "ann", "I want another go", author="ann")
    assert "only the cohort's trainer may lift a quiz lock" in str(refused.value)
    assert "ask the cohort's trainer" in str(refused.value)
    assert load_records(store, "school", QuizLockLift) == []
    assert cw.quiz_status(locked_ann, "school", "ann").locked
    refusal = store.audit_entries(account="ann")[0]  # newest first
    assert (refusal.action, refusal.allowed, refusal.kind) == ("write-refused", False,
                                                               "quiz_lock_lift")


def test_a_lift_needs_a_reason_and_a_lock_in_force(store, cohort, locked_ann):
    trainer = GuardedStore(store, cohort["tom"])
    with pytest.raises(PartnerkitError, match="no reason was given"):
        cw.lift_lock(trainer, "school", "ann", "   ", author="tom")
    with pytest.raises(PartnerkitError, match="is not locked out of the quiz now"):
        cw.lift_lock(trainer, "school", "bob", "no reason to", author="tom")
    assert load_records(store, "school", QuizLockLift) == []


def test_after_a_lift_the_quiz_page_says_so_and_starts_the_next_attempt(store, cohort,
                                                                        locked_ann, tmp_path):
    cw.lift_lock(GuardedStore(store, cohort["tom"]), "school", "ann", "Wi-Fi dropped",
                 author="tom")
    widget = cw.quiz_widget(session_as(store, cohort["ann"], tmp_path))
    assert "The lock was lifted at" in widget.message.value
    assert "Wi-Fi dropped" in widget.message.value
    assert widget.start() is not None and widget.current.attempt == 4
