"""Tests for partnerkit.collaborative_working.views: sections, log forms, ratings, families."""

from __future__ import annotations

import pytest

from partnerkit import collaborative_working as cw
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.records.base import load_record, load_records, validate_record
from partnerkit.records.module import (
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    SelfRating,
)
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO


def _all_html(widget) -> str:
    """Every HTML string shown anywhere inside a widget tree."""
    parts = [getattr(widget, "value", "")] if isinstance(getattr(widget, "value", ""), str) \
        else []
    for child in getattr(widget, "children", ()):
        parts.append(_all_html(child))
    return "\n".join(p for p in parts if p)


# ------------------------------------------------------------------ sections


@pytest.mark.parametrize("bad", ["6.9", "abc", "7"])
def test_an_unknown_section_says_which_ones_exist(bad: str, store: Store, session_for):
    with pytest.raises(NotFoundError) as caught:
        cw.section(session_for(), bad)
    assert repr(bad) in str(caught.value) and "6.1, 6.2, 6.3, 6.4" in str(caught.value)


def test_every_section_builds_with_its_activities(store: Store, session_for):
    s = session_for()
    pages = {n: _all_html(cw.section(s, n)) for n in cw.SECTIONS}
    assert "Reflective Task 6.2" in pages["6.2"]
    assert "Activity 16" in pages["6.4"]
    assert "Optional Reflective Task" in pages["6.4"]


# ------------------------------------------------------------------ reflective log forms


def test_log_entry_form_saves_per_practitioner_and_task(store: Store, session_for):
    box = cw.log_entry_form(session_for(), "module6.task_6_2")
    form = box.children[1]
    form.editors["text"].input.value = "Ringing with good news first."
    entry = load_record(store, "school", LogEntry, f"{WHO}/module6.task_6_2")
    assert entry is not None and entry.text == "Ringing with good news first."
    other = cw.log_entry_form(session_for("Someone Else"),
                                  "module6.task_6_2").children[1]
    assert other.editors["text"].input.value == ""


def test_log_entry_for_an_unknown_task_is_refused(store: Store, session_for):
    with pytest.raises(NotFoundError, match="not a reflective-log task"):
        cw.log_entry_form(session_for(), "module6.task_9")
    with pytest.raises(RecordValidationError):
        validate_record(LogEntry, {"practitioner": WHO, "task": "module6.task_9", "text": "x"})


# ------------------------------------------------------------------ self-rating


def test_self_rating_start_and_end_are_shown_side_by_side(store: Store, session_for):
    s = session_for()
    cw.self_rating_form(s, "start").editors["rating"].input.value = 2
    page = cw.self_rating_html(store, "school", WHO)
    assert "At the start" in page and "At the end" in page
    assert "2" in page and "not rated yet" in page
    cw.self_rating_form(s, "end").editors["rating"].input.value = 4
    assert cw.self_ratings(store, "school", WHO) == {"start": 2, "end": 4}
    page = cw.self_rating_html(store, "school", WHO)
    start_cell, end_cell = page.split("<td")[1:3]
    assert "●●○○○" in start_cell and "●●●●○" in end_cell
    assert "2 points higher than at the start" in page
    labels = load_content()
    assert labels.item("module6.self_rating.5").text == "5 – very knowledgeable"


@pytest.mark.parametrize("bad", [0, 6, "five", 3.5])
def test_a_self_rating_outside_1_to_5_is_refused(bad):
    with pytest.raises(RecordValidationError) as caught:
        validate_record(SelfRating, {"practitioner": WHO, "moment": "start", "rating": bad})
    assert "rating" in caught.value.field_errors


def test_self_rating_moment_must_be_start_or_end(store: Store, session_for):
    with pytest.raises(PartnerkitError, match="use 'start' or 'end'"):
        cw.self_rating_form(session_for(), "middle")


# ------------------------------------------------------------------ parents and postcards


def test_parent_partnership_keeps_barriers_strategies_and_meeting_preparation(
        store: Store, session_for):
    form = cw.parent_partnership_form(session_for(), "P-2001")
    form.editors["barriers"].input.value = ["3", "4"]
    form.editors["strategies"].input.value = ["4", "5", "6"]
    form.editors["agenda"].input.value = "1. Welcome\n2. Mornings"
    form.editors["attendees_sent"].input.value = True
    form.editors["support_person_welcome"].input.value = True
    form.editors["parents_seated_first"].input.value = True
    form.editors["attendees"].input.value = [{"name": "Ms Ali", "role": "Guidance teacher"}]
    form.editors["attendees"].input._changed(None)
    plan = load_record(store, "school", ParentPartnership, "P-2001")
    assert plan.barriers == ["3", "4"] and plan.strategies == ["4", "5", "6"]
    assert plan.attendees_sent and plan.support_person_welcome and plan.parents_seated_first
    assert plan.attendees[0].name == "Ms Ali" and plan.attendees[0].role == "Guidance teacher"
    labels = [b.description for b in form.editors["barriers"].input.children[1:]]
    assert labels[0] == load_content().item("module6.parent_barriers.1").text


def test_pupil_picker_refuses_a_name_instead_of_a_reference(store: Store, session_for):
    view = cw.parent_partnership(session_for())
    picker = view.children[1]
    assert picker.show_pupil("Robert Smith") is None
    assert "not a pupil reference" in picker.message.value
    assert picker.show_pupil("P-2002") is not None and picker.message.value == ""


def test_postcard_is_printable_with_user_text_escaped(store: Store, session_for):
    s = session_for()
    editor = cw.PostcardEditor(s, "P-2001", "try_at_home")
    editor.form.editors["strategy"].input.value = "Use a <b>timer</b> & a chart"
    editor.form.editors["to"].input.value = "Parents/carers"
    stored = load_records(store, "school", Postcard, prefix="P-2001/")
    assert len(stored) == 1 and stored[0].card_type == "try_at_home"
    page = cw.postcard_html(stored[0], "school")
    assert load_content().item("module6.postcard.try_at_home").text in page
    assert "Use a &lt;b&gt;timer&lt;/b&gt; &amp; a chart" in page and "<b>timer" not in page
    assert "Download the printable postcard" in editor.preview.value
    tried = Postcard(pupil="P-2001", card_type="tried_at_home", strategy="Ear defenders",
                     details="Calmer mornings")
    assert "Something we tried at home" in cw.postcard_html(tried, "school")
    assert "How it went" in cw.postcard_html(tried, "school")


# ------------------------------------------------------------------ survey


def test_feedback_survey_is_saved(store: Store, session_for):
    box = cw.feedback_form(session_for())
    form = box.children[1]
    form.editors["most_useful"].input.value = ["6_2"]
    form.editors["improve"].input.value = "More examples."
    survey = load_record(store, "school", FeedbackSurvey, WHO)
    assert survey.most_useful == ["6_2"] and survey.improve == "More examples."
    assert survey.is_answered()
