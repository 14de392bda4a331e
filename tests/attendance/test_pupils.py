"""Characteristics: SIMD deciles to quintiles, tidied values."""

from __future__ import annotations

import pytest

from partnerkit import attendance as A
from tests.attendance.samples import (
    PUPIL_TOTALS,
    PUPILS,
    write,
)


@pytest.mark.parametrize(("decile", "quintile"),
                         [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5),
                          (10, 5)])
def test_decile_to_quintile(decile, quintile):
    assert A.decile_to_quintile(decile) == quintile


@pytest.mark.parametrize("decile", [0, 11])
def test_decile_out_of_range(decile):
    with pytest.raises(ValueError):
        A.decile_to_quintile(decile)


def test_characteristics_are_tidied(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    pupils = data.pupils.set_index("pupil")
    assert list(data.pupils.columns) == list(A.pupils.PUPIL_COLUMNS)
    assert pupils["fsm"].to_dict() == {"Q1a": "Yes", "Q1b": "Yes", "Q5a": "No", "Q5b": "No",
                                       "Q3a": "Not recorded"}
    assert pupils["care_experienced"].to_dict()["Q3a"] == "Not recorded"
    assert pupils["simd_quintile"].tolist() == [1, 1, 5, 5, 3]
    assert pupils["sex"].unique().tolist() == ["Not recorded"]


