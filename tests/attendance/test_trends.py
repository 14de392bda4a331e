"""Monthly and termly trends, by hand."""

from __future__ import annotations

import pandas as pd

from partnerkit import attendance as A
from tests.attendance.samples import (
    TOTALS,
    TREND_MARKS,
    marks,
    write,
)


def test_monthly_trend_by_hand(tmp_path):
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    trend = A.monthly_trend(data)
    assert list(trend.columns) == list(A.trends.TREND_COLUMNS)
    assert trend["period"].tolist() == ["Sep 2024", "Oct 2024", "Jan 2025"]
    assert trend["rate"].tolist() == [0.75, 0.25, 1.0]
    assert trend.loc[1, ["authorised", "unauthorised", "exclusion"]].tolist() == [0, 2, 1]
    assert trend["start"].tolist()[0] == pd.Timestamp("2024-09-02")


def test_termly_trend_default_terms_and_a_schools_own(tmp_path):
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    default = A.termly_trend(data)
    assert default["period"].tolist() == ["Autumn 2024", "Winter/spring 2025"]
    assert default["rate"].tolist() == [0.5, 1.0]
    terms = write(tmp_path, "terms.csv", "term,start,end\nTerm 1,19/08/2024,11/10/2024\n"
                                          "Term 2,28/10/2024,20/12/2024\n")
    own = A.termly_trend(data, terms=terms)
    assert own["period"].tolist() == ["Term 1"]       # January is in neither term
    assert own["rate"].tolist() == [0.5]


def test_trend_by_group(tmp_path):
    people = write(tmp_path, "pupils.csv", "pupil,fsm\nA,Yes\nB,No\n")
    data = A.load_attendance(marks(tmp_path, TREND_MARKS), people)
    trend = A.monthly_trend(data, rates=A.pupil_rates(data), by="fsm")
    september = trend[trend["period"] == "Sep 2024"].set_index("group")["rate"].to_dict()
    assert september == {"No": 0.5, "Yes": 1.0}


def test_a_totals_file_has_no_trend(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    assert A.monthly_trend(data).empty
    assert list(A.termly_trend(data).columns) == list(A.trends.TREND_COLUMNS)


