"""Tests for partnerkit.staged_support.data and .rules: requests, the plan, pupils, stages."""

from __future__ import annotations

import pytest

from partnerkit import staged_support
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PupilReferenceError, RecordValidationError
from partnerkit.records.base import load_record, load_records, validate_record
from partnerkit.records.module import (
    ASPIRE_STAGES,
    LEVELS,
    PARTNER_SERVICES,
    SUPPORT_EXAMPLES,
    RequestForAssistance,
    StagedSupportPlan,
)
from partnerkit.store import Store
from tests.staged_support.conftest import WHO

BASE = {"pupil": "P-2001", "partner_service": "camhs",
        "reason": "Strategies in place for six weeks are not meeting her needs."}


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


# ------------------------------------------------------------------ pupils


@pytest.mark.parametrize(("pupil", "error", "says"), [
    ("P-9999", NotFoundError, "use one of P-2001, P-2002"),
    ("Robert Smith", PupilReferenceError, "not a name"),
    (None, PupilReferenceError, "not a pupil reference"),
])
def test_a_pupil_must_be_a_reference_the_workspace_knows(school: Store, pupil, error, says):
    with pytest.raises(error) as caught:
        staged_support.check_pupil(school, "school", pupil)
    assert says in str(caught.value)
    assert staged_support.check_pupil(school, "school", " P-2002 ") == "P-2002"


def test_an_empty_plan_has_a_row_per_stage_with_nothing_in_it(school: Store):
    frame = staged_support.plan_frame(school, "school", "P-2001")
    assert list(frame.columns) == list(staged_support.PLAN_COLUMNS)
    assert frame["stage"].tolist() == list("ASPIRE") and len(ASPIRE_STAGES) == 6
    assert frame["supports"].tolist() == [""] * 6 and not frame["parents_carers_involved"].any()
    assert list(staged_support.requests_frame(school, "school", "P-2001").columns) == \
        list(staged_support.REQUEST_COLUMNS)


def test_targeted_examples_at_the_universal_level_are_advice_only():
    entry = StagedSupportPlan(pupil="P-2001", stage="support", level="universal",
                              supports=["module6.targeted.curriculum.2"])
    assert "set the level to targeted" in staged_support.stage_warnings(entry)["supports"]
    assert staged_support.stage_warnings(entry.model_copy(update={"level": "targeted"})) == {}
    with pytest.raises(NotFoundError, match="use one of assessment"):
        staged_support.check_stage("launch")


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
