from __future__ import annotations

from partnerkit.principles import report
from partnerkit.reports.parts import render_part
from partnerkit.store import Store
from tests.principles.helpers import P1, P2, rate


def test_report_context_has_the_wheel_scores_and_starters(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "Youth Project", P1, 1)
    context = report.report_context(store, "school")
    assert context["rated"] == 3 and context["raters"] == ["school", "Youth Project"]
    assert str(context["wheel_svg"]).startswith("<svg")
    assert context["group_scores"][0] == {"group": "Understanding barriers", "school": "3",
                                          "partners": "1"}
    assert context["group_scores"][1]["school"] == "–"
    assert context["starters"][0].startswith("Principle 1.1")


def test_report_context_without_ratings_has_no_wheel(store: Store):
    context = report.report_context(store, "school")
    assert (context["rated"], context["wheel_svg"], context["starters"]) == (0, "", [])


def test_the_summary_part_escapes_starters():
    shown = render_part("principles_summary", principles={
        "rated": 1, "raters": ["<b>A</b>"], "wheel_svg": "", "group_scores": [],
        "starters": ["x < y"]})
    assert "&lt;b&gt;A&lt;/b&gt;" in shown and "x &lt; y" in shown
