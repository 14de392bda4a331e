"""Sections built when opened: nothing is built until a section opens, then once."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from partnerkit.errors import NotFoundError
from partnerkit.forms import looks, record_form
from partnerkit.forms.sections import NOT_BUILT, LazySections, lazy_section
from partnerkit.records.base import save_record
from partnerkit.records.mapping import Answer


class Counted:
    """A builder that counts its calls and makes a small body."""

    def __init__(self, text: str = "body") -> None:
        self.calls = 0
        self.text = text

    def __call__(self) -> widgets.Widget:
        self.calls += 1
        return widgets.HTML(self.text)


def test_a_closed_section_is_not_built_and_sends_only_its_heading():
    looks.share_default_looks()                      # as every page does
    LazySections([("Warm", Counted())])              # the shared looks are made once
    first, second = Counted("one"), Counted("two")
    before = set(_instances)
    sections = LazySections([("First", first), ("Second", second)])
    made = len(set(_instances) - before)
    assert (first.calls, second.calls) == (0, 0)
    assert sections.titles == ("First", "Second") and sections.selected_index is None
    assert made <= 3, "the accordion and one empty box per section"
    assert all(box.children == () for box in sections.boxes)


def test_opening_a_section_builds_it_once_and_shows_the_same_body_again():
    build = Counted("the forms")
    sections = LazySections([("Only", build)])
    sections.selected_index = 0                      # what the browser sends on a click
    assert build.calls == 1 and sections.boxes[0].children[0].value == "the forms"
    body = sections.built[0]
    sections.selected_index = None
    sections.selected_index = 0
    assert build.calls == 1 and sections.boxes[0].children == (body,)


def test_a_section_open_from_the_start_is_built_and_the_others_are_not():
    first, second = Counted(), Counted()
    sections = LazySections([("First", first), ("Second", second)], opened=0)
    assert sections.selected_index == 0 and (first.calls, second.calls) == (1, 0)
    assert sections.open_section(1) is sections.built[1]
    assert sections.selected_index == 1 and second.calls == 1


def test_without_lazy_every_body_is_built_at_once_and_is_the_sections_child():
    first, second = Counted("one"), Counted("two")
    sections = LazySections([("First", first), ("Second", second)], lazy=False)
    assert (first.calls, second.calls) == (1, 1)
    assert [c.value for c in sections.children] == ["one", "two"]


def test_without_lazy_a_failing_builder_fails_the_cell_as_before():
    def broken() -> widgets.Widget:
        raise NotFoundError("is not a question of the tool", value="Q9", where="page",
                            fix="choose a question from the list")

    with pytest.raises(NotFoundError):
        LazySections([("Broken", broken)], lazy=False)


def test_a_partnerkit_error_while_opening_is_said_in_the_section_and_tried_again():
    attempts = []

    def flaky() -> widgets.Widget:
        attempts.append(1)
        if len(attempts) == 1:
            raise NotFoundError("is not a question of the tool", value="Q9", where="page",
                                fix="choose a question from the list")
        return widgets.HTML("built")

    sections = LazySections([("Flaky", flaky)])
    sections.selected_index = 0
    shown = sections.boxes[0].children[0].value
    assert "Q9" in shown and "choose a question from the list" in shown
    assert 'role="alert"' in shown and 0 not in sections.built
    sections.selected_index = None
    sections.selected_index = 0
    assert sections.boxes[0].children[0].value == "built" and len(attempts) == 2


def test_any_other_error_while_opening_is_a_plain_message_without_internals(caplog):
    def broken() -> widgets.Widget:
        raise KeyError("/srv/secret/path")

    sections = lazy_section("Broken", broken)
    sections.selected_index = 0
    shown = sections.boxes[0].children[0].value
    assert NOT_BUILT.split(".")[0] in shown and "/srv/secret/path" not in shown
    assert "building section 'Broken' of the page failed" in caplog.text


def test_a_title_can_follow_what_is_done():
    sections = lazy_section("Questions (0 of 6 answered)", Counted())
    sections.retitle(0, "Questions (1 of 6 answered)")
    assert sections.get_title(0) == "Questions (1 of 6 answered)"


def test_a_form_built_on_opening_saves_like_any_other_and_shows_what_was_saved(store):
    def form() -> widgets.Widget:
        return record_form(Answer, store=store, workspace="school", author="Ann",
                           key="P-1/q1", fixed={"question": "q1", "subject": "P-1"})

    save_record(store, "school", Answer(question="q1", subject="P-1", text="Saved before"),
                "Bo")
    sections = lazy_section("Question 1", form)
    sections.selected_index = 0
    built = sections.built[0]
    assert built.editors["text"].input.value == "Saved before"
    built.editors["text"].input.value = "Typed after opening"
    assert store.get("school", "answer", "P-1/q1").data["text"] == "Typed after opening"
