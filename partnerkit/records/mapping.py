"""Records of the community partnership mapping tool: profile, connections, directory, answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from partnerkit.records.base import Record, new_id
from partnerkit.records.refs import check_pupil_ref

Need = Literal["poverty", "family_dynamics", "mental_health", "equalities", "relationships",
               "trauma", "neurodiversity"]
NEEDS: tuple[str, ...] = Need.__args__
"""The barriers the partnership principles name (``principles.barrier.<need>``)."""

Layer = Literal["families", "school_networks", "multi_agency", "community_context"]
LAYERS: tuple[str, ...] = Layer.__args__
"""The four outer layers of the map (``mapping_tool.layer.<layer>``)."""

Quality = Literal["strong", "tenuous", "stressful"]
QUALITIES: tuple[str, ...] = Quality.__args__

Direction = Literal["to_pupil", "from_pupil", "both"]
DIRECTIONS: tuple[str, ...] = Direction.__args__

TEXTAREA = {"widget": "textarea"}
CHECKBOXES = {"widget": "checkboxes", "choices_from": "principles.barrier"}


PupilRef = Annotated[str, AfterValidator(check_pupil_ref)]
"""A pseudonymous pupil reference, checked by :func:`check_pupil_ref`."""


class PupilProfile(Record):
    """The pupil characteristics layer: who the pupil is and what they need."""

    kind = "pupil_profile"

    pupil: PupilRef = Field(title="Pupil reference",
                       description="A pseudonymous code, not a name (for example P-0412).")
    stage: str = Field("", title="Stage", description="For example P6 or S2.", max_length=20)
    gender: str = Field("", title="Gender", max_length=100,
                        json_schema_extra={"content": "mapping_tool.characteristic.gender"})
    siblings: str = Field("", title="Siblings", max_length=500,
                          json_schema_extra={"content": "mapping_tool.characteristic.siblings"})
    language_at_home: str = Field(
        "", title="Language spoken at home", max_length=200,
        json_schema_extra={"content": "mapping_tool.characteristic.language_at_home"})
    caring_responsibilities: str = Field(
        "", title="Caring responsibilities", max_length=1000,
        json_schema_extra={"content": "mapping_tool.characteristic.caring_responsibilities"})
    ethnicity: str = Field("", title="Ethnicity", max_length=200,
                           json_schema_extra={"content": "mapping_tool.characteristic.ethnicity"})
    neighbourhood: str = Field(
        "", title="Neighbourhood", max_length=200,
        json_schema_extra={"content": "mapping_tool.characteristic.neighbourhood"})
    simd_quintile: Literal[1, 2, 3, 4, 5] | None = Field(
        None, title="SIMD quintile", description="1 is the most deprived fifth of Scotland.")
    current_challenges: str = Field(
        "", title="Current challenges",
        json_schema_extra={**TEXTAREA, "content": "mapping_tool.characteristic.current_challenges"})
    equalities_barriers: str = Field(
        "", title="Equalities barriers",
        json_schema_extra={**TEXTAREA,
                           "content": "mapping_tool.characteristic.equalities_barriers"})
    needs: list[Need] = Field(default_factory=list, title="Needs to address",
                              description="The barriers the partnership principles name.",
                              json_schema_extra=CHECKBOXES)

    def record_key(self) -> str:
        """One profile per pupil."""
        return self.pupil


class Connection(Record):
    """A person or organisation in the pupil's world, on one of the four outer layers."""

    kind = "connection"

    pupil: PupilRef = Field(title="Pupil reference")
    id: str = Field(default_factory=new_id, title="Connection id")
    name: str = Field(title="Person or organisation", min_length=1, max_length=200)
    layer: Layer = Field(title="Layer", json_schema_extra={"choices_from": "mapping_tool.layer"})
    role: str = Field("", title="Role", max_length=200)
    quality: Quality | None = Field(
        None, title="Relationship",
        description="Strong, tenuous or stressful, as an ecomap draws it. Nothing is assumed: "
                    "until you choose, the map draws a dotted line.")
    direction: Direction = Field("to_pupil", title="Direction of support",
                                 json_schema_extra={"choices": {
                                     "to_pupil": "Support to the pupil",
                                     "from_pupil": "Support from the pupil",
                                     "both": "Both ways"}})
    offers: str = Field("", title="What they offer", json_schema_extra=TEXTAREA)
    helps_with: list[Need] = Field(default_factory=list, title="Needs they help with",
                                   json_schema_extra=CHECKBOXES)
    works_with_family: bool = Field(False, title="Already works with the family")
    done_before: str = Field("", title="What has been done before", json_schema_extra=TEXTAREA)
    key_contact: str = Field("", title="Key contact", max_length=200)
    contacted: bool = Field(False, title="Contacted")
    notes: str = Field("", title="Notes", json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """Connections are filed under their pupil."""
        return f"{self.pupil}/{self.id}"


class DirectoryEntry(Record):
    """One organisation in the workspace's local partner directory."""

    kind = "directory_entry"

    organisation: str = Field(title="Organisation", min_length=1, max_length=200)
    type: str = Field("", title="Type", max_length=100)
    offers: str = Field("", title="What it offers", json_schema_extra=TEXTAREA)
    cannot_offer: str = Field("", title="What it cannot offer", json_schema_extra=TEXTAREA)
    helps_with: list[Need] = Field(default_factory=list, title="Needs it helps with",
                                   json_schema_extra=CHECKBOXES)
    area: str = Field("", title="Area served", max_length=200)
    contact: str = Field("", title="Contact", max_length=300)
    key_contact: str = Field("", title="Key contact", max_length=200)
    layer: Layer | None = Field(
        None, title="Layer of the map",
        description="Where it usually sits on a pupil's map; leave unset for an outside "
                    "organisation (multi-agency support or community context).",
        json_schema_extra={"choices_from": "mapping_tool.layer"})
    takes_referrals: bool = Field(False, title="Takes referrals from schools")

    def record_key(self) -> str:
        """One entry per organisation (case and spacing do not make a new one)."""
        return " ".join(self.organisation.lower().split())


class Answer(Record):
    """A written answer to a framework question, for a subject (a pupil, a team, a person)."""

    kind = "answer"

    question: str = Field(title="Question id")
    subject: str = Field(title="About", min_length=1, max_length=200)
    text: str = Field("", title="Answer", json_schema_extra=TEXTAREA)

    def record_key(self) -> str:
        """One answer per question and subject."""
        return f"{self.subject}/{self.question}"
