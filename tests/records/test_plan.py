from __future__ import annotations

import datetime as dt

import pytest

from partnerkit.content import load_content
from partnerkit.errors import RecordValidationError
from partnerkit.records.base import RECORD_TYPES, load_record, save_record, validate_record
from partnerkit.records.plan import (
    STEP_TOOLS,
    ChecklistProgress,
    ConsultationRow,
    DeliveryTool,
    PlanSettings,
    PrincipleRating,
    Row,
    TargetedSupportRow,
)
from partnerkit.store import Store


def _content_ids(record_type) -> list[str]:
    ids = []
    for info in record_type.model_fields.values():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if "content" in extra:
            ids.append(extra["content"])
    return ids


@pytest.mark.parametrize("step", sorted(STEP_TOOLS))
def test_every_step_tool_cites_content_of_its_own_step(step):
    record_type = STEP_TOOLS[step]
    content = load_content()
    cited = _content_ids(record_type)
    assert cited, f"step {step} tool cites no checklist item"
    assert all(c in content and c.startswith(f"six_steps.{step}.") for c in cited)
    assert RECORD_TYPES[record_type.kind] is record_type


def test_step_tools_have_the_tables_the_checklist_asks_for():
    assert set(ConsultationRow.model_fields) >= {"space", "voice", "audience", "influence"}
    assert set(TargetedSupportRow.model_fields) == {"factor", "support", "delivered_by"}
    assert TargetedSupportRow.model_fields["factor"].annotation.__args__ == (
        "individual", "school", "family", "peer")
    roles = DeliveryTool.model_fields["roles"].annotation.__args__[0]
    assert list(roles.model_fields) == ["who", "what", "when", "how"]


def test_a_row_is_blank_until_something_differs_from_its_defaults():
    assert ConsultationRow().is_blank()
    assert not ConsultationRow(voice="Mornings are hard").is_blank()
    assert not ConsultationRow(group="families").is_blank()
    assert issubclass(ConsultationRow, Row)


def test_keys():
    assert PlanSettings().record_key() == "plan"
    assert ChecklistProgress(item="six_steps.2.3").record_key() == "six_steps.2.3"


def test_a_checklist_item_must_be_one_of_the_six_steps_items():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(ChecklistProgress, {"item": "six_steps.7.1"})
    assert "six_steps.1.1 to six_steps.6.4" in caught.value.field_errors["item"]


def test_principle_ratings_are_still_found_in_the_plan_module():
    from partnerkit.records import principles

    assert PrincipleRating is principles.PrincipleRating


def test_a_step_tool_round_trips_through_the_store(store: Store):
    tool = DeliveryTool(meetings=[{"date": dt.date(2026, 10, 5), "who": "All partners"}],
                        roles=[{"who": "Ann", "when": "Mondays"}])
    save_record(store, "school", tool, "Ann")
    assert load_record(store, "school", DeliveryTool, "plan") == tool
