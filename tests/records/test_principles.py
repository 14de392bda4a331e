"""Principle ratings: one rater's 1-5 rating of one partnership principle."""

from __future__ import annotations

import pytest

from partnerkit.errors import RecordValidationError
from partnerkit.records.base import validate_record
from partnerkit.records.principles import PrincipleRating, check_rating, rater_key


def test_a_rating_is_keyed_by_its_rater_and_principle():
    rating = PrincipleRating(principle="principles.approaches.3", rater="  Family   Team ")
    assert rating.rater == "Family   Team"
    assert rating.record_key() == "family team/principles.approaches.3"
    assert rater_key("SCHOOL") == "school"


def test_a_principle_rating_needs_a_rater():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": "principles.approaches.3", "rater": ""})
    assert caught.value.field_errors["rater"] == "this is required"


def test_a_rating_must_name_a_principle_of_the_content():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": "six_steps.1.1", "rater": "school"})
    assert "not a partnership principle" in caught.value.field_errors["principle"]


@pytest.mark.parametrize(("given", "kept"), [(None, None), ("", None), (3, 3), (4.0, 4),
                                             (" 5 ", 5)])
def test_a_rating_is_1_to_5_or_not_yet_given(given, kept):
    assert check_rating(given) == kept


@pytest.mark.parametrize("given", [0, 6, 2.5, "x", True])
def test_a_rating_outside_1_to_5_says_the_scale(given):
    with pytest.raises(ValueError, match="outside 1-5"):
        check_rating(given)
