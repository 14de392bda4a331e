"""Plain text tables for the terminal."""

from __future__ import annotations

from partnerkit.admin.listing import plain_table


def test_columns_line_up_under_their_headings():
    text = plain_table(["username", "name"], [["jo", "Jo Smith"], ["alexander", "Al"]])
    assert text.splitlines() == ["username   name",
                                 "---------  --------",
                                 "jo         Jo Smith",
                                 "alexander  Al"]


def test_a_value_with_line_breaks_stays_on_its_row():
    text = plain_table(["name"], [["Jo\nSmith\t(x)"]])
    assert text.splitlines()[2] == "Jo Smith (x)"


def test_no_rows_says_so():
    assert plain_table(["a"], [], empty="(none yet)").splitlines()[2] == "(none yet)"
