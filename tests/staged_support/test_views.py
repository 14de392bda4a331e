"""Tests for partnerkit.staged_support.views: the ASPIRE planner and the request forms."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit import staged_support
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PupilReferenceError
from partnerkit.records.base import load_record, load_records, save_record
from partnerkit.records.module import RequestForAssistance, StagedSupportPlan
from partnerkit.store import Store
from tests.staged_support.conftest import WHO

BASE = {"pupil": "P-2001", "partner_service": "camhs",
        "reason": "Strategies in place for six weeks are not meeting her needs."}


# ------------------------------------------------------------------ requests for assistance


def test_request_form_refuses_to_save_without_agreement_and_says_why(school: Store,
                                                                     session_for):
    form = staged_support.request_form(session_for(pupil="P-2001"), "P-2001")
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


def test_a_new_request_starts_as_a_draft_so_typing_is_kept(school: Store, session_for):
    form = staged_support.request_form(session_for(pupil="P-2001"), "P-2001")
    assert form.editors["status"].input.value == "draft"
    form.editors["reason"].input.value = "Notes before talking to the family."
    saved = load_records(school, "school", RequestForAssistance)
    assert saved[0].status == "draft" and saved[0].reason.startswith("Notes before")
    frame = staged_support.requests_frame(school, "school", "P-2001")
    assert list(frame.columns) == list(staged_support.REQUEST_COLUMNS) and len(frame) == 1


def test_request_view_shows_the_procedure_and_existing_requests(school: Store,
                                                                session_for):
    staged_support.make_request(school, "school", WHO, **BASE, status="draft")
    view = staged_support.request_view(session_for(pupil="P-2001"))
    intro = view.children[0].value
    assert load_content().item("module6.request_for_assistance.agreement").text in intro
    assert any("(draft)" in getattr(c, "description", "") for c in view.children)


# ------------------------------------------------------------------ the planner


def test_planner_has_one_part_per_aspire_stage_and_saves_each(school: Store, session_for):
    s = session_for(pupil="P-2001")
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
    assert list(frame.columns) == list(staged_support.PLAN_COLUMNS)
    assert frame["stage"].tolist() == list("ASPIRE")
    row = frame.iloc[3]
    assert row["supports"] == "Small class setting; Lunchtime club; Safe space pass"
    assert row["parents_carers_involved"] and row["level"] == "targeted"
    assert frame.iloc[0]["level"] == ""


def test_a_served_planner_builds_a_stage_only_when_it_is_opened(school: Store, session_for):
    from ipywidgets.widgets.widget import _instances

    save_record(school, "school", StagedSupportPlan(
        pupil="P-2001", stage="review", implemented_by="Pupil support teacher"), WHO)
    s = session_for(pupil="P-2001")
    s.served = True
    before = set(_instances)
    view = staged_support.planner(s)
    made = len(set(_instances) - before)
    stages = view.children[1]
    assert stages.built == {} and len(stages.titles) == 6
    assert made < 40, f"{made} widget models for six closed stages (they were 306)"
    assert stages.get_title(4).endswith("✓ started")
    stages.selected_index = 4                      # the person opens "review"
    form = stages.built[4]
    assert form.editors["implemented_by"].input.value == "Pupil support teacher"
    form.editors["implemented_by"].input.value = "Depute head"
    assert load_record(school, "school", StagedSupportPlan,
                       "P-2001/review").implemented_by == "Depute head"


def test_targeted_examples_at_the_universal_level_get_a_warning_not_a_refusal(
        school: Store, session_for):
    form = staged_support.stage_form(session_for(pupil="P-2001"), "P-2001", "support")
    form.editors["level"].input.value = "universal"
    form.editors["supports"].input.value = ["module6.targeted.curriculum.2"]
    assert "set the level to targeted" in form.editors["supports"].message.value
    assert load_record(school, "school", StagedSupportPlan, "P-2001/support").supports == [
        "module6.targeted.curriculum.2"]


@pytest.mark.parametrize(("pupil", "error", "says"), [
    ("P-9999", NotFoundError, "use one of P-2001, P-2002"),
    ("Robert Smith", PupilReferenceError, "not a name"),
    ("", PupilReferenceError, "not a pupil reference"),
])
def test_planner_for_an_unknown_or_bad_pupil_says_what_to_do(school: Store, session_for,
                                                             pupil, error, says):
    with pytest.raises(error) as caught:
        staged_support.planner(session_for(pupil=pupil))
    assert says in str(caught.value)


def test_an_unknown_stage_is_refused(school: Store, session_for):
    with pytest.raises(NotFoundError, match="use one of assessment"):
        staged_support.stage_form(session_for(pupil="P-2001"), "P-2001", "launch")
