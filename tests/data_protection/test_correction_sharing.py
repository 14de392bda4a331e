"""Corrections keep their reason beside before and after; the sharing log and who may record it."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit.access import (
    ADMIN,
    DP_ACTIONS,
    DP_LEAD,
    PRACTITIONER,
    SCHOOL_LEAD,
    TRAINER,
    WORKBOOK_ROLES,
    Account,
    Membership,
    decide_dp,
)
from partnerkit.data_protection.correction import correct
from partnerkit.data_protection.sharing import share
from partnerkit.errors import AccessDeniedError, NotFoundError, RecordValidationError
from partnerkit.mapping_tool.report import map_summary_html
from partnerkit.records.sharing import sharing_log
from tests.data_protection.conftest import PUPIL, SECRETS, WORKSPACE, as_account


def test_a_correction_changes_the_record_and_keeps_before_after_and_why(dpo):
    note = correct(dpo, WORKSPACE, PUPIL, "pupil_profile", "stage", "S3",
                   "the stage was typed wrongly at enrolment")
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S3"
    kept = dpo.store.get(WORKSPACE, "correction", f"{PUPIL}/{note.id}").data
    assert (kept["field"], kept["before"], kept["after"], kept["reason"]) == (
        "stage", "S2", "S3", "the stage was typed wrongly at enrolment")
    last = dpo.store.history(WORKSPACE, "pupil_profile", PUPIL)[-1]
    assert (last.before["stage"], last.after["stage"], last.author) == ("S2", "S3", "dpo")
    [entry] = dpo.store.audit_entries(workspace=WORKSPACE, action="correct")
    assert entry.detail.startswith("field stage") and "typed wrongly" not in entry.detail


def test_a_correction_of_a_record_with_several_keys_names_the_key(dpo):
    correct(dpo, WORKSPACE, PUPIL, "connection", "role", "Gran", "role missing",
            key=f"{PUPIL}/c1")
    assert dpo.store.get(WORKSPACE, "connection", f"{PUPIL}/c1").data["role"] == "Gran"


@pytest.mark.parametrize(("kind", "field", "value", "error", "message"), [
    ("pupil_profile", "shoe_size", "5", RecordValidationError,
     "'shoe_size': is not a field that can be corrected; use one of: stage"),
    ("pupil_profile", "simd_quintile", 9, RecordValidationError, "9 is not one of the choices"),
    ("postcard", "to", "x", NotFoundError, "is not a record of pupil P-1001; use one of:"),
])
def test_a_bad_correction_is_refused_and_nothing_changes(dpo, kind, field, value, error, message):
    with pytest.raises(error) as caught:
        correct(dpo, WORKSPACE, PUPIL, kind, field, value, "a reason")
    assert message in str(caught.value)
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL).data["stage"] == "S2"
    assert not dpo.store.list(WORKSPACE, "correction")


def test_a_correction_needs_a_reason(dpo):
    with pytest.raises(RecordValidationError, match="Reason for the correction"):
        correct(dpo, WORKSPACE, PUPIL, "pupil_profile", "stage", "S3", "")


def test_a_teacher_may_not_correct(school):
    with pytest.raises(AccessDeniedError, match="as practitioner you may not correct"):
        correct(as_account(school, "teacher"), WORKSPACE, PUPIL, "pupil_profile", "stage",
                "S3", "why")


def test_the_sharing_log_has_requests_made_entries_and_decisions_not_to_share(school):
    teacher = as_account(school, "teacher")
    share(teacher, WORKSPACE, PUPIL, what="staged support plan", with_whom="School nursing",
          on="2026-08-25")
    said = share(teacher, WORKSPACE, PUPIL, what="attendance summary", with_whom="Youth club",
                 shared=False, reason="carer did not agree", on="2026-08-26")
    assert said.startswith("Recorded a decision not to share about pupil P-1001")
    log = sharing_log(school, WORKSPACE, PUPIL)
    assert [(r["on"], r["shared"], r["with_whom"]) for r in log] == [
        (dt.date(2026, 8, 20), True, "Social Work"),
        (dt.date(2026, 8, 25), True, "School nursing"),
        (dt.date(2026, 8, 26), False, "Youth club")]
    assert log[0]["basis"] == f"child protection exception: {SECRETS[4]}"
    assert log[1]["basis"] == "agreement of the parents/carers and the learner"
    assert log[2]["what"] == "attendance summary (not shared: carer did not agree)"


@pytest.mark.parametrize(("values", "message"), [
    ({"shared": False}, "a decision not to share, or another basis, needs its reason"),
    ({"basis": "child_protection"}, "child protection exception follows the local procedure"),
])
def test_a_sharing_without_its_reason_or_procedure_is_refused(school, values, message):
    with pytest.raises(RecordValidationError, match=message):
        share(as_account(school, "teacher"), WORKSPACE, PUPIL, what="x", with_whom="y",
              **values)


def test_the_pupils_pack_shows_the_sharing_log(school):
    share(as_account(school, "teacher"), WORKSPACE, PUPIL, what="map summary",
          with_whom="Educational psychology", on="2026-08-27")
    page = map_summary_html(as_account(school, "teacher"), WORKSPACE, PUPIL)
    assert 'id="sharing-log"' in page and "Educational psychology" in page
    assert "child protection exception" in page


def _account(role):
    return Account("someone", "Someone", (Membership(WORKSPACE, role),))


@pytest.mark.parametrize("role", [PRACTITIONER, SCHOOL_LEAD, TRAINER, DP_LEAD, ADMIN])
def test_export_erase_hold_and_retention_are_the_data_protection_leads(role):
    """Backups and the paperwork are also the admin's, who runs the server."""
    for action in ("export", "erase", "hold", "retention"):
        assert bool(decide_dp(_account(role), action, WORKSPACE)) == (role == DP_LEAD)
    for action in ("correct", "left"):
        assert bool(decide_dp(_account(role), action, WORKSPACE)) == (
            role in {DP_LEAD, SCHOOL_LEAD, ADMIN})
    for action in ("backup", "paperwork"):
        assert bool(decide_dp(_account(role), action, WORKSPACE)) == (role in {DP_LEAD, ADMIN})
    assert bool(decide_dp(_account(role), "export", "elsewhere")) is False
    assert (role in WORKBOOK_ROLES["data_protection"]) == (role in {DP_LEAD, ADMIN})
    assert set(DP_ACTIONS) == {"export", "erase", "hold", "retention", "correct", "left",
                               "backup", "paperwork"}


def test_the_dp_lead_records_sharings_but_changes_no_other_pupil_record():
    """The sharing log is theirs to write too (``partnerkit pupil share`` and the page)."""
    from partnerkit.access import decide

    lead = _account(DP_LEAD)
    assert decide(lead, "write", WORKSPACE, "sharing_entry", f"{PUPIL}/x")
    assert not decide(lead, "write", WORKSPACE, "pupil_profile", PUPIL)
    assert not decide(_account(TRAINER), "write", WORKSPACE, "sharing_entry", f"{PUPIL}/x")


def test_a_copy_of_the_whole_store_goes_only_to_who_holds_every_workspace():
    from partnerkit.access import may_take_store_copy

    assert may_take_store_copy(_account(DP_LEAD), [WORKSPACE])
    assert may_take_store_copy(_account(ADMIN), [WORKSPACE])
    refused = may_take_store_copy(_account(DP_LEAD), [WORKSPACE, "kirkton", "cohort"])
    assert not refused and "2 workspaces you are not" in refused.reason
    assert "kirkton" not in refused.reason  # other schools are not named
    assert not may_take_store_copy(_account(SCHOOL_LEAD), [WORKSPACE])
