"""Stretch aims: the trajectory against the results."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerkit import attendance as A
from partnerkit.errors import InputFileError
from tests.attendance.samples import (
    PUPIL_TOTALS,
    PUPILS,
    assert_names,
    write,
)


def test_stretch_aim_tracker_by_hand(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    rates = A.pupil_rates(data)
    trajectory = write(tmp_path, "aims.csv", "year,overall,q1,q5,gap,overall_actual\n"
                                              "2023/24,92,80,96,14,91\n2024/25,93,86,96,10,\n")
    tracker = A.stretch_aim_tracker(trajectory, rates, "2024/25")
    assert list(tracker.columns) == list(A.stretch.TRACKER_COLUMNS)
    this_year = tracker[tracker["year"] == "2024/25"].set_index("key")
    assert this_year.loc["overall", "actual"] == pytest.approx(464 / 500 * 100)  # 92.8%
    assert bool(this_year.loc["overall", "on_track"]) is False                   # target 93
    assert this_year.loc["q1", "actual"] == pytest.approx(85.0)
    assert this_year.loc["gap", "actual"] == pytest.approx(12.0)                 # 97 - 85
    assert bool(this_year.loc["gap", "on_track"]) is False                       # target 10
    last_year = tracker[tracker["year"] == "2023/24"].set_index("key")
    assert last_year.loc["overall", "difference"] == pytest.approx(-1.0)
    assert pd.isna(last_year.loc["q1", "on_track"])


def test_a_trajectory_with_text_for_a_number_is_refused(tmp_path):
    trajectory = write(tmp_path, "aims.csv", "year,overall\n2024/25,ninety\n")
    with pytest.raises(InputFileError) as info:
        A.read_trajectory(trajectory)
    assert_names(info.value, file="aims.csv", row=2, column="overall", value="ninety")


