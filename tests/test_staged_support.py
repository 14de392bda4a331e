"""Tests for partnerkit.staged_support: the ASPIRE planner and requests for assistance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from papermill.exceptions import PapermillExecutionError

from partnerkit import staged_support
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.records.module import (
    ASPIRE_STAGES,
    LEVELS,
    PARTNER_SERVICES,
    SUPPORT_EXAMPLES,
    RequestForAssistance,
    StagedSupportPlan,
)
from partnerkit.session import Session
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[1]
WHO = "Pat Practitioner"
BASE = {"pupil": "P-2001", "partner_service": "camhs",
        "reason": "Strategies in place for six weeks are not meeting her needs."}


@pytest.fixture
def school(store: Store) -> Store:
    save_record(store, "school", PupilProfile(pupil="P-2001", stage="S2"), WHO)
    save_record(store, "school", PupilProfile(pupil="P-2002", stage="S3"), WHO)
    return store


def session_for(store: Store, tmp_path: Path, pupil: str = "P-2001") -> Session:
    return Session(store=store, workspace="school", author=WHO, data_dir=tmp_path,
                   params={"pupil": pupil})


# ------------------------------------------------------------------ content alignment


def test_stages_levels_services_and_examples_come_from_the_content():
    content = load_content()
    assert [c.id for c in content.children("module6.aspire")] == \
        [f"module6.aspire.{s}" for s in ASPIRE_STAGES]
    assert "".join(content.item(f"module6.aspire.{s}").number for s in ASPIRE_STAGES) == \
        "ASPIRE"
    assert all(f"module6.{level}" in content for level in LEVELS)
    assert len(PARTNER_SERVICES) == len(content.children("module6.services")) + 1
    assert "module6.universal.physical_environment.1" in SUPPORT_EXAMPLES
    assert "module6.targeted.curriculum.3" in SUPPORT_EXAMPLES


# ------------------------------------------------------------------ requests for assistance


@pytest.mark.parametrize(("extra", "refused"), [
    ({}, {"parent_carer_agreement", "learner_agreement"}),
    ({"parent_carer_agreement": True}, {"learner_agreement"}),
    ({"learner_agreement": True}, {"parent_carer_agreement"}),
    ({"child_protection": True}, {"local_procedure"}),
    ({"child_protection": True, "local_procedure": "  "}, {"local_procedure"}),
])
def test_a_request_without_agreement_or_child_protection_is_refused(store: Store, extra,
                                                                   refused):
    with pytest.raises(RecordValidationError) as caught:
        staged_support.make_request(store, "school", WHO, **BASE, **extra)
    assert set(caught.value.field_errors) == refused
    message = " ".join(caught.value.field_errors.values())
    if "local_procedure" in refused:
        assert "name it" in message
    else:
        assert "unless it is a child protection concern" in message
    assert load_records(store, "school", RequestForAssistance) == []


@pytest.mark.parametrize("extra", [
    {"parent_carer_agreement": True, "learner_agreement": True},
    {"child_protection": True, "local_procedure": "Authority child protection procedures"},
    {"status": "draft"},
])
def test_a_request_with_agreement_or_a_named_child_protection_procedure_is_kept(
        store: Store, extra):
    request = staged_support.make_request(store, "school", WHO, **BASE, **extra)
    stored = load_record(store, "school", RequestForAssistance, request.record_key())
    assert stored == request


def test_a_request_marked_made_needs_a_reason_and_other_service_needs_a_name(store: Store):
    with pytest.raises(RecordValidationError) as caught:
        validate_record(RequestForAssistance, {
            "pupil": "P-2001", "partner_service": "other", "reason": "",
            "parent_carer_agreement": True, "learner_agreement": True})
    assert set(caught.value.field_errors) == {"other_service", "reason"}


def test_request_form_refuses_to_save_without_agreement_and_says_why(school: Store,
                                                                     tmp_path: Path):
    form = staged_support.request_form(session_for(school, tmp_path), "P-2001")
    form.editors["partner_service"].input.value = "social_work"
    form.editors["reason"].input.value = "Needs more than school can offer."
    form.editors["status"].input.value = "requested"
    saved = load_records(school, "school", RequestForAssistance)
    assert [r.status for r in saved] == ["draft"]  # kept, but not made
    status = form.status.value
    assert "Not saved" in status and "unless it is a child protection concern" in status
    form.editors["parent_carer_agreement"].input.value = True
    assert load_records(school, "school", RequestForAssistance)[0].status == "draft"
    form.editors["learner_agreement"].input.value = True
    saved = load_records(school, "school", RequestForAssistance)
    assert len(saved) == 1 and saved[0].status == "requested"
    assert saved[0].partner_service == "social_work"
    assert saved[0].reason == "Needs more than school can offer."


def test_a_new_request_starts_as_a_draft_so_typing_is_kept(school: Store, tmp_path: Path):
    form = staged_support.request_form(session_for(school, tmp_path), "P-2001")
    assert form.editors["status"].input.value == "draft"
    form.editors["reason"].input.value = "Notes before talking to the family."
    saved = load_records(school, "school", RequestForAssistance)
    assert saved[0].status == "draft" and saved[0].reason.startswith("Notes before")
    frame = staged_support.requests_frame(school, "school", "P-2001")
    assert list(frame.columns) == staged_support.REQUEST_COLUMNS and len(frame) == 1


def test_request_view_shows_the_procedure_and_existing_requests(school: Store,
                                                                tmp_path: Path):
    staged_support.make_request(school, "school", WHO, **BASE, status="draft")
    view = staged_support.request_view(session_for(school, tmp_path))
    intro = view.children[0].value
    assert load_content().item("module6.request_for_assistance.agreement").text in intro
    assert any("(draft)" in getattr(c, "description", "") for c in view.children)


# ------------------------------------------------------------------ the planner


def test_planner_has_one_part_per_aspire_stage_and_saves_each(school: Store, tmp_path: Path):
    s = session_for(school, tmp_path)
    view = staged_support.planner(s)
    accordion = view.children[1]
    assert len(accordion.children) == 6
    assert accordion.get_title(0).startswith("A — Assessment/identification of needs")
    form = accordion.children[3]  # implementation
    form.editors["level"].input.value = "targeted"
    form.editors["supports"].input.value = ["module6.targeted.physical_environment.1"]
    form.editors["other_supports"].input.value = "Lunchtime club\nSafe space pass"
    form.editors["implemented_by"].input.value = "Support for learning teacher"
    form.editors["review_date"].input.value = dt.date(2026, 11, 2)
    form.editors["parents_involved"].input.value = True
    entry = load_record(school, "school", StagedSupportPlan, "P-2001/implementation")
    assert entry.level == "targeted" and entry.other_supports == ["Lunchtime club",
                                                                  "Safe space pass"]
    assert entry.review_date == dt.date(2026, 11, 2) and entry.parents_involved
    frame = staged_support.plan_frame(school, "school", "P-2001")
    assert list(frame.columns) == staged_support.PLAN_COLUMNS
    assert frame["stage"].tolist() == list("ASPIRE")
    row = frame.iloc[3]
    assert row["supports"] == "Small class setting; Lunchtime club; Safe space pass"
    assert row["parents_carers_involved"] and row["level"] == "targeted"
    assert frame.iloc[0]["level"] == ""


def test_targeted_examples_at_the_universal_level_get_a_warning_not_a_refusal(
        school: Store, tmp_path: Path):
    form = staged_support.stage_form(session_for(school, tmp_path), "P-2001", "support")
    form.editors["level"].input.value = "universal"
    form.editors["supports"].input.value = ["module6.targeted.curriculum.2"]
    assert "set the level to targeted" in form.editors["supports"].message.value
    assert load_record(school, "school", StagedSupportPlan, "P-2001/support").supports == [
        "module6.targeted.curriculum.2"]


@pytest.mark.parametrize(("pupil", "error", "says"), [
    ("P-9999", NotFoundError, "use one of P-2001, P-2002"),
    ("Robert Smith", PartnerkitError, "not a name"),
    ("", PartnerkitError, "not a pupil reference"),
])
def test_planner_for_an_unknown_or_bad_pupil_says_what_to_do(school: Store, tmp_path: Path,
                                                             pupil, error, says):
    with pytest.raises(error) as caught:
        staged_support.planner(session_for(school, tmp_path, pupil))
    assert says in str(caught.value)


def test_an_unknown_stage_is_refused(school: Store, tmp_path: Path):
    with pytest.raises(NotFoundError, match="use one of assessment"):
        staged_support.stage_form(session_for(school, tmp_path), "P-2001", "launch")


def test_demo_seeder_is_idempotent(store: Store):
    first = staged_support.seed(store, "school", "Demo")
    changes = store.count_history("school")
    assert first > 0 and staged_support.seed(store, "school", "Demo") == 0
    assert store.count_history("school") == changes
    assert staged_support.plan(store, "school", "P-1001")["planning"].level == "targeted"


# ------------------------------------------------------------------ the workbook






def test_staged_support_workbook_runs_with_its_default_pupil(demo_data, run_workbook,
                                                             kernel_env):
    text = _texts(run_workbook("staged_support"))
    assert "Staged support for P-1001" in text
    assert "Visual timetables" in text and "Young Carers Network" in text
    assert "Third sector e.g. counselling service" in text


@pytest.mark.parametrize("pupil", ["P-1003", "P-1005"])
def test_staged_support_workbook_runs_for_other_demo_pupils(demo_data, run_workbook,
                                                            kernel_env, pupil):
    text = _texts(run_workbook("staged_support", pupil=pupil))
    assert f"Staged support for {pupil}" in text


@pytest.mark.parametrize(("bad", "says"), [("P-9999", "use one of P-1001"),
                                            ("Robert Smith", "not a name")])
def test_staged_support_workbook_says_what_to_do_with_a_bad_pupil(demo_data, run_workbook,
                                                                  kernel_env, bad, says):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("staged_support", pupil=bad)
    assert says in str(caught.value)
