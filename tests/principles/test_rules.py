from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from partnerkit.errors import PartnerkitError, RecordValidationError
from partnerkit.principles import rules
from partnerkit.records.base import validate_record
from partnerkit.records.plan import PrincipleRating
from tests.principles.helpers import P1


@pytest.mark.parametrize("bad", [0, 6, -1, 10, "abc", "7", 2.5, True])
def test_a_rating_outside_one_to_five_is_refused(bad):
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": P1, "rater": "school", "rating": bad})
    message = caught.value.field_errors["rating"]
    assert f"rating {bad!r} is outside 1-5" in message
    assert "1 – not yet embedded" in message and "5 – fully embedded" in message


@pytest.mark.parametrize("good, expected", [(1, 1), (5, 5), ("3", 3), (4.0, 4), (None, None)])
def test_ratings_one_to_five_or_not_yet_rated_are_accepted(good, expected):
    rating = validate_record(PrincipleRating, {"principle": P1, "rater": "school",
                                               "rating": good})
    assert rating.rating == expected


def test_an_unknown_principle_is_refused():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PrincipleRating, {"principle": "principles.nope.1", "rater": "school"})
    assert "principles.nope.1" in caught.value.field_errors["principle"]


@pytest.mark.parametrize("bad", ["", "   ", None, 5, "x" * 201])
def test_check_rater_refuses_an_empty_rater(bad):
    with pytest.raises(PartnerkitError) as caught:
        rules.check_rater(bad)
    assert 'rater="school"' in str(caught.value)


def test_check_rater_names_the_school_one_way():
    assert rules.check_rater(" School ") == "school"
    assert rules.check_rater("Eastfield  Youth Project") == "Eastfield Youth Project"
    assert rules.display_rater("SCHOOL") == "School"


@pytest.mark.parametrize("bad", ["", " ", None])
def test_a_reflection_needs_a_subject(bad):
    with pytest.raises(PartnerkitError) as caught:
        rules.check_subject(bad)
    assert 'subject="team"' in str(caught.value)
    assert rules.check_subject(" Ann ") == "Ann"


def test_a_comparison_date_is_a_moment():
    assert rules.as_moment("2026-09-01") == dt.datetime.combine(
        dt.date(2026, 9, 1), dt.time.max, tzinfo=dt.UTC)
    assert rules.as_moment(dt.datetime(2026, 9, 1, 9)).tzinfo is dt.UTC
    with pytest.raises(PartnerkitError) as caught:
        rules.as_moment(42)
    assert "give a date as YYYY-MM-DD" in str(caught.value)


def test_scores_are_shown_whole_or_to_one_decimal():
    assert [rules.format_score(v) for v in (4.0, 2.5, 3.3333, math.nan, None)] == [
        "4", "2.5", "3.3", "–", "–"]


def test_the_principles_come_in_six_groups_in_order():
    assert len(rules.groups()) == 6
    pairs = list(rules.principle_rows())
    assert pairs[0][1].id == P1
    assert rules.principle_number(P1) == "1.1"


def test_conversation_starters_need_a_gap_of_a_point():
    comparison = pd.DataFrame([
        {"group": "G", "number": "1.1", "text": "T", "school": 4.0, "partners": 2.0,
         "partner_count": 2, "gap": 2.0},
        {"group": "G", "number": "1.2", "text": "U", "school": 3.0, "partners": 3.5,
         "partner_count": 1, "gap": 0.5}])
    starters = rules.conversation_starters(comparison)
    assert len(starters) == 1
    assert "the school rated it 4 and partners 2, 2 points apart" in starters[0]
