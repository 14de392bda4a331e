"""Records of the module's pupil support, each filed under a pupil reference.

Staged support (ASPIRE), requests for assistance, partnership with parents/carers and
home/school postcards. Choice labels are the module's published wording, read from the
content when first shown (see :mod:`partnerkit.records.module_choices`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from partnerkit.records.base import Record, new_id
from partnerkit.records.mapping import PupilRef
from partnerkit.records.module_choices import (
    CARD_LABELS,
    PARTNER_SERVICES,
    SUPPORT_EXAMPLES,
    CardType,
    Level,
    ParentBarrier,
    ParentStrategy,
    PartnerService,
    SupportExample,
)

TEXTAREA = {"widget": "textarea"}

AspireStage = Literal["assessment", "support", "planning", "implementation", "review",
                      "evaluation"]
ASPIRE_STAGES: tuple[str, ...] = AspireStage.__args__
"""The six key features of staged intervention, in order (``module6.aspire.<stage>``)."""


class StagedSupportPlan(Record):
    """One ASPIRE stage of a pupil's staged support plan."""

    kind = "staged_support_plan"

    pupil: PupilRef = Field(title="Pupil reference")
    stage: AspireStage = Field(title="ASPIRE stage",
                               json_schema_extra={"choices_from": "module6.aspire"})
    level: Level | None = Field(None, title="Level of support", json_schema_extra={
        "widget": "radio", "choices_from": "module6", "content": "module6.aspire"})
    supports: list[SupportExample] = Field(
        default_factory=list, title="Supports chosen from the module's examples",
        json_schema_extra={"widget": "checkboxes", "choices": SUPPORT_EXAMPLES})
    other_supports: list[str] = Field(
        default_factory=list, title="Other supports (written in, one per line)")
    implemented_by: str = Field("", title="Who implements this", max_length=300,
                                description="Names or roles, for example 'Class teacher, "
                                            "Pupil Support Assistant'.")
    review_date: dt.date | None = Field(None, title="Review date")
    parents_involved: bool = Field(False, title="Parents/carers involved at this stage")
    parents_how: str = Field("", title="How parents/carers are involved",
                             json_schema_extra=TEXTAREA)
    notes: str = Field("", title="Notes", json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """One entry per pupil and stage."""
        return f"{self.pupil}/{self.stage}"

    def is_started(self) -> bool:
        """True when anything has been entered for this stage."""
        return bool(self.level or self.supports or self.other_supports or self.implemented_by
                    or self.review_date or self.parents_involved or self.parents_how
                    or self.notes)


def _blank(value: Any) -> bool:
    return not str(value or "").strip()


class RequestForAssistance(Record):
    """A request for assistance from a partner service or agency for one pupil.

    A request that is made (``status="requested"``) needs the agreement of the
    parents/carers and of the learner, unless it is a child protection concern; then the
    local child protection procedure followed must be named instead. A draft may be
    saved before that, so nothing typed is lost while the school liaises with the family.
    """

    kind = "request_for_assistance"

    pupil: PupilRef = Field(title="Pupil reference")
    id: str = Field(default_factory=new_id, title="Request id")
    status: Literal["draft", "requested"] = Field(
        "requested", title="Status", json_schema_extra={"choices": {
            "draft": "Draft: not made yet", "requested": "Request made"}})
    partner_service: PartnerService = Field(
        title="Partner service or agency",
        json_schema_extra={"choices": PARTNER_SERVICES, "content": "module6.services"})
    other_service: str = Field("", title="Other service (if not listed)", max_length=300,
                               validate_default=True)
    reason: str = Field("", title="Reason for the request", validate_default=True,
                        json_schema_extra={**TEXTAREA,
                                           "content": "module6.request_for_assistance.when"})
    strategies_tried: str = Field("", title="Strategies already in place",
                                  json_schema_extra=TEXTAREA)
    child_protection: bool = Field(
        False, title="This is a child protection concern",
        json_schema_extra={"content": "module6.request_for_assistance.agreement"})
    parent_carer_agreement: bool = Field(
        False, title="Parents/carers have agreed to the request", validate_default=True,
        json_schema_extra={"content": "module6.request_for_assistance.agreement"})
    learner_agreement: bool = Field(
        False, title="The learner has agreed to the request", validate_default=True,
        json_schema_extra={"content": "module6.request_for_assistance.liaison"})
    local_procedure: str = Field(
        "", title="Local child protection procedure followed", max_length=500,
        validate_default=True,
        description="Name the local procedure (needed for a child protection concern).")
    requested_on: dt.date | None = Field(None, title="Date of the request")

    @field_validator("other_service", mode="after")
    @classmethod
    def _other_named(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("partner_service") == "other" and _blank(value):
            raise ValueError("name the service or agency, since 'another service' is chosen")
        return value

    @field_validator("reason", mode="after")
    @classmethod
    def _reason_given(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("status") == "requested" and _blank(value):
            raise ValueError("say why the request is made before it is marked as made")
        return value

    @field_validator("parent_carer_agreement", "learner_agreement", mode="after")
    @classmethod
    def _agreement(cls, value: bool, info: ValidationInfo) -> bool:
        requested = info.data.get("status") == "requested"
        if requested and not value and not info.data.get("child_protection"):
            who = ("the parents/carers" if info.field_name == "parent_carer_agreement"
                   else "the learner")
            raise ValueError(
                f"agreement from {who} is needed before a request is made, unless it is a "
                "child protection concern; get the agreement first, tick 'child protection "
                "concern' and name the local procedure, or keep the request as a draft")
        return value

    @field_validator("local_procedure", mode="after")
    @classmethod
    def _procedure_named(cls, value: str, info: ValidationInfo) -> str:
        if (info.data.get("child_protection") and info.data.get("status") == "requested"
                and _blank(value)):
            raise ValueError("a child protection concern follows the local procedure: name "
                             "it (for example your authority's child protection guidance)")
        return value

    def record_key(self) -> str:
        """Requests are filed under their pupil."""
        return f"{self.pupil}/{self.id}"

    def service_label(self) -> str:
        """The service's name as the module lists it (or as written in)."""
        if self.partner_service == "other":
            return self.other_service
        return PARTNER_SERVICES[self.partner_service]


class RequestForAssistanceDraft(RequestForAssistance):
    """A request for assistance as its form edits it: a new one starts as a draft.

    So what is typed is kept while the school liaises with the family. It has no
    ``kind`` of its own: it is stored, listed and loaded as a request.
    """

    status: Literal["draft", "requested"] = Field(
        "draft", title="Status", json_schema_extra={"choices": {
            "draft": "Draft: not made yet", "requested": "Request made"}})


class Attendee(BaseModel):
    """Someone attending a meeting with parents/carers: a name and a role."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field("", title="Name", max_length=200)
    role: str = Field("", title="Role", max_length=200)


class ParentPartnership(Record):
    """Partnership with one pupil's parents/carers: barriers, strategies, meeting set-up."""

    kind = "parent_partnership"

    pupil: PupilRef = Field(title="Pupil reference",
                            description="The family is filed under the pupil's reference.")
    barriers: list[ParentBarrier] = Field(
        default_factory=list, title="Reasons these parents/carers may not feel comfortable",
        json_schema_extra={"widget": "checkboxes", "choices_from": "module6.parent_barriers",
                           "content": "module6.parent_barriers"})
    barrier_notes: str = Field("", title="What we know about this", json_schema_extra=TEXTAREA)
    strategies: list[ParentStrategy] = Field(
        default_factory=list, title="Strategies we plan to use",
        json_schema_extra={"widget": "checkboxes", "choices_from": "module6.strategies",
                           "content": "module6.strategies"})
    strategy_plan: str = Field("", title="How and when we will use them",
                               json_schema_extra=TEXTAREA)
    meeting_date: dt.date | None = Field(None, title="Date of the next meeting")
    agenda: str = Field("", title="Agenda", json_schema_extra=TEXTAREA)
    attendees: list[Attendee] = Field(default_factory=list,
                                      title="Who will attend (names and roles)")
    attendees_sent: bool = Field(
        False, title="Agenda, names and roles sent to parents/carers in advance",
        json_schema_extra={"content": "module6.strategies.5"})
    support_person_welcome: bool = Field(
        False, title="Parents/carers told they can bring someone for support",
        json_schema_extra={"content": "module6.strategies.4"})
    parents_seated_first: bool = Field(
        False, title="Parents/carers will be seated in the room first",
        json_schema_extra={"content": "module6.strategies.6"})

    def record_key(self) -> str:
        """One partnership plan per pupil's family."""
        return self.pupil


class Postcard(Record):
    """A home/school postcard: "Something to try at home" or "Something we tried at home"."""

    kind = "postcard"

    pupil: PupilRef = Field(title="Pupil reference")
    id: str = Field(default_factory=new_id, title="Postcard id")
    card_type: CardType = Field(
        title="Postcard", json_schema_extra={"choices": CARD_LABELS})
    to: str = Field("", title="To", max_length=200,
                    description="For example 'Parents/carers' or 'Class teacher'.")
    strategy: str = Field("", title="The strategy", json_schema_extra=TEXTAREA)
    details: str = Field("", title="How to do it / how it went", json_schema_extra=TEXTAREA)
    sender: str = Field("", title="From", max_length=200)
    date_sent: dt.date | None = Field(None, title="Date")

    def record_key(self) -> str:
        """Postcards are filed under their pupil."""
        return f"{self.pupil}/{self.id}"
