"""On a served page the module's activities, tasks, wheel and survey are built when opened."""

from __future__ import annotations

from partnerkit import collaborative_working as cw
from partnerkit.collaborative_working import views
from partnerkit.forms.sections import LazySections
from partnerkit.records.base import load_record, save_record
from partnerkit.records.module import FeedbackSurvey, LogEntry, SelfRating, WheelRating
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO


def served(session_for):
    session = session_for()
    session.served = True
    return session


def sections_in(widget) -> list[LazySections]:
    """Every section anywhere inside a widget tree, in page order."""
    if isinstance(widget, LazySections):
        return [widget]
    return [s for child in getattr(widget, "children", ()) for s in sections_in(child)]


def forms_in(widget) -> list:
    """Every record form anywhere inside a widget tree, in page order."""
    found = [widget] if hasattr(widget, "editors") else []
    return found + [f for child in getattr(widget, "children", ()) for f in forms_in(child)]


def test_section_6_4_shows_its_activity_and_tasks_as_headings_only(session_for,
                                                                   store: Store):
    page = cw.section(served(session_for), "6.4")
    found = sections_in(page)
    assert [s.get_title(0) for s in found] == [
        "Activity 16: Effective collaboration", "Reflective Task: Effective collaboration",
        "Optional Reflective Task: Effective collaboration"]
    assert all(s.built == {} for s in found) and forms_in(page) == []


def test_a_task_opened_saves_its_log_entries(session_for, store: Store):
    (task,) = sections_in(cw.section(served(session_for), "6.2"))
    task.selected_index = 0
    (form,) = forms_in(task)
    form.editors["text"].input.value = "A call home with good news first."
    entry = load_record(store, "school", LogEntry, f"{WHO}/module6.task_6_2")
    assert entry.text == "A call home with good news first."


def test_the_start_wheel_and_activity_17_open_with_what_was_saved(session_for,
                                                                  store: Store):
    session = served(session_for)
    start = cw.before_you_start(session)
    assert len(forms_in(start)) == 1, "the start self-rating is built; the wheel waits"
    save_record(store, "school", WheelRating(practitioner=WHO, moment="start",
                                             communication=4), WHO)
    (wheel,) = sections_in(start)
    wheel.selected_index = 0
    assert forms_in(wheel)[0].editors["communication"].input.value == 4
    end = cw.activity17(session)
    assert end.built == {}
    end.selected_index = 0
    rating = [f for f in forms_in(end) if f.record_type is SelfRating][0]
    rating.editors["rating"].input.value = 5
    assert load_record(store, "school", SelfRating, f"{WHO}/end").rating == 5


def test_the_wheel_chart_is_drawn_when_opened_with_alternative_text(session_for,
                                                                    store: Store):
    chart = cw.wheel_figure(served(session_for))
    assert chart.titles == (views.WHEEL_CHART,) and chart.built == {}
    chart.selected_index = 0
    shown = chart.built[0].value
    assert shown.startswith('<img class="pk-figure"') and 'alt="Chart: Self-evaluation' in shown


def test_the_survey_is_built_when_opened_and_saves(session_for, store: Store):
    survey = cw.feedback_form(served(session_for))
    assert survey.built == {}
    survey.selected_index = 0
    (form,) = forms_in(survey)
    form.editors["improve"].input.value = "More time for the quiz"
    assert load_record(store, "school", FeedbackSurvey, WHO).improve == (
        "More time for the quiz")


def test_outside_a_served_page_the_module_is_built_at_once(session_for, store: Store):
    session = session_for()
    assert sections_in(cw.section(session, "6.4")) == []
    assert len(forms_in(cw.activity17(session))) >= 3
    assert not isinstance(cw.wheel_figure(session), LazySections)
