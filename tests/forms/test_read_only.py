"""A form the account may read but not change shows disabled fields and says why."""

from __future__ import annotations

import pytest

from partnerkit import access
from partnerkit.access import Account, GuardedStore, Membership
from partnerkit.forms import record_form
from partnerkit.records.module import LogEntry
from partnerkit.records.plan import PlanSettings
from partnerkit.store import Store

ANN = Account("ann", "Ann Example", (Membership("school", access.PRACTITIONER),))
LEE = Account("lee", "Lee Lead", (Membership("school", access.SCHOOL_LEAD),))


@pytest.fixture
def store(tmp_path):
    made = Store(data=tmp_path)
    made.ensure_workspace("school")
    yield made
    made.close()


def _inputs(form):
    return [editor.input for editor in form.editors.values()]


def test_a_practitioner_reads_the_plan_in_disabled_fields_with_the_reason(store):
    form = record_form(PlanSettings, store=GuardedStore(store, ANN), workspace="school",
                       author="ann", key="plan")
    assert form.read_only and all(getattr(i, "disabled", True) for i in _inputs(form))
    assert "Read only:" in form.status.value
    assert "may not change the partnership plan" in form.status.value
    assert "ask your school lead" in form.status.value


def test_a_school_lead_edits_the_plan(store):
    form = record_form(PlanSettings, store=GuardedStore(store, LEE), workspace="school",
                       author="lee", key="plan")
    assert form.read_only is None and not any(getattr(i, "disabled", False)
                                              for i in _inputs(form))


def test_a_practitioners_own_log_entry_is_editable_and_anothers_is_not(store):
    own = record_form(LogEntry, store=GuardedStore(store, ANN), workspace="school",
                      author="ann", fixed={"practitioner": "ann", "task": "module6.task_6_2"})
    assert own.read_only is None
    other = record_form(LogEntry, store=GuardedStore(store, LEE), workspace="school",
                        author="lee", fixed={"practitioner": "ann", "task": "module6.task_6_2"})
    assert other.read_only and "may not change ann's own module work" in other.read_only


def test_a_raw_store_has_no_reader_only_forms(store):
    form = record_form(PlanSettings, store=store, workspace="school", author="ann", key="plan")
    assert form.read_only is None
