"""A form goes to the page as it is made: each widget's state once, no change after it.

Each trait set after a widget is made (a class, a label, a look, the saved value) is one
more message the kernel sends, the server passes on and the browser applies before the
page is usable. The form's widgets are made with all of it instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pytest
from ipywidgets.widgets.widget import Widget
from pydantic import Field

from partnerkit.forms import record_form
from partnerkit.records.base import Record
from tests.forms.sample import form


class Ticks(Record):
    kind = "test_ticks"

    key: str = Field("k", title="Key")
    chosen: list[Literal["a", "b", "c"]] = Field(default_factory=list, title="Chosen")

    def record_key(self) -> str:
        return self.key


@pytest.fixture
def changes_sent(monkeypatch) -> list[tuple[str, tuple[str, ...]]]:
    """Every change a widget sends after it was made: (widget class, traits)."""
    sent: list[tuple[str, tuple[str, ...]]] = []
    original = Widget.send_state

    def send_state(self, key=None):
        if key is not None:
            keys = (key,) if isinstance(key, str) else tuple(key)
            sent.append((type(self).__name__, keys))
        return original(self, key)

    monkeypatch.setattr(Widget, "send_state", send_state)
    return sent


def test_a_new_form_sends_no_change_after_its_widgets_are_made(store, changes_sent):
    form(store)
    assert changes_sent == []


def test_a_saved_form_opens_with_its_answers_and_sends_no_change(store, changes_sent):
    first = form(store)
    first.editors["title"].input.value = "Breakfast club"
    first.editors["status"].input.value = "closed"
    first.editors["due"].input.value = "02/10/2026"
    first.editors["done"].input.value = True
    first.editors["tags"].input.value = "one\ntwo"
    changes_sent.clear()

    again = form(store, key="k")
    assert changes_sent == []
    shown = {name: again.editors[name].input.value
             for name in ("title", "status", "due", "done", "tags")}
    assert shown == {"title": "Breakfast club", "status": "closed", "due": "02/10/2026",
                     "done": True, "tags": "one\ntwo"}
    assert again.editors["due"].get() == dt.date(2026, 10, 2)


def test_ticked_choices_open_ticked_with_no_change_sent(store, changes_sent):
    first = record_form(Ticks, store=store, workspace="school", author="Ann",
                        fixed={"key": "k"})
    first.editors["chosen"].input.value = ["a", "c"]
    changes_sent.clear()
    again = record_form(Ticks, store=store, workspace="school", author="Ann",
                        fixed={"key": "k"}, key="k")
    assert changes_sent == []
    assert again.editors["chosen"].input.value == ["a", "c"]


def test_the_sample_covers_every_kind_of_field(store):
    """The saved-form test above reaches text, choice, date, tick box and list inputs."""
    kinds = {type(editor.input).__name__ for editor in form(store).editors.values()}
    assert {"Text", "Textarea", "Dropdown", "DateBox", "Checkbox", "SubRecordList"} <= kinds
