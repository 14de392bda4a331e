"""A save the permission check refuses, from a widget message, is said plainly in the form.

A forged widget message (an update sent over the websocket to a form the account may
not change) reaches the form as any change does. The guarded store refuses the save: the
form shows the plain AccessDeniedError message, nothing is saved, the refusal is audited,
and no exception escapes the callback (none would reach the page as a traceback).
"""

from __future__ import annotations

import logging

import pytest

from partnerkit import access
from partnerkit.access import Account, GuardedStore, Membership
from partnerkit.errors import AccessDeniedError
from partnerkit.forms import record_form
from partnerkit.records import PupilProfile
from partnerkit.records.plan import PrincipleRating
from partnerkit.store import Store

TOM = Account("tom", "Tom Trainer", (Membership("school", access.TRAINER),))
YAZ = Account("yaz", "Yaz Youth", (Membership("school", access.PRACTITIONER,
                                              "Eastfield Youth Project"),))
ANN = Account("ann", "Ann Example", (Membership("school", access.PRACTITIONER),))


def _forged_update(widget, **state) -> None:
    """Deliver a widget message as the kernel receives it from the browser's websocket."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state,
                                             "buffer_paths": []}}, "buffers": []})


@pytest.fixture
def quiet_widgets(caplog):
    caplog.set_level(logging.WARNING)
    yield caplog
    escaped = [r for r in caplog.records if "Exception in widget method" in r.getMessage()]
    assert escaped == [], "an exception escaped a widget callback"


def test_a_forged_change_to_a_pupil_form_a_trainer_may_only_read_is_refused_in_the_form(
        store: Store, quiet_widgets):
    form = record_form(PupilProfile, store=GuardedStore(store, TOM), workspace="school",
                       author="tom", fixed={"pupil": "P-1001"}, key="P-1001")
    _forged_update(form.editors["siblings"].input, value="Two older brothers")
    status = form.status.value
    assert "✗ Not saved" in status and "Traceback" not in status
    assert "as trainer you may not change pupils&#39; records" in status
    assert "ask your school lead or an admin to give you access" in status
    assert store.get("school", "pupil_profile", "P-1001") is None
    assert ("write-refused", False, "P-1001") in [
        (e.action, e.allowed, e.key) for e in store.audit_entries(account="tom")]


def test_a_forged_school_rating_from_a_partner_is_refused_in_the_form(store: Store,
                                                                      quiet_widgets):
    principle = "principles.understanding_barriers.1"
    form = record_form(PrincipleRating, store=GuardedStore(store, YAZ), workspace="school",
                       author="yaz", fixed={"principle": principle, "rater": "school"},
                       key=f"school/{principle}")
    _forged_update(form.editors["rating"].input, index=3)
    assert "you may rate the principles only as Eastfield Youth Project" in form.status.value
    assert store.get("school", "principle_rating", f"school/{principle}") is None


def test_a_form_on_someone_elses_module_work_is_refused_before_it_is_built(store: Store):
    store.save("school", "log_entry", "bob/module6.task_6_2",
               {"practitioner": "bob", "task": "module6.task_6_2", "text": "mine"}, "bob")
    from partnerkit.records.module import LogEntry

    with pytest.raises(AccessDeniedError, match="you may not see bob's own module work"):
        record_form(LogEntry, store=GuardedStore(store, ANN), workspace="school",
                    author="ann", key="bob/module6.task_6_2",
                    fixed={"practitioner": "bob", "task": "module6.task_6_2"})
