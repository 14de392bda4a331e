"""Records of the school partnership plan: the six steps, the principles and their tools.

A plan has one :class:`PlanSettings` (its dates, school and local authority), one
:class:`ChecklistProgress` per checklist item (``six_steps.1.1`` ... ``six_steps.6.4``)
and one record per step for the tools the items ask for (:data:`STEP_TOOLS`): a vision,
what children and families said, resources, a shared plan, delivery and impact. Tables
(roles, meetings, partner offers ...) are lists of small row models, which the form
engine shows as rows with add and remove buttons. :class:`PrincipleRating` (in
:mod:`partnerkit.records.principles`, re-exported here) is one rater's 1-5 rating of
one partnership principle. Reflection answers use
:class:`partnerkit.records.mapping.Answer`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from partnerkit.content import load_content
from partnerkit.records.base import Record
from partnerkit.records.principles import (
    RATING_LABELS,
    SCHOOL_RATER,
    PrincipleRating,
    check_principle_id,
    check_rating,
    rater_key,
)

__all__ = [
    "FACTORS", "RATING_LABELS", "SCHOOL_RATER", "STATUSES", "STATUS_LABELS", "STEP_TOOLS",
    "ChecklistProgress", "DeliveryTool", "ImpactTool", "PlanSettings", "PrincipleRating",
    "ResourcesTool", "Row", "SharedPlanTool", "VisionTool", "VoiceTool", "check_item_id",
    "check_principle_id", "check_rating", "rater_key",
]

Status = Literal["not_started", "in_progress", "done", "not_applicable"]
STATUSES: tuple[str, ...] = Status.__args__
"""The states of a checklist item, in the order a plan moves through them."""

STATUS_LABELS: dict[str, str] = {
    "not_started": "Not started", "in_progress": "In progress", "done": "Done",
    "not_applicable": "Not applicable"}
"""Plain words for each status (shown in forms, tables and reports)."""

Factor = Literal["individual", "school", "family", "peer"]
FACTORS: tuple[str, ...] = Factor.__args__
"""The factors targeted support addresses (checklist item 2.3)."""

Funding = Literal["pupil_equity_funding", "other_sac", "school_budget", "partner", "other"]

Group = Literal["children", "young_people", "families", "mixed"]

TEXTAREA = {"widget": "textarea"}


def _help(content_id: str, **extra: Any) -> dict[str, Any]:
    """Field metadata: help text from a content item, plus any other form hints."""
    return {"content": content_id, **extra}


class Row(BaseModel):
    """A row of a table inside a record; every cell may be left blank while typing."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def is_blank(self) -> bool:
        """True when every cell still holds its default (reports leave such rows out)."""
        return all(getattr(self, name) == info.get_default(call_default_factory=True)
                   for name, info in type(self).model_fields.items())


# ---------------------------------------------------------------- the plan itself


class PlanSettings(Record):
    """The plan's dates, school and local authority (one per workspace)."""

    kind = "plan_settings"

    school: str = Field("", title="School", max_length=200)
    local_authority: str = Field("", title="Local authority", max_length=200)
    start: dt.date | None = Field(None, title="Plan starts",
                                  description="The first day of the plan (due dates fall "
                                              "on or after it).")
    end: dt.date | None = Field(None, title="Plan ends",
                                description="The last day of the plan, usually the end of "
                                            "the school year.")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if end is not None and start is not None and end < start:
            raise ValueError(f"{end.isoformat()} is before the plan starts "
                             f"({start.isoformat()}); pick an end date after the start")
        return end

    def record_key(self) -> str:
        """One plan per workspace."""
        return "plan"


def check_item_id(value: str) -> str:
    """Return a checklist item id (``six_steps.N.M``) or raise ValueError naming the rule."""
    value = (value or "").strip()
    content = load_content()
    if value not in content or content.item(value).kind != "checklist_item":
        raise ValueError(f"{value!r} is not a six steps checklist item; use an id from "
                         "six_steps.1.1 to six_steps.6.4")
    return value


class ChecklistProgress(Record):
    """Where one checklist item stands: status, owner, partners, due date, evidence."""

    kind = "checklist_progress"

    item: str = Field(title="Checklist item")
    status: Status = Field("not_started", title="Status",
                           json_schema_extra={"choices": STATUS_LABELS})
    owner: str = Field("", title="Owner", max_length=200,
                       description="Who leads this item (a name or a role).")
    partners: list[str] = Field(default_factory=list, title="Partners involved",
                                description="One partner organisation per line.")
    due: dt.date | None = Field(None, title="Due date")
    evidence: str = Field("", title="Evidence",
                          description="What shows the item is done or under way.",
                          json_schema_extra=TEXTAREA)
    notes: str = Field("", title="Notes", json_schema_extra=TEXTAREA)

    @field_validator("item")
    @classmethod
    def _known_item(cls, value: str) -> str:
        return check_item_id(value)

    def record_key(self) -> str:
        """One progress record per checklist item."""
        return self.item


# ------------------------------------------------------------- step 1 tools


class KeyContactRow(Row):
    """Who is the key contact between the school and one partner (item 1.6)."""

    partner: str = Field("", title="Partner", max_length=200)
    partner_contact: str = Field("", title="Partner's key contact", max_length=200)
    school_contact: str = Field("", title="School's key contact", max_length=200)
    how_to_reach: str = Field("", title="How to reach them", max_length=300)


class VisionTool(Record):
    """Step 1: vision, its fit with the authority's policy, strengths and key contacts."""

    kind = "plan_vision"

    vision: str = Field("", title="Our vision for attendance and engagement",
                        json_schema_extra=_help("six_steps.1.4", **TEXTAREA))
    policy_fit: str = Field("", title="How the vision reflects the local authority "
                                      "attendance policy", json_schema_extra=TEXTAREA)
    strengths: str = Field("", title="Current strengths in supporting attendance",
                           json_schema_extra=_help("six_steps.1.5", **TEXTAREA))
    areas_for_development: str = Field("", title="Areas for development",
                                       json_schema_extra=TEXTAREA)
    key_contacts: list[KeyContactRow] = Field(
        default_factory=list, title="Key contacts",
        json_schema_extra=_help("six_steps.1.6"))

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


# ------------------------------------------------------------- step 2 tools


class ConsultationRow(Row):
    """What one group said, recorded through the Lundy model (items 2.1 and 2.2)."""

    group: Group = Field("children", title="Who was heard", json_schema_extra={"choices": {
        "children": "Children", "young_people": "Young people", "families": "Families",
        "mixed": "Children, young people and families together"}})
    led_by: str = Field("", title="Led by (school or partner)", max_length=200)
    space: str = Field("", title="Space: how a safe, inclusive chance to speak was given",
                       json_schema_extra=TEXTAREA)
    voice: str = Field("", title="Voice: what they said", json_schema_extra=TEXTAREA)
    audience: str = Field("", title="Audience: who listened", json_schema_extra=TEXTAREA)
    influence: str = Field("", title="Influence: what changed as a result",
                           json_schema_extra=TEXTAREA)


class TargetedSupportRow(Row):
    """One agreed piece of targeted support, the factor it addresses and who delivers it."""

    factor: Factor = Field("individual", title="Factor", json_schema_extra={"choices": {
        "individual": "Individual factors", "school": "School factors",
        "family": "Family factors", "peer": "Peer factors"}})
    support: str = Field("", title="Support agreed", json_schema_extra=TEXTAREA)
    delivered_by: str = Field("", title="Who delivers it", max_length=200)


class VoiceTool(Record):
    """Step 2: what children, young people and families said, and the support agreed."""

    kind = "plan_voice"

    consultations: list[ConsultationRow] = Field(
        default_factory=list, title="What children, young people and families said",
        json_schema_extra=_help("six_steps.2.1"))
    targeted_support: list[TargetedSupportRow] = Field(
        default_factory=list, title="Targeted support agreed",
        json_schema_extra=_help("six_steps.2.3"))

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


# ------------------------------------------------------------- step 3 tools


class ResourceRow(Row):
    """One resource agreed with partners and where it comes from (item 3.1)."""

    resource: str = Field("", title="Resource", max_length=300)
    source: Funding = Field("pupil_equity_funding", title="Source", json_schema_extra={
        "choices": {"pupil_equity_funding": "Pupil Equity Funding",
                    "other_sac": "Other Scottish Attainment Challenge funding",
                    "school_budget": "School budget", "partner": "Brought by a partner",
                    "other": "Other"}})
    provided_by: str = Field("", title="Provided by", max_length=200)
    notes: str = Field("", title="Amount or notes", max_length=500)


class PaperworkRow(Row):
    """Who completes a paperwork task (a risk assessment ...) and how it is shared (3.3)."""

    task: str = Field("", title="Paperwork task", max_length=300)
    who: str = Field("", title="Who completes it", max_length=200)
    shared_how: str = Field("", title="How it is shared", max_length=300)


class AgreementRow(Row):
    """A service level agreement with a partner, if there is one (item 3.2)."""

    partner: str = Field("", title="Partner", max_length=200)
    covers: str = Field("", title="What it covers", json_schema_extra=TEXTAREA)
    procurement_followed: bool = Field(False, title="Procurement procedures followed")
    review: dt.date | None = Field(None, title="Review date")


class ResourcesTool(Record):
    """Step 3: resources, reporting arrangements, paperwork and service level agreements."""

    kind = "plan_resources"

    resources: list[ResourceRow] = Field(default_factory=list, title="Resources agreed",
                                         json_schema_extra=_help("six_steps.3.1"))
    reporting: str = Field("", title="How attendance and engagement are captured, "
                                     "measured and reported",
                           json_schema_extra=_help("six_steps.3.3", **TEXTAREA))
    paperwork: list[PaperworkRow] = Field(default_factory=list,
                                          title="Who does which paperwork")
    agreements: list[AgreementRow] = Field(default_factory=list,
                                           title="Service level agreements (if any)",
                                           json_schema_extra=_help("six_steps.3.2"))

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


# ------------------------------------------------------------- step 4 tools


class PartnerOfferRow(Row):
    """What one partner can and cannot offer (item 4.2)."""

    partner: str = Field("", title="Partner", max_length=200)
    can_offer: str = Field("", title="Can offer", json_schema_extra=TEXTAREA)
    cannot_offer: str = Field("", title="Cannot offer", json_schema_extra=TEXTAREA)


class CommunitySupportRow(Row):
    """Targeted support delivered with a partner in a community setting (item 4.4)."""

    support: str = Field("", title="Support", max_length=300)
    partner: str = Field("", title="With partner", max_length=200)
    setting: str = Field("", title="Community setting", max_length=200)


class SharedPlanTool(Record):
    """Step 4: the shared vision and plan, outcomes, partner offers, community support."""

    kind = "plan_shared"

    shared_vision: str = Field("", title="Shared vision and plan with partners",
                               json_schema_extra=_help("six_steps.4.3", **TEXTAREA))
    shared_outcomes: list[str] = Field(default_factory=list, title="Shared outcomes",
                                       description="One outcome per line.")
    partner_offers: list[PartnerOfferRow] = Field(
        default_factory=list, title="What each partner can and cannot offer",
        json_schema_extra=_help("six_steps.4.2"))
    community_support: list[CommunitySupportRow] = Field(
        default_factory=list, title="Support in community settings",
        json_schema_extra=_help("six_steps.4.4"))

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


# ------------------------------------------------------------- step 5 tools


class RoleRow(Row):
    """One line of the roles and responsibilities table (item 5.1)."""

    who: str = Field("", title="Who", max_length=200)
    what: str = Field("", title="What", json_schema_extra=TEXTAREA)
    when: str = Field("", title="When", max_length=200)
    how: str = Field("", title="How", json_schema_extra=TEXTAREA)


class TrackingRow(Row):
    """One part of the data tracking agreement: what, who, how often, which system (5.2)."""

    what: str = Field("", title="What is tracked", max_length=300)
    who: str = Field("", title="Who tracks it", max_length=200)
    how_often: str = Field("", title="How often", max_length=100)
    system: str = Field("", title="Which system", max_length=200)


class MeetingRow(Row):
    """A planned meeting with partners (item 5.3)."""

    date: dt.date | None = Field(None, title="Date")
    who: str = Field("", title="Who attends", max_length=300)
    purpose: str = Field("", title="Purpose", max_length=500)


class DeliveryTool(Record):
    """Step 5: roles, data tracking, meetings, pathways and exits, how voices evidence success."""

    kind = "plan_delivery"

    roles: list[RoleRow] = Field(default_factory=list, title="Roles and responsibilities",
                                 json_schema_extra=_help("six_steps.5.1"))
    tracking: list[TrackingRow] = Field(default_factory=list,
                                        title="Data tracking agreement",
                                        json_schema_extra=_help("six_steps.5.2"))
    meetings: list[MeetingRow] = Field(default_factory=list, title="Meeting schedule",
                                       json_schema_extra=_help("six_steps.5.3"))
    pathways: str = Field("", title="Pathways and exit plans",
                          json_schema_extra=_help("six_steps.5.4", **TEXTAREA))
    voice_evidence: str = Field("", title="How children's, young people's and families' "
                                          "voices will evidence success",
                                json_schema_extra=_help("six_steps.5.5", **TEXTAREA))

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


# ------------------------------------------------------------- step 6 tools


class OutcomeRow(Row):
    """An outcome captured and the local authority stretch aim it links to (item 6.2)."""

    outcome: str = Field("", title="Outcome", json_schema_extra=TEXTAREA)
    stretch_aim: str = Field("", title="Stretch aim it links to", max_length=300)
    evidence: str = Field("", title="Evidence", max_length=500)
    in_report: bool = Field(False, title="In the Standards and Quality Report")


class CaseStudyRow(Row):
    """A case study that illustrates success (item 6.3)."""

    title: str = Field("", title="Case study", max_length=300)
    summary: str = Field("", title="What it shows", json_schema_extra=TEXTAREA)
    shared_where: str = Field("", title="Shared where", max_length=300)


class ImpactTool(Record):
    """Step 6: celebrating success, outcomes, case studies and the partnership review."""

    kind = "plan_impact"

    celebration: str = Field("", title="How success will be celebrated and shared",
                             json_schema_extra=_help("six_steps.6.1", **TEXTAREA))
    outcomes: list[OutcomeRow] = Field(default_factory=list,
                                       title="Outcomes and the authority's stretch aims",
                                       json_schema_extra=_help("six_steps.6.2"))
    case_studies: list[CaseStudyRow] = Field(default_factory=list, title="Case studies",
                                             json_schema_extra=_help("six_steps.6.3"))
    review: str = Field("", title="Review of the partnership",
                        json_schema_extra=_help("six_steps.6.4", **TEXTAREA))
    lessons_learned: str = Field("", title="Lessons learned and next steps",
                                 json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """One per plan."""
        return "plan"


STEP_TOOLS: dict[int, type[Record]] = {
    1: VisionTool, 2: VoiceTool, 3: ResourcesTool, 4: SharedPlanTool, 5: DeliveryTool,
    6: ImpactTool}
"""The record type holding each step's tools."""
