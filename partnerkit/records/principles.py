"""Records of the partnership principles self-evaluation: one rater's 1-5 rating of a principle.

The school rates as ``"school"``; a partner rates under its organisation's name. A
rating may be left unset (not yet rated); the principle is checked against the content
when a rating is made, not when this module is imported.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from partnerkit.content import load_content
from partnerkit.records.base import Record

TEXTAREA = {"widget": "textarea"}

RATING_LABELS: dict[int, str] = {
    1: "1 – not yet embedded", 2: "2 – starting to be embedded", 3: "3 – partly embedded",
    4: "4 – mostly embedded", 5: "5 – fully embedded"}
"""The 1-5 scale of the principles self-evaluation, with its words."""

SCHOOL_RATER = "school"
"""The rater name the school uses; a partner rates under its organisation's name."""


def check_principle_id(value: str) -> str:
    """Return a partnership principle id (``principles.<group>.N``) or raise ValueError."""
    value = (value or "").strip()
    content = load_content()
    if value not in content or content.item(value).kind != "principle":
        raise ValueError(f"{value!r} is not a partnership principle; use an id such as "
                         "principles.communication.1")
    return value


def rater_key(rater: str) -> str:
    """The rater part of a rating's key: lower case, single spaces."""
    return " ".join((rater or "").lower().split())


def check_rating(value: Any) -> int | None:
    """Return a rating 1-5 (or None for not yet rated) or raise ValueError saying the scale."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or not 1 <= number <= 5:
        raise ValueError(f"rating {value!r} is outside 1-5; rate from "
                         f"{RATING_LABELS[1]!r} to {RATING_LABELS[5]!r}")
    return number


class PrincipleRating(Record):
    """One rater's rating (1-5) of how far one partnership principle is embedded."""

    kind = "principle_rating"

    principle: str = Field(title="Principle")
    rater: str = Field(title="Rated by", min_length=1, max_length=200,
                       description='"school", or the partner organisation\'s name.')
    rating: Literal[1, 2, 3, 4, 5] | None = Field(
        None, title="How far is this embedded?", json_schema_extra={"choices": RATING_LABELS})
    evidence: str = Field("", title="Evidence", json_schema_extra=TEXTAREA,
                          description="What you see that shows this rating.")

    @field_validator("principle")
    @classmethod
    def _known_principle(cls, value: str) -> str:
        return check_principle_id(value)

    @field_validator("rating", mode="before")
    @classmethod
    def _rating_in_range(cls, value: Any) -> Any:
        return check_rating(value)

    def record_key(self) -> str:
        """One rating per rater and principle."""
        return f"{rater_key(self.rater)}/{self.principle}"
