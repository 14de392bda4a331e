"""The printed ecomap shares its page with its description in words."""

from __future__ import annotations

from partnerkit.mapping_tool.report import ECOMAP_MM, ecomap_print_height


def test_a_short_description_leaves_the_drawing_its_full_height():
    assert ecomap_print_height("Ecomap for P-1: no connections yet.") == ECOMAP_MM[1]


def test_each_line_of_description_takes_height_from_the_drawing():
    ten = "\n".join(["Ring 1: a connection."] * 10)
    twenty = "\n".join(["Ring 1: a connection."] * 20)
    assert ECOMAP_MM[0] < ecomap_print_height(twenty) < ecomap_print_height(ten) < ECOMAP_MM[1]


def test_a_long_line_counts_as_the_lines_it_wraps_to():
    one_long = "x " * 200   # wraps to about five printed lines
    assert ecomap_print_height(one_long) == ecomap_print_height("\n".join(["x"] * 5))


def test_a_very_long_description_never_shrinks_the_drawing_past_reading():
    assert ecomap_print_height("\n".join(["a line"] * 400)) == ECOMAP_MM[0]
