"""Attendance measures: rates, the threshold, bands, breakdowns and the overview."""

from __future__ import annotations

import math

import pytest

from partnerkit import attendance as A
from partnerkit.errors import PartnerkitError
from tests.attendance.samples import (
    PUPIL_TOTALS,
    PUPILS,
    TOTALS,
    marks,
    write,
)


def test_totals_rates_flag_and_bands_by_hand(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    assert data.marks is None and data.reports[-1].shape == "totals"
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["P1", "rate"] == 0.9                      # 342 / 380: exactly 90%
    assert bool(rates.loc["P1", "low_attendance"]) is True      # inclusive boundary
    assert rates.loc["P2", "rate"] == pytest.approx(343 / 380)  # 90.26%: just above
    assert bool(rates.loc["P2", "low_attendance"]) is False
    assert math.isnan(rates.loc["P3", "rate"])                  # no possible openings
    assert bool(rates.loc["P3", "low_attendance"]) is False
    assert rates.loc["P3", "band"] == "No possible openings"
    assert rates.loc["P4", "band"] == "50% to under 80%"        # 50% exactly
    assert rates.loc["P5", "band"] == "Under 50%"               # 49.5%
    assert rates.loc["P6", "band"] == "95% and over"            # 95% exactly
    assert rates.loc["P1", "band"] == "90% to under 95%"
    assert list(A.pupil_rates(data).columns) == list(A.measures.RATE_COLUMNS)
    bands = A.band_counts(A.pupil_rates(data))
    assert list(bands.columns) == ["band", "pupils", "share"]
    assert bands.set_index("band")["pupils"].to_dict() == {
        "Under 50%": 1, "50% to under 80%": 1, "80% to under 90%": 0,
        "90% to under 95%": 2, "95% and over": 1, "No possible openings": 1}


@pytest.mark.parametrize("threshold", [0.95, 95])
def test_threshold_is_a_parameter_and_a_percentage_is_read(tmp_path, threshold):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    rates = A.pupil_rates(data, threshold=threshold).set_index("pupil")
    assert rates["low_attendance"].to_dict() == {
        "P1": True, "P2": True, "P3": False, "P4": True, "P5": True, "P6": True}


@pytest.mark.parametrize("threshold", [0, -1, 101, "high"])
def test_a_threshold_out_of_range_is_refused(tmp_path, threshold):
    data = A.load_attendance(write(tmp_path, "totals.csv", TOTALS))
    with pytest.raises(PartnerkitError, match="threshold"):
        A.pupil_rates(data, threshold=threshold)


def test_overview_never_divides_by_zero(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", "pupil,possible,attended\nP1,0,0\n"))
    table = A.overview(A.pupil_rates(data)).set_index("measure")
    assert table.loc["Pupils with no possible openings", "value"] == 1
    assert table.loc["Overall attendance rate", "shown"] == "no openings"


def test_quintile_breakdown_gap_and_basis(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    rates = A.pupil_rates(data)
    table = A.quintile_breakdown(rates)
    assert list(table.columns) == list(A.measures.BREAKDOWN_COLUMNS)
    assert table["group"].tolist() == ["Q1 (most deprived)", "Q2", "Q3", "Q4",
                                       "Q5 (least deprived)"]
    assert set(table["characteristic"]) == {"SIMD quintile (national)"}
    q = table.set_index("group")
    assert q.loc["Q1 (most deprived)", "rate"] == pytest.approx(170 / 200)
    assert q.loc["Q5 (least deprived)", "rate"] == pytest.approx(194 / 200)
    assert q.loc["Q1 (most deprived)", "low_attendance"] == 2   # 80% and 90%
    assert q.loc["Q2", "pupils"] == 0 and math.isnan(q.loc["Q2", "rate"])
    assert A.quintile_gap(rates) == pytest.approx((194 - 170) / 200 * 100)
    local = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                              write(tmp_path, "pupils.csv", PUPILS), simd_basis="local")
    assert set(A.quintile_breakdown(A.pupil_rates(local))["characteristic"]) == {
        "SIMD quintile (local)"}


def test_breakdown_by_each_characteristic(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    table = A.breakdowns(A.pupil_rates(data))
    assert set(table["characteristic"]) == {"Stage", "SIMD quintile (national)",
                                            "Free school meals", "Care experienced"}
    fsm = table[table["characteristic"] == "Free school meals"].set_index("group")
    assert fsm["pupils"].to_dict() == {"No": 2, "Yes": 2, "Not recorded": 1}
    assert fsm.loc["Yes", "rate"] == pytest.approx(170 / 200)


def test_zero_possible_openings_shown_as_such(tmp_path):
    rows = ["A,02/09/2024,AM,02", "A,02/09/2024,PM,02", "B,02/09/2024,AM,10"]
    data = A.load_attendance(marks(tmp_path, rows))
    rates = A.pupil_rates(data).set_index("pupil")
    assert rates.loc["A", "possible"] == 0 and math.isnan(rates.loc["A", "rate"])
    assert rates.loc["A", "band"] == "No possible openings"
    table = A.breakdown(A.pupil_rates(data), "sex")
    assert table[["pupils", "pupils_with_openings", "no_possible"]].values.tolist() == [[2, 1, 1]]
    assert table["rate"].tolist() == [1.0]


