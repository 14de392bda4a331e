"""Records of the collaborative partnership working module (section 6) and its planner.

Practitioner records (log entries, ratings, Activity 16, quiz attempts, the survey) are
filed under the practitioner's name, which is the session's author. Pupil records (staged
support, requests for assistance, partnership with parents, postcards) are filed under a
pseudonymous pupil reference.

Choice lists are built from the module content (``partnerkit/content/module6.yaml``) so
the wording shown is the published wording: the ASPIRE stages, the universal and targeted
support examples, the partner services, the parent barriers and strategies, the Activity
16 statements and the self-rating scale.

The self-evaluation wheel: the module asks practitioners to complete a self-evaluation
wheel at the start and the end but the seed does not give its areas. partnerkit defines
them from the section's themes (:data:`WHEEL_AREAS`), each area citing the content item
it is drawn from.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from partnerkit.content import Item, load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import Record, new_id
from partnerkit.records.mapping import PupilRef

TEXTAREA = {"widget": "textarea"}

Moment = Literal["start", "end"]
MOMENTS: tuple[str, ...] = Moment.__args__
"""When a rating is made: at the start of the module or at the end (Activity 17)."""

Rating = Literal[1, 2, 3, 4, 5]

AspireStage = Literal["assessment", "support", "planning", "implementation", "review",
                      "evaluation"]
ASPIRE_STAGES: tuple[str, ...] = AspireStage.__args__
"""The six key features of staged intervention, in order (``module6.aspire.<stage>``)."""

Level = Literal["universal", "targeted"]
LEVELS: tuple[str, ...] = Level.__args__
"""The two levels of support the module describes (``module6.<level>``)."""

CardType = Literal["try_at_home", "tried_at_home"]
CARD_TYPES: tuple[str, ...] = CardType.__args__
"""The two home/school postcards (``module6.postcard.<card>``)."""

SectionKey = Literal["6_1", "6_2", "6_3", "6_4"]
SECTIONS: tuple[str, ...] = SectionKey.__args__
"""The module's four sections (``module6.<section>``), in order."""

WHEEL_AREAS: dict[str, tuple[str, str]] = {
    "communication": ("Effective communication", "module6.6_1"),
    "staged_intervention": ("Staged intervention (ASPIRE)", "module6.aspire"),
    "universal_support": ("Universal support", "module6.universal"),
    "targeted_support": ("Targeted support", "module6.targeted"),
    "parents": ("Partnership with parents", "module6.6_2"),
    "partner_services": ("Partner services and agencies", "module6.6_3"),
    "requesting_assistance": ("Requesting assistance", "module6.request_for_assistance"),
    "collaboration": ("Effective collaboration", "module6.6_4"),
}
"""The self-evaluation wheel's areas: defined by partnerkit from the section's themes.

Each maps to ``(label, content id it is drawn from)``. The seed names the wheel but not
its areas, so these are partnerkit's choice, not published wording.
"""


def _content_item(item_id: str) -> Item:
    return load_content().item(item_id)


def _children(item_id: str, kind: str | None = None) -> list[Item]:
    return load_content().children(item_id, kind=kind)


def _log_tasks() -> dict[str, str]:
    """Every reflective-log prompt: a task without prompts, or each prompt of a task.

    A prompt that refers to the self-rating (Activity 17's first) is answered by the
    rating itself, so it has no text entry.
    """
    tasks: dict[str, str] = {}
    for task_id in ("module6.task_6_2", "module6.task_effective_collaboration",
                    "module6.task_optional_effective_collaboration", "module6.activity17"):
        task = _content_item(task_id)
        prompts = [c for c in task.children if c.kind == "prompt"]
        if not prompts:
            tasks[task.id] = task.title or task.text
        for prompt in prompts:
            if "module6.self_rating" in prompt.refs:
                continue
            tasks[prompt.id] = f"{task.title}: {prompt.number}"
    return tasks


LOG_TASKS: dict[str, str] = _log_tasks()
"""Content id of every reflective-log prompt → a short label, in module order."""

LogTask = Literal[tuple(LOG_TASKS)]  # type: ignore[valid-type]

ACTIVITY16_STATEMENTS: dict[str, Item] = {
    c.number: c for c in _children("module6.activity16", kind="statement")}
"""Activity 16's statements by letter (``module6.activity16.<letter>``)."""

Statement = Literal[tuple(ACTIVITY16_STATEMENTS)]  # type: ignore[valid-type]

SUPPORT_EXAMPLES: dict[str, str] = {
    example.id: f"{level.title} · {area.title}: {example.text}"
    for level in (_content_item(f"module6.{lv}") for lv in LEVELS)
    for area in level.children
    for example in area.children
}
"""Content id of every universal and targeted support example → its label."""

SupportExample = Literal[tuple(SUPPORT_EXAMPLES)]  # type: ignore[valid-type]

PARTNER_SERVICES: dict[str, str] = {
    c.id.rsplit(".", 1)[1]: c.text for c in _children("module6.services", "partner_service")}
PARTNER_SERVICES["other"] = "Another service or agency (name it below)"
"""The partner services the module lists (``module6.service.<key>``), and ``other``."""

PartnerService = Literal[tuple(PARTNER_SERVICES)]  # type: ignore[valid-type]

ParentBarrier = Literal[tuple(c.number for c in _children("module6.parent_barriers"))]  # type: ignore[misc]
ParentStrategy = Literal[tuple(c.number for c in _children("module6.strategies"))]  # type: ignore[misc]


def check_practitioner(value: str) -> str:
    """Return a practitioner's name, or raise ValueError if it is blank or too long."""
    value = " ".join((value or "").split())
    if not value:
        raise ValueError("no practitioner name: say who is completing the module")
    if len(value) > 200:
        raise ValueError("the practitioner name is longer than 200 characters")
    return value


Practitioner = Annotated[str, AfterValidator(check_practitioner)]


def practitioner_name(value: Any) -> str:
    """A practitioner's name as their records are filed (spacing tidied).

    Raises:
        PartnerkitError: the name is blank or longer than 200 characters.
    """
    try:
        return check_practitioner(str(value or ""))
    except ValueError as exc:
        raise PartnerkitError(str(exc), value=value, where="practitioner",
                              fix="pass author= (or sign in) with the practitioner's name") \
            from None


class LogEntry(Record):
    """One reflective-log entry: a practitioner's answer to one reflective task or prompt.

    The text may be of any length; nothing is cut. Its history (every saved version,
    when and by whom) is kept by the store.
    """

    kind = "log_entry"

    practitioner: Practitioner = Field(title="Practitioner")
    task: LogTask = Field(title="Reflective task",
                          json_schema_extra={"choices": LOG_TASKS})
    text: str = Field("", title="Your reflection", json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """One entry per practitioner and task."""
        return f"{self.practitioner}/{self.task}"


class SelfRating(Record):
    """Knowledge and understanding of inclusion in the classroom, 1–5, at the start or end."""

    kind = "self_rating"

    practitioner: Practitioner = Field(title="Practitioner")
    moment: Moment = Field(title="When", json_schema_extra={"choices": {
        "start": "At the start of the module", "end": "At the end (Activity 17)"}})
    rating: Rating | None = Field(None, title="Your rating", json_schema_extra={
        "widget": "radio", "choices_from": "module6.self_rating",
        "content": "module6.self_rating"})

    def record_key(self) -> str:
        """One rating per practitioner at the start and one at the end."""
        return f"{self.practitioner}/{self.moment}"


def _wheel_field(area: str) -> Any:
    label, content_id = WHEEL_AREAS[area]
    return Field(None, title=label,
                 description="How confident are you in this area? 1 (just starting) to 5 "
                             "(confident and able to support colleagues).",
                 json_schema_extra={"content": content_id})


class WheelRating(Record):
    """The self-evaluation wheel: one rating (1–5) per area, at the start or the end.

    An area left unrated is ``None``; the wheel can be filled in over several sittings.
    """

    kind = "wheel_rating"

    practitioner: Practitioner = Field(title="Practitioner")
    moment: Moment = Field(title="When")
    communication: Rating | None = _wheel_field("communication")
    staged_intervention: Rating | None = _wheel_field("staged_intervention")
    universal_support: Rating | None = _wheel_field("universal_support")
    targeted_support: Rating | None = _wheel_field("targeted_support")
    parents: Rating | None = _wheel_field("parents")
    partner_services: Rating | None = _wheel_field("partner_services")
    requesting_assistance: Rating | None = _wheel_field("requesting_assistance")
    collaboration: Rating | None = _wheel_field("collaboration")

    def record_key(self) -> str:
        """One wheel per practitioner at the start and one at the end."""
        return f"{self.practitioner}/{self.moment}"

    def ratings(self) -> dict[str, int | None]:
        """The rating of every wheel area, in wheel order."""
        return {area: getattr(self, area) for area in WHEEL_AREAS}


class Activity16Answer(Record):
    """A practitioner's choice of the statements that support effective collaboration."""

    kind = "activity16_answer"

    practitioner: Practitioner = Field(title="Practitioner")
    chosen: list[Statement] = Field(
        default_factory=list, title="Statements that support effective collaboration",
        json_schema_extra={"widget": "checkboxes", "choices": {
            letter: f"{letter}. {item.text}" for letter, item in ACTIVITY16_STATEMENTS.items()}})

    def record_key(self) -> str:
        """One answer per practitioner."""
        return self.practitioner


class QuizAttempt(Record):
    """One submitted attempt at the end-of-module quiz; immutable once made."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind = "quiz_attempt"

    practitioner: Practitioner = Field(title="Practitioner")
    attempt: int = Field(title="Attempt", ge=1, le=9999)
    question_ids: list[str] = Field(title="Questions drawn", min_length=1)
    answers: dict[str, list[str]] = Field(title="Answers given")
    correct: int = Field(title="Questions right", ge=0)
    score: float = Field(title="Score", ge=0, le=1)
    passed: bool = Field(title="Passed")
    submitted_at: dt.datetime = Field(title="Submitted at")

    def record_key(self) -> str:
        """Attempts are filed under the practitioner, numbered so they sort in order."""
        return f"{self.practitioner}/{self.attempt:04d}"


class QuizDraft(Record):
    """The answers of the attempt in progress, saved as they are chosen."""

    kind = "quiz_draft"

    practitioner: Practitioner = Field(title="Practitioner")
    attempt: int = Field(title="Attempt", ge=1, le=9999)
    answers: dict[str, list[str]] = Field(default_factory=dict, title="Answers so far")

    def record_key(self) -> str:
        """One draft per practitioner: the attempt they are on."""
        return self.practitioner


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
    barriers: list[ParentBarrier] = Field(  # type: ignore[valid-type]
        default_factory=list, title="Reasons these parents/carers may not feel comfortable",
        json_schema_extra={"widget": "checkboxes", "choices_from": "module6.parent_barriers",
                           "content": "module6.parent_barriers"})
    barrier_notes: str = Field("", title="What we know about this", json_schema_extra=TEXTAREA)
    strategies: list[ParentStrategy] = Field(  # type: ignore[valid-type]
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
        title="Postcard", json_schema_extra={"choices": {
            card: _content_item(f"module6.postcard.{card}").text for card in CARD_TYPES}})
    to: str = Field("", title="To", max_length=200,
                    description="For example 'Parents/carers' or 'Class teacher'.")
    strategy: str = Field("", title="The strategy", json_schema_extra=TEXTAREA)
    details: str = Field("", title="How to do it / how it went", json_schema_extra=TEXTAREA)
    sender: str = Field("", title="From", max_length=200)
    date_sent: dt.date | None = Field(None, title="Date")

    def record_key(self) -> str:
        """Postcards are filed under their pupil."""
        return f"{self.pupil}/{self.id}"


class FeedbackSurvey(Record):
    """A practitioner's feedback on the module, at the end."""

    kind = "feedback_survey"

    practitioner: Practitioner = Field(title="Practitioner")
    overall: Rating | None = Field(
        None, title="How useful was the module overall? (1 not useful – 5 very useful)")
    most_useful: list[SectionKey] = Field(
        default_factory=list, title="The sections you found most useful",
        json_schema_extra={"widget": "checkboxes", "choices_from": "module6"})
    useful: str = Field("", title="What was useful, and why", json_schema_extra=TEXTAREA)
    improve: str = Field("", title="What could be better", json_schema_extra=TEXTAREA)
    comments: str = Field("", title="Anything else", json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """One survey per practitioner."""
        return self.practitioner

    def is_answered(self) -> bool:
        """True when any question has an answer."""
        return bool(self.overall or self.most_useful or self.useful or self.improve
                    or self.comments)
