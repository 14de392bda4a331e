from __future__ import annotations

import datetime as dt
from typing import Literal

import ipywidgets as widgets
import pytest
from pydantic import BaseModel, Field

from partnerkit.errors import StoreError
from partnerkit.forms import ChoiceChecklist, SubRecordList, record_form
from partnerkit.records import Connection, DirectoryEntry, PupilProfile, load_records
from partnerkit.records.base import Record
from partnerkit.store import Store


class Row(BaseModel):
    who: str = Field("", title="Who")
    what: str = Field("", title="What")


class Sample(Record):
    kind = "test_sample"

    key: str = Field("k", title="Key")
    title: str = Field(title="Title", min_length=1)
    body: str = Field("", title="Body", json_schema_extra={"widget": "textarea"})
    status: Literal["open", "closed"] = Field("open", title="Status",
                                              json_schema_extra={"choices": {"open": "Still open"}})
    rating: Literal[1, 2, 3, 4, 5] | None = Field(None, title="Rating")
    count: int = Field(0, title="Count", ge=0, le=10)
    due: dt.date | None = Field(None, title="Due date")
    done: bool = Field(False, title="Done")
    tags: list[str] = Field(default_factory=list, title="Tags")
    rows: list[Row] = Field(default_factory=list, title="Roles")

    def record_key(self) -> str:
        return self.key


def form(store: Store, **kwargs):
    return record_form(Sample, store=store, workspace="school", author="Ann",
                       fixed={"key": "k"}, **kwargs)


def saved(store: Store):
    record = store.get("school", "test_sample", "k")
    return None if record is None else record.data


def test_each_field_type_gets_its_widget(store: Store):
    f = form(store)
    kinds = {name: type(e.input) for name, e in f.editors.items()}
    assert kinds == {
        "title": widgets.Text, "body": widgets.Textarea, "status": widgets.Dropdown,
        "rating": widgets.Dropdown, "count": widgets.Text, "due": widgets.DatePicker,
        "done": widgets.Checkbox, "tags": widgets.Textarea, "rows": SubRecordList,
    }
    assert "key" not in f.editors


def test_labels_and_choices_come_from_the_field_metadata(store: Store):
    f = form(store)
    assert f.editors["title"].input.description == "Title"
    assert f.editors["status"].input.options[0] == ("Still open", "open")
    assert f.editors["rating"].input.options[0][1] is None


def test_good_input_is_saved_at_once_and_the_form_says_so(store: Store):
    f = form(store)
    f.editors["title"].input.value = "Breakfast club"
    assert saved(store)["title"] == "Breakfast club"
    assert "Saved" in f.status.value


def test_bad_input_shows_a_message_beside_the_field_and_is_not_saved(store: Store):
    f = form(store)
    f.editors["title"].input.value = "Plan"
    f.editors["count"].input.value = "eleven"
    assert "not a number" in f.editors["count"].message.value
    assert "Not saved" in f.status.value
    assert saved(store)["count"] == 0
    f.editors["count"].input.value = "99"
    assert "out of range" in f.editors["count"].message.value
    f.editors["count"].input.value = "7"
    assert f.editors["count"].message.value == ""
    assert saved(store)["count"] == 7


def test_an_untouched_required_field_is_named_in_the_status_not_flagged(store: Store):
    f = form(store)
    f.editors["body"].input.value = "Some notes"
    assert "Title" in f.status.value and "required" in f.status.value
    assert f.editors["title"].message.value == ""
    assert saved(store) is None


def test_messages_escape_what_was_typed(store: Store):
    f = form(store)
    f.editors["title"].input.value = "x"
    f.editors["count"].input.value = "<script>alert(1)</script>"
    assert "<script>" not in f.editors["count"].message.value
    assert "&lt;script&gt;" in f.editors["count"].message.value


def test_a_failed_save_is_shown_plainly_and_the_text_stays(store: Store, monkeypatch):
    f = form(store)

    def broken(*args, **kwargs):
        raise StoreError("could not save (disk I/O error)", where="store")

    monkeypatch.setattr(store, "save", broken)
    f.editors["title"].input.value = "Kept in the form"
    assert "Not saved" in f.status.value and "disk I/O error" in f.status.value
    assert f.editors["title"].input.value == "Kept in the form"


def test_a_new_form_shows_what_was_saved(store: Store):
    f = form(store)
    f.editors["title"].input.value = "Plan"
    f.editors["due"].input.value = dt.date(2026, 12, 1)
    f.editors["tags"].input.value = "one\ntwo\n"
    f.editors["rows"].input._add_row({}, notify=True)
    row = f.editors["rows"].input._rows[0]
    row["who"].input.value = "Youth worker"
    again = record_form(Sample, store=Store(store.url.render_as_string(hide_password=False)),
                        workspace="school", author="Ann", fixed={"key": "k"}, key="k")
    assert again.editors["title"].input.value == "Plan"
    assert again.editors["due"].input.value == dt.date(2026, 12, 1)
    assert again.editors["tags"].input.value == "one\ntwo"
    assert again.editors["rows"].input.value == [{"who": "Youth worker", "what": ""}]
    assert "Saved" in again.status.value


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


def test_a_connection_without_a_name_is_refused_beside_the_field(store: Store):
    f = record_form(Connection, store=store, workspace="school", author="Ann",
                    fixed={"pupil": "P-0001"})
    f.editors["name"].input.value = "Gran"
    f.editors["name"].input.value = ""
    assert "required" in f.editors["name"].message.value
    assert [c.name for c in load_records(store, "school", Connection)] == ["Gran"]


def test_typing_keeps_one_history_entry_per_sitting(store: Store, clock):
    f = form(store)
    for text in ["P", "Pl", "Pla", "Plan"]:
        clock.advance(seconds=1)
        f.editors["title"].input.value = text
    history = store.history("school", "test_sample", "k")
    assert len(history) == 1 and history[0].after["title"] == "Plan"


def test_renaming_a_keyed_record_moves_it(store: Store):
    f = record_form(DirectoryEntry, store=store, workspace="school", author="Ann")
    f.editors["organisation"].input.value = "Youth Projet"
    f.editors["organisation"].input.value = "Youth Project"
    assert [e.organisation for e in load_records(store, "school", DirectoryEntry)] == [
        "Youth Project"]


def test_check_blocks_and_warn_advises(store: Store):
    def check(record):
        return {"title": "must not say TBC"} if record.title == "TBC" else {}

    def warn(record):
        return {"body": "add some notes"} if not record.body else {}

    f = form(store, check=check, warn=warn)
    f.editors["title"].input.value = "TBC"
    assert "must not say TBC" in f.editors["title"].message.value and saved(store) is None
    f.editors["title"].input.value = "Real"
    assert saved(store)["title"] == "Real"
    assert "add some notes" in f.editors["body"].message.value


@pytest.mark.parametrize("bad", ["P 1", "Jane Smith", "", "x", "a" * 41, "-P1"])
def test_a_pupil_reference_that_looks_wrong_is_refused(store: Store, bad: str):
    f = record_form(PupilProfile, store=store, workspace="school", author="Ann")
    f.editors["pupil"].input.value = "P-1"
    f.editors["pupil"].input.value = bad
    assert "pupil reference" in f.editors["pupil"].message.value or "required" in \
        f.editors["pupil"].message.value
