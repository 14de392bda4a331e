"""Only finished values are saved: a choice waits until it rests or is left, a date
(typed day/month/year, sent when its box is left) must be a whole date with its year
inside its range, and a refused edit says what is still stored.

The form's pause runs on a :class:`Rest` the test controls (the served page uses the
kernel's event loop; :func:`test_the_pause_waits_on_the_running_event_loop` checks it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html

import ipywidgets as widgets
import pytest
from pydantic import Field

from partnerkit.forms import record_form
from partnerkit.forms.finished import (
    DATE_YEARS,
    Settler,
    event_loop_later,
    unfinished_date,
)
from partnerkit.records.base import Record
from partnerkit.records.plan import MeetingRow
from partnerkit.store import Store
from tests.forms.sample import Sample, saved

STORED = dt.date(2026, 10, 2)



class Rest:
    """A stand-in for the event loop's timer: the waits run when the test says the
    person rested (:meth:`rest`), and a cancelled wait never runs."""

    def __init__(self) -> None:
        self.waiting: list[list] = []

    def __call__(self, seconds, callback):
        entry = [callback, True]
        self.waiting.append(entry)

        def cancel() -> None:
            entry[1] = False

        return cancel

    def rest(self) -> None:
        waiting, self.waiting = self.waiting, []
        for callback, live in waiting:
            if live:
                callback()


@pytest.fixture
def rest() -> Rest:
    return Rest()


def sample_form(store: Store, rest: Rest, **kwargs):
    return record_form(Sample, store=store, workspace="school", author="Ann",
                       fixed={"key": "k"}, later=rest, **kwargs)


def stored_form(store: Store, rest: Rest):
    """A form (Ann's) over a sample Bea stored, whose due date is 2 October 2026."""
    store.save("school", "test_sample", "k", Sample(title="Plan", due=STORED).model_dump(
        mode="json"), "Bea")
    return sample_form(store, rest, key="k")


def version(store: Store) -> int:
    return store.get("school", "test_sample", "k").version


# --- the rule for a date --------------------------------------------------------------


@pytest.mark.parametrize("year", [2, 20, 202])
def test_a_date_with_a_partial_year_is_not_finished(year):
    why = unfinished_date(dt.date(year, 1, 1))
    assert why is not None
    assert "not finished" in why and f"reads {year}" in why and "four digits" in why


@pytest.mark.parametrize("year", [1999, 2100, 9999])
def test_a_date_with_a_year_outside_the_range_is_not_finished(year):
    why = unfinished_date(dt.date(year, 1, 1))
    assert why is not None
    assert str(year) in why and f"from {DATE_YEARS[0]} to {DATE_YEARS[1]}" in why


@pytest.mark.parametrize("day", [dt.date(2020, 1, 1), dt.date(2000, 1, 1),
                                 dt.date(2099, 12, 31), None])
def test_a_complete_date_in_range_or_an_empty_one_is_finished(day):
    assert unfinished_date(day) is None


def test_a_field_may_set_its_own_years():
    assert unfinished_date(dt.date(1990, 5, 1), (1980, 2000)) is None
    assert "from 1980 to 2000" in unfinished_date(dt.date(2001, 5, 1), (1980, 2000))


# --- when a change counts --------------------------------------------------------------


def test_a_settling_change_counts_only_after_the_pause_and_each_change_restarts_it(rest):
    counted = []
    handler = Settler(rest).handler("due", counted.append, settles=True)
    handler("first")
    handler("second")
    assert counted == []
    rest.rest()
    assert counted == ["second"]


def test_a_change_elsewhere_lets_the_held_change_through_first(rest):
    counted = []
    settler = Settler(rest)
    settler.handler("due", lambda c: counted.append(("due", c)), settles=True)("2026")
    settler.handler("title", lambda c: counted.append(("title", c)), settles=False)("P")
    assert counted == [("due", "2026"), ("title", "P")]
    rest.rest()
    assert counted == [("due", "2026"), ("title", "P")]  # not counted twice
    assert not settler.holding


def test_text_counts_at_once(rest):
    counted = []
    Settler(rest).handler("title", counted.append, settles=False)("P")
    assert counted == ["P"]


def test_the_pause_waits_on_the_running_event_loop():
    async def scenario() -> tuple[list, list]:
        counted: list = []
        done = asyncio.Event()
        settler = Settler(event_loop_later, pause=0.05)
        handler = settler.handler("due", lambda c: (counted.append(c), done.set()),
                                  settles=True)
        handler("first")
        handler("second")
        at_once = list(counted)
        await asyncio.wait_for(done.wait(), timeout=10)
        return at_once, counted

    at_once, counted = asyncio.run(scenario())
    assert at_once == []
    assert counted == ["second"]


def test_without_an_event_loop_a_change_counts_at_once():
    counted = []
    Settler().handler("due", counted.append, settles=True)("x")
    assert counted == ["x"]


# --- the form ------------------------------------------------------------------------


def test_choices_settle_dates_text_numbers_and_ticks_do_not(store, rest):
    f = sample_form(store, rest)
    settles = {name for name, e in f.editors.items() if e.settles}
    assert settles == {"status", "rating"}


def test_a_number_box_and_a_date_box_send_their_value_only_when_left():
    from partnerkit.content import load_content
    from partnerkit.forms.fields import FieldEditor

    for name in ("count", "due"):
        editor = FieldEditor(name, Sample.model_fields[name], load_content())
        assert isinstance(editor.input, widgets.Text)
        assert editor.input.continuous_update is False
    text = FieldEditor("title", Sample.model_fields["title"], load_content())
    assert text.input.continuous_update is True


def test_a_date_left_in_its_box_is_saved_once_as_typed_day_first(store, rest):
    f = stored_form(store, rest)
    before = version(store)
    f.editors["due"].input.value = "01/01/2020"   # what the browser sends on leaving
    assert saved(store)["due"] == "2020-01-01"
    f.editors["due"].input.value = "3/4/2027"     # the day comes first: 3 April
    assert saved(store)["due"] == "2027-04-03"
    assert version(store) == before + 2
    history = store.history("school", "test_sample", "k")
    assert {c.after["due"] for c in history} <= {"2026-10-02", "2020-01-01", "2027-04-03"}


def test_a_half_typed_year_saves_nothing_and_says_what_is_stored(store, rest):
    f = stored_form(store, rest)
    before = version(store)
    f.editors["due"].input.value = "01/01/202"
    assert version(store) == before
    assert saved(store)["due"] == "2026-10-02"
    assert "the year is not finished (it reads 202)" in f.editors["due"].message.value
    assert "Not saved" in f.status.value
    assert "The stored value is still 2 October 2026" in f.status.value
    f.editors["due"].input.value = "01/01/2020"
    assert saved(store)["due"] == "2020-01-01"
    assert f.editors["due"].message.value == f.editors["due"].notes
    assert "Saved" in f.status.value


@pytest.mark.parametrize(("typed", "said"), [
    ("31/02/2026", "'31/02/2026' is not a date: February 2026 has 28 days"),
    ("12/13/2026", "13 is not a month (the month comes second"),
    ("02/10", "'02/10' has no year"),
    ("next week", "'next week' is not a date this form can read"),
])
def test_a_date_that_cannot_be_read_is_refused_with_the_way_to_write_it(store, rest, typed,
                                                                        said):
    f = stored_form(store, rest)
    f.editors["due"].input.value = typed
    assert saved(store)["due"] == "2026-10-02"
    message = html.unescape(f.editors["due"].message.value)
    assert said in message and "for example 02/10/2026" in message
    assert "The stored value is still 2 October 2026" in f.status.value


def test_an_emptied_date_box_left_clears_the_date(store, rest):
    f = stored_form(store, rest)
    f.editors["due"].input.value = ""
    assert saved(store)["due"] is None
    assert "Saved" in f.status.value


def test_a_stored_date_is_shown_day_first_with_a_hint(store, rest):
    f = stored_form(store, rest)
    editor = f.editors["due"]
    assert editor.input.value == "02/10/2026"
    assert editor.input.placeholder == "dd/mm/yyyy"
    assert "Day, month and year, for example 02/10/2026" in editor.box.children[1].value


def test_a_year_outside_the_range_is_not_saved(store, rest):
    f = stored_form(store, rest)
    f.editors["due"].input.value = "01/01/2207"
    assert saved(store)["due"] == "2026-10-02"
    assert "2207 is not a year this date can take" in f.editors["due"].message.value
    assert "The stored value is still 2 October 2026" in f.status.value


def test_a_refused_edit_on_a_new_record_says_nothing_is_stored(store, rest):
    f = sample_form(store, rest)
    f.editors["count"].input.value = "11"
    assert saved(store) is None
    assert "Not saved: correct Count (marked ⚠). Nothing is stored yet." in f.status.value


def test_a_refused_choice_or_number_says_its_stored_value_in_words(store, rest):
    f = stored_form(store, rest)
    f.editors["count"].input.value = "11"
    assert "The stored value is still 0" in f.status.value
    f.editors["count"].input.value = "3"
    f.editors["due"].input.value = "2/1/2"
    assert "Due date (marked ⚠)" in f.status.value


def test_leaving_a_choice_for_another_field_saves_the_choice_first(store, rest):
    f = stored_form(store, rest)
    f.editors["rating"].input.value = 3
    f.editors["body"].input.value = "Next term"
    assert saved(store)["rating"] == 3
    assert saved(store)["body"] == "Next term"


def test_a_choice_walked_with_the_arrow_keys_is_saved_once(store, rest):
    f = stored_form(store, rest)
    before = version(store)
    for value in (1, 2, 3, 4):
        f.editors["rating"].input.value = value
    assert version(store) == before
    rest.rest()
    assert saved(store)["rating"] == 4
    assert version(store) == before + 1


def test_a_stored_date_outside_the_range_does_not_block_other_answers(store, rest):
    store.save("school", "test_sample", "k", Sample(title="Plan", due=dt.date(1998, 6, 1))
               .model_dump(mode="json"), "Ann")
    f = sample_form(store, rest, key="k")
    f.editors["body"].input.value = "Still saved"
    assert saved(store)["body"] == "Still saved"
    assert saved(store)["due"] == "1998-06-01"


class Meetings(Record):
    """A record with a table of meetings, each with a date (the plan's step 5 has one)."""

    kind = "test_meetings"

    meetings: list[MeetingRow] = Field(default_factory=list, title="Meeting schedule")

    def record_key(self) -> str:
        return "plan"


def test_a_half_typed_date_in_a_row_is_not_saved(store, rest):
    f = record_form(Meetings, store=store, workspace="school", author="Ann", later=rest)
    rows = f.editors["meetings"].input
    rows._add_row({}, notify=True)
    rows._rows[0]["who"].input.value = "Partners"
    rows._rows[0]["date"].input.value = "01/03/20"
    stored = store.get("school", "test_meetings", "plan").data["meetings"]
    assert stored == [{"date": None, "who": "Partners", "purpose": ""}]
    assert "row 1, Date: the year is not finished" in f.editors["meetings"].message.value
    rows._rows[0]["date"].input.value = "01/03/2026"
    assert store.get("school", "test_meetings", "plan").data["meetings"][0]["date"] == \
        "2026-03-01"
