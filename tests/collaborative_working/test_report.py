"""Tests for partnerkit.collaborative_working.report and .charts: sections, cohort, the wheel."""

from __future__ import annotations

from markupsafe import escape
from matplotlib.figure import Figure

from partnerkit import collaborative_working as cw
from partnerkit.content import load_content
from partnerkit.records.base import save_record
from partnerkit.records.module import WHEEL_AREAS, WheelRating
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO

# ------------------------------------------------------------------ sections


def test_sections_follow_the_module_order_with_paraphrased_narrative():
    content = load_content()
    assert list(cw.SECTIONS) == ["6.1", "6.2", "6.3", "6.4"]
    for number, section_id in cw.SECTIONS.items():
        page = cw.section_html(number)
        item = content.item(section_id)
        assert f"{item.number} {item.title}" in page
        assert escape(item.summary.split(".")[0]) in page  # the paraphrase, from content
    assert "Assessment/identification of needs" in cw.section_html("6.1")
    assert "Alternative seating" in cw.section_html("6.1")
    assert "Small class setting" in cw.section_html("6.1")
    assert content.item("module6.parent_barriers.2").text in cw.section_html("6.2")
    assert "Child and Adolescent Mental Health Service" in cw.section_html("6.3")
    assert content.item("module6.request_for_assistance.agreement").text in \
        cw.section_html("6.3")


def test_cohort_html_says_the_rule_and_escapes_the_workspace(store: Store):
    store.ensure_workspace("<b>cohort</b>")
    page = cw.cohort_html(store, "<b>cohort</b>")
    assert "Cohort summary: <bdi>&lt;b&gt;cohort&lt;/b&gt;</bdi>" in page
    assert "<b>cohort" not in page
    assert "shown as &#39;&lt;5&#39;" in page and "&#39;c&#39;" in page
    assert page.count("<table") == 4 and "<th scope=\"col\">Practitioners</th>" in page


# ------------------------------------------------------------------ wheel


def test_wheel_areas_cite_module_content():
    content = load_content()
    assert len(WHEEL_AREAS) >= 6
    for _label, content_id in WHEEL_AREAS.values():
        assert content.framework_of(content_id).id == "module6"


def test_wheel_draws_start_and_end_one_over_the_other(store: Store):
    figure = cw.wheel_chart(store, "school", WHO)
    assert isinstance(figure, Figure)
    assert "not completed yet" in figure.axes[0].get_title()
    save_record(store, "school", WheelRating(practitioner=WHO, moment="start",
                                             **dict.fromkeys(WHEEL_AREAS, 2)), WHO)
    one = cw.wheel_chart(store, "school", WHO).axes[0]
    assert len(one.lines) == 1
    end = dict.fromkeys(WHEEL_AREAS, 4)
    end["parents"] = None
    save_record(store, "school", WheelRating(practitioner=WHO, moment="end", **end), WHO)
    axes = cw.wheel_chart(store, "school", WHO).axes
    assert len(axes) == 1  # one radar: both wheels on the same axes
    lines = axes[0].lines
    assert [line.get_label() for line in lines] == ["Start", "End"]
    assert list(lines[0].get_ydata()[:-1]) == [2] * len(WHEEL_AREAS)
    assert 0 in list(lines[1].get_ydata()) and "1 area rating not given" in \
        axes[0].get_title()
