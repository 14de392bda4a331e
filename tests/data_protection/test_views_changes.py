"""The page's corrections, leaving dates, sharing and retention erase, as a person uses them.

Each form is driven as the page would be: values typed, buttons clicked; what the store
keeps and what the page says are checked, and each bad input gets its one message.
"""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit.data_protection import views_changes, views_retention
from partnerkit.data_protection.holds import set_hold
from partnerkit.data_protection.leaving import mark_left
from partnerkit.records.sharing import sharing_log
from tests.data_protection.conftest import OTHER, PUPIL, WORKSPACE


def _profile_stage(form):
    form.record.value = ("pupil_profile", PUPIL)
    form.field.value = "stage"


def test_a_correction_is_shown_before_and_after_then_saved_with_its_reason(page, school):
    form = views_changes.correction_form(page())
    _profile_stage(form)
    assert "Now: S2" in form.now.value
    form.value.value, form.reason.value = "S3", "the stage was typed wrongly"
    form.step.check.click()
    assert "before: S2" in form.step.plan.value and "after:  S3" in form.step.plan.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S2"  # not yet
    form.step.yes.click()
    assert "Corrected Stage" in form.step.out.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S3"
    [note] = school.list(WORKSPACE, "correction")
    assert (note.data["before"], note.data["after"], note.data["reason"]) == (
        "S2", "S3", "the stage was typed wrongly")
    audit = school.audit_entries(account="dpo", action="correct")
    assert audit and audit[0].key == PUPIL


@pytest.mark.parametrize(("value", "reason", "said"), [
    ("S" * 25, "wrong stage", "Stage"),
    ("S2", "no change", "is the value the record holds already"),
    ("S3", "", "Reason for the correction"),
])
def test_a_bad_correction_gets_its_message_and_saves_nothing(page, school, value, reason, said):
    form = views_changes.correction_form(page())
    _profile_stage(form)
    form.value.value, form.reason.value = value, reason
    form.step.check.click()
    assert said in form.step.out.value and "pk-status-bad" in form.step.out.value
    assert form.step.choice.layout.display == "none"
    assert school.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S2"


def test_a_correction_changed_after_the_check_is_not_made(page, school):
    form = views_changes.correction_form(page())
    _profile_stage(form)
    form.value.value, form.reason.value = "S3", "typed wrongly"
    form.step.check.click()
    form.value.value = "S4"
    form.step.yes.click()
    assert "has changed since you checked it" in form.step.out.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S2"


def test_a_teacher_may_not_correct_and_is_told_so(page):
    form = views_changes.correction_form(page("teacher"))
    assert "as practitioner you may not correct a pupil" in form.message.value
    assert form.record.options == ()


def test_the_leaving_date_is_shown_with_when_records_fall_due_then_recorded(page, school):
    form = views_changes.left_form(page())
    day, step = form.children
    step.check.click()
    assert "Date the pupil left" in step.out.value  # no date yet
    day.value = dt.date(2026, 6, 26)
    step.check.click()
    assert "from 2031-06-26" in step.plan.value
    step.cancel.click()
    assert school.get(WORKSPACE, "pupil_left", PUPIL) is None
    step.check.click()
    step.yes.click()
    assert "left on 2026-06-26" in step.out.value
    assert school.get(WORKSPACE, "pupil_left", PUPIL).data["left_on"] == "2026-06-26"


def test_the_dp_lead_records_a_sharing_and_a_decision_not_to_share(page, school):
    form = views_changes.share_form(page())
    shared, what, whom, basis, procedure, reason, on, button, out = form.children
    what.value, whom.value = "staged support plan", "School nursing"
    basis.value = "child_protection"
    button.click()
    assert "name it" in out.value  # the child protection exception names its procedure
    procedure.value = "Highland CP procedure 4.2"
    button.click()
    assert "Recorded a sharing about pupil P-1001" in out.value
    shared.value, what.value, whom.value = False, "attendance summary", "Youth club"
    button.click()
    assert "say why" in out.value
    reason.value = "the family did not agree"
    button.click()
    assert "decision not to share" in out.value
    log = sharing_log(school, WORKSPACE, PUPIL)
    assert {row["with_whom"] for row in log} >= {"School nursing", "Youth club"}
    assert any("Highland CP procedure 4.2" in row["basis"] for row in log)
    assert school.audit_entries(account="dpo", action="write")  # through the one check


def test_erasing_what_is_due_shows_the_dry_run_skips_held_pupils_then_erases(page, school):
    session = page()
    mark_left(session.store, WORKSPACE, PUPIL, "2010-06-26")
    mark_left(session.store, WORKSPACE, OTHER, "2010-06-26")
    set_hold(session.store, WORKSPACE, OTHER, "tribunal pending")
    form = views_retention.erase_due_form(session)
    form.check.click()
    assert "P-1002: skipped, under a legal hold" in form.plan.value
    assert "P-1001" in form.plan.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL) is not None  # a dry run only
    form.yes.click()
    assert "Erased" in form.out.value and "pk-status-ok" in form.out.value
    assert school.get(WORKSPACE, "pupil_profile", PUPIL) is None
    assert school.get(WORKSPACE, "pupil_profile", OTHER) is not None  # held: kept
    form.check.click()
    assert "Nothing is due for erasure that is not under a legal hold" in form.plan.value
    assert form.choice.layout.display == "none"


def test_a_teacher_may_not_erase_what_is_due(page):
    form = views_retention.erase_due_form(page("teacher"))
    form.check.click()
    assert "may not apply the retention schedule" in form.out.value
