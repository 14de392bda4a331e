"""On a served page an item's form and the step's tools are built when they are opened."""

from __future__ import annotations

from partnerkit.records.base import load_record, save_record
from partnerkit.records.plan import ChecklistProgress, VisionTool
from partnerkit.six_steps import rules, views
from partnerkit.store import Store
from tests.six_steps.helpers import progress


def served(session_for):
    session = session_for()
    session.served = True
    return session


def item_section(view: views.StepView, item_id: str):
    """The section that opens an item's form (the last part of the item's box)."""
    index = rules.item_ids(view.step).index(item_id)
    return view.children[3 + index].children[-1]


def test_every_item_shows_its_words_and_marker_and_no_form_until_opened(session_for,
                                                                       store: Store):
    view = views.step_view(served(session_for), 1)
    assert view.forms == {} and view.histories == {}
    for index, item in enumerate(rules.step_items(1)):
        box = view.children[3 + index]
        assert item.text[:30] in box.children[0].value
        assert box.children[1] is view.markers[item.id]
    section = item_section(view, "six_steps.1.2")
    assert section.titles == ("Record progress on item 1.2",) and section.built == {}


def test_an_item_opened_later_shows_what_was_saved_since_and_saves_like_before(
        session_for, store: Store):
    view = views.step_view(served(session_for), 3)
    save_record(store, "school", progress("six_steps.3.2", "in_progress", owner="Ms Bell"),
                "Bo")                                  # saved in another tab
    item_section(view, "six_steps.3.2").selected_index = 0
    form = view.forms["six_steps.3.2"]
    assert form.editors["owner"].input.value == "Ms Bell"
    form.editors["status"].input.value = "done"
    saved = load_record(store, "school", ChecklistProgress, "six_steps.3.2")
    assert (saved.status, saved.owner) == ("done", "Ms Bell")
    assert view.step_bar.progress.done == 1
    assert "Done" in view.markers["six_steps.3.2"].value
    assert "Ms Bell" in view.histories["six_steps.3.2"].value


def test_a_save_in_an_opened_item_moves_the_markers_of_the_others_too(session_for,
                                                                     store: Store):
    view = views.step_view(served(session_for), 3)
    item_section(view, "six_steps.3.1").selected_index = 0
    view.forms["six_steps.3.1"].editors["status"].input.value = "done"
    assert view.plan_bar.progress.done == 1 and list(view.forms) == ["six_steps.3.1"]


def test_the_step_tools_are_a_section_whose_form_saves_when_opened(session_for,
                                                                   store: Store):
    tools = views.step_tools(served(session_for), 1)
    assert tools.titles == (views.tools_section_title(1),) and tools.built == {}
    tools.selected_index = 0
    form = tools.built[0].children[-1]
    form.editors["vision"].input.value = "Every pupil in school every day"
    assert load_record(store, "school", VisionTool, "plan").vision == (
        "Every pupil in school every day")
