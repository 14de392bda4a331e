"""Each field type gets its widget, its label, its choices and its help."""

from __future__ import annotations

import ipywidgets as widgets

from partnerkit.forms import ChoiceChecklist, DateBox, SubRecordList, record_form
from partnerkit.records import PupilProfile
from partnerkit.store import Store
from tests.forms.sample import form, saved


def test_each_field_type_gets_its_widget(store: Store):
    f = form(store)
    kinds = {name: type(e.input) for name, e in f.editors.items()}
    assert kinds == {
        "title": widgets.Text, "body": widgets.Textarea, "status": widgets.Dropdown,
        "rating": widgets.Dropdown, "count": widgets.Text, "due": DateBox,
        "done": widgets.Checkbox, "tags": widgets.Textarea, "rows": SubRecordList,
    }
    assert "key" not in f.editors


def test_labels_and_choices_come_from_the_field_metadata(store: Store):
    f = form(store)
    assert f.editors["title"].input.description == "Title"
    assert f.editors["status"].input.options[0] == ("Still open", "open")
    assert f.editors["rating"].input.options[0][1] is None


def test_rows_can_be_added_and_removed(store: Store):
    f = form(store)
    f.editors["title"].input.value = "Plan"
    rows = f.editors["rows"].input
    rows.children[-1].click()
    rows.children[-1].click()
    assert len(saved(store)["rows"]) == 2
    first_row = rows._rows_box.children[0]
    first_row.children[-1].click()
    assert len(saved(store)["rows"]) == 1


def test_checkboxes_for_a_list_of_choices(store: Store):
    f = record_form(PupilProfile, store=store, workspace="school", author="Ann",
                    fixed={"pupil": "P-0001"})
    needs = f.editors["needs"].input
    assert isinstance(needs, ChoiceChecklist)
    labels = [box.description for box, _ in needs._boxes]
    assert labels[0].lower() == "poverty"
    needs._boxes[0][0].value = True
    needs._boxes[6][0].value = True
    assert store.get("school", "pupil_profile", "P-0001").data["needs"] == [
        "poverty", "neurodiversity"]


def test_help_text_comes_from_the_content_unless_it_repeats_the_label():
    from pydantic.fields import FieldInfo

    from partnerkit.content import load_content
    from partnerkit.forms import help_text

    content = load_content()
    cited = {"content": "mapping_tool.question.1"}
    info = FieldInfo(annotation=str, title="Partners", json_schema_extra=cited)
    assert help_text(info, content) == content.item("mapping_tool.question.1").text
    same = FieldInfo(annotation=str, title="Language spoken at home",
                     json_schema_extra={"content": "mapping_tool.characteristic.language_at_home"})
    assert help_text(same, content) == ""
