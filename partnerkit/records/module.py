"""Records of the collaborative partnership working module (section 6) and its planner.

Practitioner records (log entries, ratings, Activity 16, quiz attempts, the survey, a
trainer's lift of a quiz lock) are filed under the practitioner's username, which is the
session's author (a store without accounts files them under the name typed). Pupil
records (staged support, requests for assistance, partnership with parents, postcards)
are filed under a pseudonymous pupil reference; they live in
:mod:`partnerkit.records.support` and are re-exported here.

Choice lists show the module's published wording (``partnerkit/content/module6.yaml``):
the ASPIRE stages, the universal and targeted support examples, the partner services, the
parent barriers and strategies, the Activity 16 statements and the self-rating scale.
Their values are declared in :mod:`partnerkit.records.module_choices` and their labels
read from the content when first shown, so importing this module reads no YAML.

The self-evaluation wheel: the module asks practitioners to complete a self-evaluation
wheel at the start and the end but the seed does not give its areas. partnerkit defines
them from the section's themes (:data:`WHEEL_AREAS`), each area citing the content item
it is drawn from.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field

from partnerkit.errors import PartnerkitError
from partnerkit.records.base import Record
from partnerkit.records.module_choices import (
    ACTIVITY16_CHOICES,
    ACTIVITY16_STATEMENTS,
    CARD_TYPES,
    LEVELS,
    LOG_TASKS,
    PARTNER_SERVICES,
    SUPPORT_EXAMPLES,
    LogTask,
    Statement,
)
from partnerkit.records.support import (
    ASPIRE_STAGES,
    AspireStage,
    Attendee,
    ParentPartnership,
    Postcard,
    RequestForAssistance,
    RequestForAssistanceDraft,
    StagedSupportPlan,
)

__all__ = [
    "ACTIVITY16_STATEMENTS", "ASPIRE_STAGES", "CARD_TYPES", "LEVELS", "LOG_TASKS", "MOMENTS",
    "PARTNER_SERVICES", "SECTIONS", "SUPPORT_EXAMPLES", "WHEEL_AREAS", "Activity16Answer",
    "Attendee", "FeedbackSurvey", "LogEntry", "ParentPartnership", "Postcard", "QuizAttempt",
    "QuizDraft", "QuizLockLift", "RequestForAssistance", "RequestForAssistanceDraft",
    "SelfRating", "StagedSupportPlan", "WheelRating", "AspireStage", "check_practitioner",
    "practitioner_name",
]

TEXTAREA = {"widget": "textarea"}

Moment = Literal["start", "end"]
MOMENTS: tuple[str, ...] = Moment.__args__
"""When a rating is made: at the start of the module or at the end (Activity 17)."""

Rating = Literal[1, 2, 3, 4, 5]

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


def practitioner_names(store: Any, workspace: str) -> dict[str, str]:
    """Each member's full name by the username their work is filed under.

    Read from the guarded store's ``members`` (the workspace's accounts); a store
    without accounts (or a raw store in a test) has none, and callers show the key.
    """
    members = getattr(store, "members", None)
    return dict(members(workspace)) if callable(members) else {}


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
    shared: bool = Field(False, title="Share this entry with the trainer",
                         description="Only you can read your log unless you share an entry.")

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
        json_schema_extra={"widget": "checkboxes", "choices": ACTIVITY16_CHOICES})

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


class QuizLockLift(Record):
    """A trainer's (or an admin's) lift of a participant's quiz lock, with the reason.

    Filed under the participant (``<username>/<n>``, numbered so they sort in order) and
    written once; who lifted it is the author the store's history records.
    ``after_attempt`` is the number of the participant's latest attempt when the lock
    was lifted: the lift ends the lockout that attempt began, and does nothing to a
    lockout begun by a later attempt (so a lift made before a lockout does nothing,
    whatever the clocks say).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind = "quiz_lock_lift"

    practitioner: Practitioner = Field(title="Participant")
    lift: int = Field(title="Lift", ge=1, le=9999)
    after_attempt: int = Field(title="Latest attempt when lifted", ge=0, le=9999)
    reason: str = Field(title="Why the lock is lifted", min_length=1, max_length=2000,
                        json_schema_extra=TEXTAREA)
    lifted_at: dt.datetime = Field(title="Lifted at")
    grant: Literal["lift", "one_attempt"] = Field(
        "lift", title="What the trainer allowed",
        description="lift: the lock ends and the count of failures starts again; "
                    "one_attempt: one more attempt, and if it fails the quiz locks again")

    def record_key(self) -> str:
        """Lifts are filed under the participant, numbered so they sort in order."""
        return f"{self.practitioner}/{self.lift:04d}"


class QuizDraft(Record):
    """The answers of the attempt in progress, saved as they are chosen."""

    kind = "quiz_draft"

    practitioner: Practitioner = Field(title="Practitioner")
    attempt: int = Field(title="Attempt", ge=1, le=9999)
    answers: dict[str, list[str]] = Field(default_factory=dict, title="Answers so far")

    def record_key(self) -> str:
        """One draft per practitioner: the attempt they are on."""
        return self.practitioner


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
