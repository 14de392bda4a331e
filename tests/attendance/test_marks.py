"""Per-opening marks counted into the grid, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerkit import attendance as A
from tests.attendance.samples import (
    HAND_MARKS,
    marks,
)


def test_marks_are_counted_by_hand(tmp_path):
    data = A.load_attendance(marks(tmp_path, HAND_MARKS))
    totals = data.totals.set_index("pupil")
    assert totals.loc["A"].to_dict() == {"possible": 5, "attended": 2, "authorised": 1,
                                        "unauthorised": 1, "exclusion": 1, "not_counted": 1}
    # "2" and "02" are the same code; B has two openings of extended leave
    assert totals.loc["B"].to_dict() == {"possible": 2, "attended": 2, "authorised": 0,
                                        "unauthorised": 0, "exclusion": 0, "not_counted": 2}
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["A", "rate"] == pytest.approx(2 / 5)
    assert rates.loc["B", "rate"] == 1.0
    frame = data.marks.frame()
    assert list(frame.columns) == ["pupil", "date", "session", "code", "category"]
    assert len(frame) == len(HAND_MARKS)
    assert frame.iloc[0].to_dict() == {"pupil": "A", "date": pd.Timestamp("2024-09-02"),
                                       "session": "AM", "code": "10", "category": "attendance"}


