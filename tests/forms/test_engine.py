"""A record form validates each change, saves good input at once and says so."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerkit.errors import StoreError
from partnerkit.forms import record_form
from partnerkit.records import Connection, PupilProfile, load_records
from partnerkit.store import Store
from tests.forms.sample import Sample, form, saved


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
    assert f.editors["count"].message.value == f.editors["count"].notes
    assert saved(store)["count"] == 7


def test_an_untouched_required_field_is_named_in_the_status_not_flagged(store: Store):
    f = form(store)
    f.editors["body"].input.value = "Some notes"
    assert "Title" in f.status.value and "required" in f.status.value
    assert f.editors["title"].message.value == f.editors["title"].notes
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
    assert again.editors["due"].input.value == "01/12/2026"   # shown day first
    assert again.editors["due"].get() == dt.date(2026, 12, 1)
    assert again.editors["tags"].input.value == "one\ntwo"
    assert again.editors["rows"].input.value == [{"who": "Youth worker", "what": ""}]
    assert "Saved" in again.status.value


def test_a_connection_without_a_name_is_refused_beside_the_field(store: Store):
    f = record_form(Connection, store=store, workspace="school", author="Ann",
                    fixed={"pupil": "P-0001"})
    f.editors["name"].input.value = "Gran"
    f.editors["name"].input.value = ""
    assert "required" in f.editors["name"].message.value
    assert [c.name for c in load_records(store, "school", Connection)] == ["Gran"]


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


def test_the_error_summary_links_each_field_in_error_and_empties_once_put_right(store: Store):
    f = form(store)
    assert f.summary.value == ""
    f.editors["title"].input.value = "Plan"
    f.editors["count"].input.value = "<b>eleven</b>"
    summary = f.summary.value
    assert "There is a problem" in summary
    assert 'data-pk-field="count"' in summary and ">Count: " in summary
    assert "not a number" in summary and "<b>eleven" not in summary
    assert 'data-pk-field="title"' not in summary  # a field without a message is not listed
    assert "pk-field-count" in f.editors["count"].box._dom_classes
    f.editors["count"].input.value = "7"
    assert f.summary.value == ""
    assert saved(store)["count"] == 7


def test_the_status_line_is_marked_for_screen_readers_to_announce(store: Store):
    f = form(store)
    assert "pk-form-status" in f.status._dom_classes


def test_a_field_without_help_has_no_notes_line_until_it_has_something_to_say(store: Store):
    f = form(store)
    count, due = f.editors["count"], f.editors["due"]
    assert count.box.children == (count.input,)  # no help: the input alone
    assert len(due.box.children) == 2 and "Day, month and year" in due.box.children[1].value
    f.editors["title"].input.value = "Plan"
    count.input.value = "eleven"
    assert count.box.children[1].value == count.message.value
    assert "not a number" in count.box.children[1].value
    count.input.value = "7"
    assert count.box.children[1].value == ""  # the message cleared, the line kept in place
