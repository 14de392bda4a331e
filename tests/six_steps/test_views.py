from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import pytest

from partnerkit.errors import StepError
from partnerkit.records.base import load_record, save_record
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import STEP_TOOLS, ChecklistProgress, DeliveryTool, VisionTool
from partnerkit.six_steps import rules, views
from partnerkit.store import Store
from tests.six_steps.helpers import plan, progress


def test_step_form_refuses_a_due_date_before_the_plan_start(session_for, store: Store):
    plan(store)
    view = views.step_view(session_for(), 1)
    form = view.forms["six_steps.1.1"]
    form.editors["due"].input.value = dt.date(2026, 8, 1)
    assert "before the plan starts" in form.editors["due"].message.value
    assert store.get("school", "checklist_progress", "six_steps.1.1") is None
    form.editors["due"].input.value = dt.date(2026, 9, 30)
    assert store.get("school", "checklist_progress", "six_steps.1.1").data["due"] == "2026-09-30"
    assert form.editors["due"].message.value == form.editors["due"].notes


def test_step_form_warns_but_saves_an_item_in_progress_with_no_owner(session_for, store: Store):
    view = views.step_view(session_for(), 2)
    form = view.forms["six_steps.2.3"]
    form.editors["status"].input.value = "in_progress"
    saved = store.get("school", "checklist_progress", "six_steps.2.3")
    assert saved is not None and saved.data["status"] == "in_progress"
    assert "nobody owns it" in form.editors["owner"].message.value
    form.editors["owner"].input.value = "Mr Khan"
    assert form.editors["owner"].message.value == form.editors["owner"].notes


def test_a_stored_item_in_progress_without_owner_shows_the_warning_on_opening(
        session_for, store: Store):
    save_record(store, "school", progress("six_steps.4.2", "in_progress"), "Ann")
    view = views.step_view(session_for(), 4)
    assert "nobody owns it" in view.forms["six_steps.4.2"].editors["owner"].message.value
    owner = view.forms["six_steps.4.1"].editors["owner"]
    assert owner.message.value == owner.notes


def test_a_bad_step_is_refused_before_anything_is_drawn(session_for, store: Store):
    with pytest.raises(StepError):
        views.step_view(session_for(), 7)
    with pytest.raises(StepError):
        views.step_tools(session_for(), "abc")


def test_saving_moves_the_bars_and_the_marker(session_for, store: Store, clock):
    view = views.step_view(session_for(), 3)
    assert view.step_bar.progress.done == 0
    form = view.forms["six_steps.3.1"]
    form.editors["status"].input.value = "done"
    assert view.step_bar.progress.done == 1
    assert view.step_bar.bar.value == 33
    assert "Step 3:</strong> 1 of 3 items done (33%)" in view.step_bar.text.value
    assert "Whole plan:</strong> 1 of 26 items done (3%)" in view.plan_bar.text.value
    assert "Done" in view.markers["six_steps.3.1"].value
    late = view.forms["six_steps.3.2"]
    late.editors["due"].input.value = dt.date(2026, 8, 30)
    assert "Overdue" in view.markers["six_steps.3.2"].value
    assert 'class="pk-marker pk-overdue"' in view.markers["six_steps.3.2"].value
    assert "1 overdue" in view.step_bar.text.value


def test_two_people_editing_one_item_keep_both_changes(session_for, store: Store, clock):
    ann = views.step_view(session_for("Ann"), 1).forms["six_steps.1.4"]
    bob_view = views.step_view(session_for("Bob"), 1)
    bob = bob_view.forms["six_steps.1.4"]
    ann.editors["owner"].input.value = "Ann Duffy"
    clock.advance(minutes=1)
    bob.editors["status"].input.value = "in_progress"
    current = load_record(store, "school", ChecklistProgress, "six_steps.1.4")
    assert current.status == "in_progress" and current.owner == ""   # the later is current
    shown = bob_view.histories["six_steps.1.4"].value          # and the earlier is visible
    assert "Ann Duffy" in shown and shown.index("Bob") < shown.index("Ann")
    assert "1 September 2026" in shown                          # when, in words


def test_the_history_and_item_text_escape_what_people_typed(store: Store):
    save_record(store, "school", progress("six_steps.1.1", owner="<b>Ann</b>"), "<i>x</i>")
    shown = views.history_html(store, "school", "six_steps.1.1")
    assert "&lt;b&gt;Ann&lt;/b&gt;" in shown and "&lt;i&gt;x&lt;/i&gt;" in shown
    assert "<b>" not in shown
    assert "No changes saved yet." in views.history_html(store, "school", "six_steps.1.2")


def test_step_one_key_contacts_come_from_the_partner_directory(session_for, store: Store):
    save_record(store, "school", DirectoryEntry(organisation="Eastfield Youth Project",
                                                key_contact="Sam Reid", contact="0141"), "Ann")
    box = views.step_tools(session_for(), "1")
    form = box.children[-1]
    rows = form.editors["key_contacts"].input.value
    assert [r["partner"] for r in rows] == ["Eastfield Youth Project"]
    assert rows[0]["partner_contact"] == "Sam Reid"
    assert store.get("school", "plan_vision", "plan") is None       # not saved until edited
    link = box.children[0].value
    assert 'href="attendance.ipynb?workspace=school&amp;author=Ann"' in link
    assert "listed in the key contacts table" in box.children[1].value
    form.editors["vision"].input.value = "Everyone belongs"
    saved = load_record(store, "school", VisionTool, "plan")
    assert saved.vision == "Everyone belongs"
    assert saved.key_contacts[0].partner == "Eastfield Youth Project"


def test_items_1_1_and_1_3_link_into_the_attendance_workbook(session_for, store: Store):
    view = views.step_view(session_for(), 1)
    html_of = {item: box.children[0].value
               for item, box in zip(rules.item_ids(1), view.children[3:], strict=True)}
    assert "attendance.ipynb" in html_of["six_steps.1.1"]
    assert "attendance.ipynb" in html_of["six_steps.1.3"]
    assert "attendance.ipynb" not in html_of["six_steps.1.4"]
    assert "mapping_tool.ipynb" in html_of["six_steps.1.2"]


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])
def test_every_step_has_a_tools_form(session_for, store: Store, step: int):
    box = views.step_tools(session_for(), step)
    assert isinstance(box, widgets.VBox)
    assert box.children[-1].record_type is STEP_TOOLS[step]


def test_a_table_row_in_a_step_tool_is_saved(session_for, store: Store):
    form = views.step_tools(session_for(), 5).children[-1]
    roles = form.editors["roles"].input
    roles._add_row({}, notify=True)
    who = roles._rows[0]["who"].input
    who.value = "Mr Khan"
    saved = load_record(store, "school", DeliveryTool, "plan")
    assert saved.roles[0].who == "Mr Khan"


def test_plan_progress_view_has_a_bar_per_step_and_the_whole_plan(session_for, store: Store):
    save_record(store, "school", progress("six_steps.6.4", "done"), "Ann")
    bars = [c for c in views.plan_progress_view(session_for()).children
            if isinstance(c, views.ProgressBar)]
    assert [b.label for b in bars] == ["Whole plan"] + [f"Step {s}" for s in range(1, 7)]
    assert bars[-1].progress.percent == 25 and bars[0].progress.done == 1


LONG_NOTE = ("Spoke to the family learning team about the breakfast club and the homework "
             "group;\nthey will write to every family in P6 and P7 before the October break.")


def test_step_at_a_glance_shows_whole_text_with_its_line_breaks(session_for, store: Store):
    save_record(store, "school", ChecklistProgress(
        item="six_steps.1.2", status="in_progress", owner="عائشہ خان", notes=LONG_NOTE,
        evidence="Minutes\nof 3 Sep", due=dt.date(2026, 10, 2)), "Ann")
    glance = views.step_glance(session_for(), 1)
    assert isinstance(glance, widgets.HTML)
    html = glance.value
    assert "Step 1 at a glance" in html
    assert LONG_NOTE in html, "the whole note, its line break a real one, nothing cut"
    assert "\\n" not in html and "..." not in html and "…" not in html
    assert '<td class="pk-typed" dir="auto">Minutes\nof 3 Sep</td>' in html
    assert "white-space: pre-wrap" in html
    assert '<td class="pk-typed" dir="auto">عائشہ خان</td>' in html
    assert "2 October 2026" in html and "In progress" in html
    assert "six_steps.1.2" not in html and "in_progress" not in html, "no internal ids"
    assert html.count("<tr>") == 1 + 6, "a heading row and one row for each item of step 1"


def test_whole_plan_at_a_glance_and_a_bad_step(store: Store):
    html = views.glance_html(store, "school")
    assert "The whole plan at a glance" in html and html.count("<tr>") == 1 + 26
    with pytest.raises(StepError):
        views.glance_html(store, "school", 9)


def test_glance_rows_escape_what_people_typed(store: Store):
    save_record(store, "school", ChecklistProgress(
        item="six_steps.2.1", notes="<script>alert(1)</script>"), "Ann")
    html = views.glance_html(store, "school", 2)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
