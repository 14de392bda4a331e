"""Sharing attendance tables by the one small-numbers rule (partnerkit.disclosure)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerkit import attendance as A
from partnerkit.attendance.summary import shareable_overview
from tests.attendance.samples import PUPIL_TOTALS, PUPILS, write

PEOPLE = ("pupils", "pupils_with_openings", "low_attendance", "no_possible")


def stage_table(pupils, low, no_possible=None) -> pd.DataFrame:
    n = len(pupils)
    no_possible = no_possible or [0] * n
    return pd.DataFrame({
        "characteristic": ["Stage"] * n, "group": [f"S{i + 1}" for i in range(n)],
        "pupils": pupils,
        "pupils_with_openings": [p - z for p, z in zip(pupils, no_possible, strict=True)],
        "possible": [100.0 * p for p in pupils], "attended": [90.0 * p for p in pupils],
        "rate": [0.9] * n, "low_attendance": low,
        "low_attendance_share": [lo / p if p else float("nan")
                                 for lo, p in zip(low, pupils, strict=True)],
        "no_possible": no_possible})


def test_counts_of_one_to_four_are_hidden_and_what_reveals_them():
    shared = A.shareable(stage_table([3, 6, 20, 40], [1, 2, 8, 0])).set_index("group")
    assert shared.loc["S1", "pupils"] == "<5"
    assert shared.loc["S1", "rate"] == "c" and shared.loc["S1", "possible"] == "c"
    # only S1 was small, so the next smallest (S2) is hidden too
    assert shared.loc["S2", "pupils"] == "c" and shared.loc["S2", "rate"] == "c"
    assert shared.loc["S2", "low_attendance"] == "<5"          # 2 is small: still "<5"
    assert shared.loc["S3", "pupils"] == "20" and shared.loc["S3", "rate"] == "90.0%"
    assert shared.loc["S3", "low_attendance"] == "8"
    assert shared["suppressed"].tolist() == [True, True, False, False]
    assert list(A.shareable(stage_table([3], [1])).columns) == [
        *stage_table([3], [1]).columns, "suppressed"]


def test_zero_is_shown_as_zero():
    shared = A.shareable(stage_table([3, 6, 20, 40], [1, 2, 8, 0])).set_index("group")
    assert shared.loc["S4", "low_attendance"] == "0"           # names nobody: shown
    assert shared.loc["S4", "low_attendance_share"] == "0.0%"
    assert shared.loc["S3", "no_possible"] == "0"
    bands = A.shareable(pd.DataFrame({"band": ["Under 50%", "95% and over"],
                                      "pupils": [0, 30], "share": [0.0, 1.0]}))
    assert bands["pupils"].tolist() == ["0", "30"] and bands["share"].tolist() == ["0.0%",
                                                                                  "100.0%"]


def test_one_small_count_in_a_column_hides_the_next_smallest_of_that_column():
    # no row is small, but one group's flagged count is: the total flagged is known
    shared = A.shareable(stage_table([30, 40, 50], [2, 9, 12])).set_index("group")
    assert shared["suppressed"].tolist() == [False, False, False]
    assert shared["low_attendance"].tolist() == ["<5", "c", "12"]
    assert shared["low_attendance_share"].tolist()[:2] == ["c", "c"]
    assert shared.loc["S2", "pupils"] == "40" and shared.loc["S2", "rate"] == "90.0%"


def test_each_characteristic_is_its_own_partition():
    table = pd.concat([stage_table([3, 30, 40], [0, 5, 6]),
                       stage_table([35, 38], [5, 6]).assign(characteristic="Sex")])
    shared = A.shareable(table)
    assert shared["suppressed"].tolist() == [True, True, False, False, False]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=6))
def test_no_shown_people_count_is_small_and_no_single_hidden_one_is_recoverable(groups):
    pupils = [a + b for a, b in groups]
    low = [min(a, p) for (a, _), p in zip(groups, pupils, strict=True)]
    shared = A.shareable(stage_table(pupils, low))
    for column in ("pupils", "low_attendance"):
        cells = shared[column].tolist()
        hidden = [c in ("<5", "c") for c in cells]
        shown = [int(c.replace(",", "")) for c in cells if c not in ("<5", "c")]
        assert all(v == 0 or v >= 5 for v in shown)
        counts = pupils if column == "pupils" else low
        # a count hidden alone could be worked out from the total and the others, unless
        # every other count is zero (then nothing more could be hidden to protect it)
        assert sum(hidden) != 1 or all(c == 0 for c, h in zip(counts, hidden, strict=True)
                                       if not h)


def test_a_real_breakdown_never_shows_a_count_of_one_to_four(tmp_path):
    data = A.load_attendance(write(tmp_path, "totals.csv", PUPIL_TOTALS),
                             write(tmp_path, "pupils.csv", PUPILS))
    shared = A.shareable(A.breakdowns(A.pupil_rates(data)))
    for column in PEOPLE:
        shown = shared[column][~shared[column].isin(["<5", "c"])]
        assert all(int(v.replace(",", "")) == 0 or int(v.replace(",", "")) >= 5
                   for v in shown)


def test_the_overview_hides_a_small_part_and_the_part_that_gives_it_away(tmp_path):
    rows = "".join(f"P{i},100,{99 if i else 0}\n" for i in range(20))
    data = A.load_attendance(write(tmp_path, "totals.csv", "pupil,possible,attended\n"
                                   + rows.replace("P0,100,0", "P0,0,0")))
    shown = shareable_overview(A.pupil_rates(data), 0.9).set_index("measure")["shown"]
    assert shown["Pupils"] == "20"
    assert shown["Pupils with no possible openings"] == "<5"
    # 20 pupils shown: with openings (19) would give the hidden 1 away
    assert shown["Pupils with possible openings"] == "c"
    assert shown["Pupils at or below 90%"] == "0"             # zero shown
    assert shown["Share of pupils at or below 90%"] == "c"    # worked out from a hidden count
