"""Records of running a training session: review options, certificates and CPD sign-offs.

- :class:`CohortSettings`: what the cohort's trainer chose for the end-of-module quiz
  (what a participant sees after an attempt, as Moodle's review options) and the hours
  a certificate states; one per workspace (key ``module6``), written by the trainer.
- :class:`Certificate`: a certificate of completion, filed under the participant
  (``<username>/module6``); its ``code`` is the verification code signed over its text.
- :class:`CpdSignOff`: a mentor's or line manager's sign-off of a participant's
  professional-learning record, filed under the participant
  (``<username>/<framework>``); who signed is also the author the store records.

The trainer's grant of one extra attempt is a :class:`~partnerkit.records.module.QuizLockLift`
with ``grant="one_attempt"``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import ConfigDict, Field

from partnerkit.records.base import Record
from partnerkit.records.module import TEXTAREA, Practitioner

CorrectAnswers = Literal["never", "after_passing", "after_each_attempt"]
CORRECT_ANSWER_CHOICES = {
    "never": "Never",
    "after_passing": "Once the participant has passed (the default)",
    "after_each_attempt": "After every attempt, passed or not",
}
"""When the right answers are shown after an attempt."""
FRAMEWORKS = {"gtcs": "GTCS Professional Update", "cld": "CLD Standards Council",
              "sssc": "SSSC"}
"""The professional-learning records a reflective log is exported as."""
DEFAULT_HOURS = 3.0
"""Hours a certificate states unless the trainer sets them: partnerkit's estimate of
section 6 (four sections, their activities and the quiz); the seed gives no figure."""


class CohortSettings(Record):
    """The trainer's choices for the cohort: quiz review options and certificate hours.

    Marks say which questions were right or wrong; feedback is each question's
    explanation; the right answers are shown only as ``correct_answers`` says (by
    default, never before the participant passes).
    """

    kind = "cohort_settings"

    module: Literal["module6"] = Field("module6", title="Module")
    show_marks: bool = Field(True, title="Show which questions were right and wrong")
    show_feedback: bool = Field(True, title="Show each question's feedback")
    correct_answers: CorrectAnswers = Field(
        "after_passing", title="Show the right answers",
        json_schema_extra={"choices": CORRECT_ANSWER_CHOICES})
    hours: float = Field(DEFAULT_HOURS, title="Hours of professional learning (certificate)",
                         gt=0, le=100)

    def record_key(self) -> str:
        """One set of choices per module and workspace."""
        return self.module


class Certificate(Record):
    """A certificate of completion as issued: its text fields and verification code."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind = "certificate"

    practitioner: Practitioner = Field(title="Participant's username")
    participant: str = Field(title="Participant", min_length=1)
    module: str = Field(title="Module", min_length=1)
    completed_on: dt.date = Field(title="Completed on")
    hours: float = Field(title="Hours", gt=0)
    trainer: str = Field(title="Trainer", min_length=1)
    workspace_name: str = Field(title="Cohort", min_length=1)
    code: str = Field(title="Verification code", min_length=8)
    issued_at: dt.datetime = Field(title="Issued at")

    def record_key(self) -> str:
        """One certificate per participant and module (issued again, it is replaced)."""
        return f"{self.practitioner}/module6"


class CpdSignOff(Record):
    """A mentor's or line manager's sign-off of a professional-learning record."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    kind = "cpd_signoff"

    practitioner: Practitioner = Field(title="Participant")
    framework: Literal["gtcs", "cld", "sssc"] = Field(title="Record",
                                                      json_schema_extra={"choices": FRAMEWORKS})
    signer: str = Field(title="Signed by", min_length=1, max_length=200)
    signer_role: Literal["mentor", "line manager"] = Field(title="As")
    comment: str = Field("", title="Comment", max_length=4000, json_schema_extra=TEXTAREA)
    signed_at: dt.datetime = Field(title="Signed at")

    def record_key(self) -> str:
        """One sign-off per participant and record."""
        return f"{self.practitioner}/{self.framework}"


class ActivityMark(Record):
    """A participant's own mark that they did an activity nothing else records (a video)."""

    kind = "activity_mark"

    practitioner: Practitioner = Field(title="Practitioner")
    activity: Literal["module6.activity14", "module6.activity15"] = Field(title="Activity")
    done: bool = Field(False, title="I have watched it and noted what I took from it")

    def record_key(self) -> str:
        """One mark per practitioner and activity."""
        return f"{self.practitioner}/{self.activity}"
