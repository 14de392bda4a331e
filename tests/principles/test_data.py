from __future__ import annotations

import datetime as dt
import math

import pytest

from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError
from partnerkit.principles import data, rules
from partnerkit.records.plan import PrincipleRating
from partnerkit.store import Store
from tests.principles.helpers import P1, P2, P3, rate


def test_school_against_partners_worked_by_hand(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "school", P3, 5)
    rate(store, "Youth Project", P1, 2)
    rate(store, "Youth Project", P2, 3)
    rate(store, "Family Team", P1, 3)
    rate(store, "Family Team", P2, None)          # not rated: left out of the average
    frame = data.compare_ratings(store, "school")
    assert list(frame.columns) == list(data.RATERS_COLUMNS)
    top = frame.head(2).to_dict("records")
    assert top[0]["principle"] == P1
    assert (top[0]["school"], top[0]["partners"], top[0]["partner_count"]) == (4, 2.5, 2)
    assert (top[0]["difference"], top[0]["gap"]) == (-1.5, 1.5)
    assert top[1]["principle"] == P2
    assert (top[1]["school"], top[1]["partners"], top[1]["gap"]) == (2, 3, 1)
    unrated = frame[frame["principle"] == P3].iloc[0]
    assert math.isnan(unrated["partners"]) and math.isnan(unrated["gap"])
    assert frame["gap"].iloc[2:].isna().all()     # rows with one side missing come last
    assert len(frame) == len(load_content().items("principles", kind="principle"))


def test_conversation_starters_list_the_widest_gaps(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "school", P3, 3)
    rate(store, "Youth Project", P1, 2)
    rate(store, "Youth Project", P2, 3)
    rate(store, "Youth Project", P3, 3)
    starters = rules.conversation_starters(data.compare_ratings(store, "school"))
    assert len(starters) == 2                     # P3 agrees: nothing to start with
    assert starters[0].startswith("Principle 1.1 (Understanding barriers)")
    assert "the school rated it 4 and your partner 2, 2 points apart" in starters[0]
    assert "1 point apart" in starters[1]


def test_no_starters_when_only_the_school_has_rated(store: Store):
    rate(store, "school", P1, 1)
    assert rules.conversation_starters(data.compare_ratings(store, "school")) == []


def test_comparison_between_two_dates_worked_by_hand(store: Store, clock):
    rate(store, "school", P1, 2)
    rate(store, "school", P2, 3)
    first_day = clock().date()
    clock.advance(days=10)
    rate(store, "school", P1, 4)
    rate(store, "Youth Project", P1, 3)
    frame = data.compare_ratings(store, "school", date_a=first_day)
    assert list(frame.columns) == list(data.DATES_COLUMNS)
    rows = {(r["principle"], r["rater"]): r for r in frame.to_dict("records")}
    assert (rows[(P1, "school")]["before"], rows[(P1, "school")]["after"],
            rows[(P1, "school")]["change"]) == (2, 4, 2)
    assert rows[(P2, "school")]["change"] == 0
    partner = rows[(P1, "Youth Project")]
    assert math.isnan(partner["before"]) and partner["after"] == 3
    only_school = data.compare_ratings(store, "school", date_a=first_day.isoformat(),
                                       rater="School")
    assert set(only_school["rater"]) == {"school"}


def test_over_time_compares_the_first_day_of_rating_with_now(store: Store, clock):
    rate(store, "school", P1, 1)
    assert data.rating_dates(store, "school") is None
    assert data.compare_ratings(store, "school", over_time=True).empty
    clock.advance(days=40)
    rate(store, "school", P1, 3)
    first, now = data.rating_dates(store, "school")
    assert first.date() == dt.date(2026, 9, 1) and now == clock()
    frame = data.compare_ratings(store, "school", over_time=True, rater="school")
    assert frame.iloc[0][["before", "after", "change"]].tolist() == [1, 3, 2]


def test_ratings_as_they_were_on_a_date(store: Store, clock):
    rate(store, "school", P1, 2)
    clock.advance(days=5)
    rate(store, "school", P1, 5)
    rate(store, "Youth Project", P2, 4)
    then = data.load_ratings(store, "school", as_of=dt.date(2026, 9, 1))
    assert [(r.rater, r.rating) for r in then] == [("school", 2)]


def test_a_comparison_date_that_is_not_a_date_says_so(store: Store):
    with pytest.raises(PartnerkitError) as caught:
        data.compare_ratings(store, "school", date_a="last spring")
    assert "give a date as YYYY-MM-DD" in str(caught.value)


def test_raters_school_first_then_partners(store: Store):
    rate(store, "Youth Project", P1, 2)
    rate(store, "school", P1, 4)
    assert data.raters(store, "school") == ["school", "Youth Project"]


def test_group_scores_worked_by_hand():
    ratings = [PrincipleRating(principle=P1, rater="school", rating=4),
               PrincipleRating(principle=P2, rater="school", rating=2),
               PrincipleRating(principle=P1, rater="A", rating=5),
               PrincipleRating(principle=P2, rater="B", rating=2),
               PrincipleRating(principle=P3, rater="B", rating=None)]
    scores = data.group_scores(ratings)
    assert list(scores.columns) == list(data.GROUP_SCORE_COLUMNS)
    assert list(scores.index) == [g.title for g in rules.groups()]
    assert scores.loc["Understanding barriers"].tolist() == [3.0, 3.5]
    assert scores.loc["Communication"].isna().all()


def test_ratings_frame_has_fixed_columns_in_the_documents_order():
    ratings = [PrincipleRating(principle=P3, rater="A", rating=None),
               PrincipleRating(principle=P1, rater="school", rating=4)]
    frame = data.ratings_frame(ratings)
    assert list(frame.columns) == list(data.RATING_COLUMNS)
    assert list(frame["principle"]) == [P1, P3]
    assert frame.iloc[0]["number"] == "1.1" and math.isnan(frame.iloc[1]["rating"])
