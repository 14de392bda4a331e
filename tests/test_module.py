"""Tests for partnerkit.collaborative_working.module and its records: sections, ratings, wheel, parents, postcards,
survey, cohort summary (with suppression), the demo cohort and the module workbook."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from partnerkit.collaborative_working import module
from partnerkit.content import load_content
from partnerkit.errors import NotFoundError, PartnerkitError, RecordValidationError
from partnerkit.records.base import load_record, load_records, save_record, validate_record
from partnerkit.records.module import (
    LOG_TASKS,
    WHEEL_AREAS,
    Activity16Answer,
    FeedbackSurvey,
    LogEntry,
    ParentPartnership,
    Postcard,
    QuizAttempt,
    SelfRating,
    WheelRating,
)
from partnerkit.session import Session
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[1]
WHO = "Pat Practitioner"


def session_for(store: Store, tmp_path: Path, who: str = WHO) -> Session:
    return Session(store=store, workspace="school", author=who, data_dir=tmp_path)


def _all_html(widget) -> str:
    """Every HTML string shown anywhere inside a widget tree."""
    parts = [getattr(widget, "value", "")] if isinstance(getattr(widget, "value", ""), str) \
        else []
    for child in getattr(widget, "children", ()):
        parts.append(_all_html(child))
    return "\n".join(p for p in parts if p)


# ------------------------------------------------------------------ sections


def test_sections_follow_the_module_order_with_paraphrased_narrative():
    content = load_content()
    assert list(module.SECTIONS) == ["6.1", "6.2", "6.3", "6.4"]
    for number, section_id in module.SECTIONS.items():
        page = module.section_html(number)
        item = content.item(section_id)
        assert f"{item.number} {item.title}" in page
        assert html.escape(item.summary.split(".")[0]) in page  # the paraphrase, from content
    assert "Assessment/identification of needs" in module.section_html("6.1")
    assert "Alternative seating" in module.section_html("6.1")
    assert "Small class setting" in module.section_html("6.1")
    assert content.item("module6.parent_barriers.2").text in module.section_html("6.2")
    assert "Child and Adolescent Mental Health Service" in module.section_html("6.3")
    assert content.item("module6.request_for_assistance.agreement").text in \
        module.section_html("6.3")


@pytest.mark.parametrize("bad", ["6.9", "abc", "7"])
def test_an_unknown_section_says_which_ones_exist(bad: str, store: Store, tmp_path: Path):
    with pytest.raises(NotFoundError) as caught:
        module.section(session_for(store, tmp_path), bad)
    assert repr(bad) in str(caught.value) and "6.1, 6.2, 6.3, 6.4" in str(caught.value)


def test_every_section_builds_with_its_activities(store: Store, tmp_path: Path):
    s = session_for(store, tmp_path)
    pages = {n: _all_html(module.section(s, n)) for n in module.SECTIONS}
    assert "Reflective Task 6.2" in pages["6.2"]
    assert "Activity 16" in pages["6.4"]
    assert "Optional Reflective Task" in pages["6.4"]


# ------------------------------------------------------------------ reflective log forms


def test_log_tasks_cover_every_reflective_task_and_prompt_but_the_rating():
    assert "module6.task_6_2" in LOG_TASKS
    assert {f"module6.task_effective_collaboration.{n}" for n in range(1, 6)} <= set(LOG_TASKS)
    assert {"module6.task_optional_effective_collaboration.1",
            "module6.task_optional_effective_collaboration.2"} <= set(LOG_TASKS)
    assert {"module6.activity17.2", "module6.activity17.3"} <= set(LOG_TASKS)
    assert "module6.activity17.1" not in LOG_TASKS  # answered by the self-rating


def test_log_entry_form_saves_per_practitioner_and_task(store: Store, tmp_path: Path):
    box = module.log_entry_form(session_for(store, tmp_path), "module6.task_6_2")
    form = box.children[1]
    form.editors["text"].input.value = "Ringing with good news first."
    entry = load_record(store, "school", LogEntry, f"{WHO}/module6.task_6_2")
    assert entry is not None and entry.text == "Ringing with good news first."
    other = module.log_entry_form(session_for(store, tmp_path, "Someone Else"),
                                  "module6.task_6_2").children[1]
    assert other.editors["text"].input.value == ""


def test_log_entry_for_an_unknown_task_is_refused(store: Store, tmp_path: Path):
    with pytest.raises(NotFoundError, match="not a reflective-log task"):
        module.log_entry_form(session_for(store, tmp_path), "module6.task_9")
    with pytest.raises(RecordValidationError):
        validate_record(LogEntry, {"practitioner": WHO, "task": "module6.task_9", "text": "x"})


# ------------------------------------------------------------------ self-rating and wheel


def test_self_rating_start_and_end_are_shown_side_by_side(store: Store, tmp_path: Path):
    s = session_for(store, tmp_path)
    module.self_rating_form(s, "start").editors["rating"].input.value = 2
    page = module.self_rating_html(store, "school", WHO)
    assert "At the start" in page and "At the end" in page
    assert "2" in page and "not rated yet" in page
    module.self_rating_form(s, "end").editors["rating"].input.value = 4
    assert module.self_ratings(store, "school", WHO) == {"start": 2, "end": 4}
    page = module.self_rating_html(store, "school", WHO)
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


def test_self_rating_moment_must_be_start_or_end(store: Store, tmp_path: Path):
    with pytest.raises(PartnerkitError, match="use 'start' or 'end'"):
        module.self_rating_form(session_for(store, tmp_path), "middle")


def test_wheel_areas_cite_module_content():
    content = load_content()
    assert len(WHEEL_AREAS) >= 6
    for _label, content_id in WHEEL_AREAS.values():
        assert content.framework_of(content_id).id == "module6"


def test_wheel_draws_start_and_end_one_over_the_other(store: Store):
    figure = module.wheel_chart(store, "school", WHO)
    assert isinstance(figure, Figure)
    assert "not completed yet" in figure.axes[0].get_title()
    save_record(store, "school", WheelRating(practitioner=WHO, moment="start",
                                             **dict.fromkeys(WHEEL_AREAS, 2)), WHO)
    one = module.wheel_chart(store, "school", WHO).axes[0]
    assert len(one.lines) == 1
    end = dict.fromkeys(WHEEL_AREAS, 4)
    end["parents"] = None
    save_record(store, "school", WheelRating(practitioner=WHO, moment="end", **end), WHO)
    axes = module.wheel_chart(store, "school", WHO).axes
    assert len(axes) == 1  # one radar: both wheels on the same axes
    lines = axes[0].lines
    assert [line.get_label() for line in lines] == ["Start", "End"]
    assert list(lines[0].get_ydata()[:-1]) == [2] * len(WHEEL_AREAS)
    assert 0 in list(lines[1].get_ydata()) and "1 area rating not given" in \
        axes[0].get_title()


# ------------------------------------------------------------------ parents and postcards


def test_parent_partnership_keeps_barriers_strategies_and_meeting_preparation(
        store: Store, tmp_path: Path):
    form = module.parent_partnership_form(session_for(store, tmp_path), "P-2001")
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


def test_pupil_picker_refuses_a_name_instead_of_a_reference(store: Store, tmp_path: Path):
    view = module.parent_partnership(session_for(store, tmp_path))
    picker = view.children[1]
    assert picker.show_pupil("Robert Smith") is None
    assert "not a pupil reference" in picker.message.value
    assert picker.show_pupil("P-2002") is not None and picker.message.value == ""


def test_postcard_is_printable_with_user_text_escaped(store: Store, tmp_path: Path):
    s = session_for(store, tmp_path)
    editor = module.PostcardEditor(s, "P-2001", "try_at_home")
    editor.form.editors["strategy"].input.value = "Use a <b>timer</b> & a chart"
    editor.form.editors["to"].input.value = "Parents/carers"
    stored = load_records(store, "school", Postcard, prefix="P-2001/")
    assert len(stored) == 1 and stored[0].card_type == "try_at_home"
    page = module.postcard_html(stored[0], "school")
    assert load_content().item("module6.postcard.try_at_home").text in page
    assert "Use a &lt;b&gt;timer&lt;/b&gt; &amp; a chart" in page and "<b>timer" not in page
    assert "Download the printable postcard" in editor.preview.value
    tried = Postcard(pupil="P-2001", card_type="tried_at_home", strategy="Ear defenders",
                     details="Calmer mornings")
    assert "Something we tried at home" in module.postcard_html(tried, "school")
    assert "How it went" in module.postcard_html(tried, "school")


# ------------------------------------------------------------------ survey


def test_feedback_survey_is_saved(store: Store, tmp_path: Path):
    box = module.feedback_form(session_for(store, tmp_path))
    form = box.children[1]
    form.editors["most_useful"].input.value = ["6_2"]
    form.editors["improve"].input.value = "More examples."
    survey = load_record(store, "school", FeedbackSurvey, WHO)
    assert survey.most_useful == ["6_2"] and survey.improve == "More examples."
    assert survey.is_answered()


# ------------------------------------------------------------------ cohort summary


@pytest.mark.parametrize(("counts", "partition", "shown"), [
    ([5, 6, 0], True, [5, 6, 0]),
    ([1, 6, 7], True, ["<5", "<5", 7]),       # one hidden: the next smallest goes too
    ([2, 3, 9], True, ["<5", "<5", 9]),       # two hidden cannot be told apart
    ([4, 0, 0], True, ["<5", 0, 0]),
    ([1, 6, 7], False, ["<5", 6, 7]),
    ([0, 0], True, [0, 0]),
])
def test_suppress(counts, partition, shown):
    assert module.suppress(counts, partition=partition) == shown


def _rate(store: Store, who: str, moment: str, rating: int) -> None:
    save_record(store, "school", SelfRating(practitioner=who, moment=moment, rating=rating),
                who)


def test_cohort_summary_counts_only_and_suppresses_groups_under_five(store: Store):
    names = [f"Practitioner {n}" for n in range(12)]
    for i, who in enumerate(names):
        _rate(store, who, "start", 2 if i < 6 else 3)  # 6 and 6: shown
        if i < 7:
            _rate(store, who, "end", 4 if i < 6 else 5)  # 6 and 1: both hidden
        if i < 4:
            save_record(store, "school", Activity16Answer(practitioner=who, chosen=["a"]), who)
    tables = module.cohort_summary(store, "school")
    ratings = tables["self_ratings"].set_index("rating")
    assert list(tables["self_ratings"].columns) == module.RATING_COLUMNS
    assert ratings["start"].tolist() == [0, 6, 6, 0, 0]
    assert ratings["end"].tolist() == [0, 0, 0, "<5", "<5"]
    activities = tables["activities"].set_index("activity")
    assert list(tables["activities"].columns) == module.ACTIVITY_COLUMNS
    assert activities.loc["Self-rating at the start", "practitioners"] == 12
    assert activities.loc["Self-rating at the end", "practitioners"] == 7
    assert activities.loc["Activity 16: Effective collaboration", "practitioners"] == "<5"
    assert activities.loc["Feedback survey", "practitioners"] == 0
    everything = "\n".join(t.to_string() for t in tables.values())
    assert not any(name in everything for name in names)


def _attempt(store: Store, who: str, number: int, passed: bool) -> None:
    save_record(store, "school", QuizAttempt(
        practitioner=who, attempt=number, question_ids=["q01_aspire"],
        answers={"q01_aspire": ["a"]}, correct=int(passed), score=float(passed),
        passed=passed, submitted_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)), who)


def test_cohort_quiz_pass_rate_is_shown_only_when_both_groups_are_five_or_more(store: Store):
    for i in range(10):
        _attempt(store, f"P{i}", 1, passed=i < 5)
    quiz_table = module.cohort_summary(store, "school")["quiz"].set_index("measure")["value"]
    assert quiz_table["Practitioners who attempted the quiz"] == 10
    assert quiz_table["Practitioners who passed"] == 5
    assert quiz_table["Pass rate (of those who attempted)"] == "50%"
    _attempt(store, "P0", 2, passed=False)
    _attempt(store, "P9", 2, passed=True)  # now 6 passed, 4 not
    tables = module.cohort_summary(store, "school")
    quiz_table = tables["quiz"].set_index("measure")["value"]
    assert quiz_table["Practitioners who passed"] == "<5"
    assert quiz_table["Practitioners who have not passed yet"] == "<5"
    assert quiz_table["Pass rate (of those who attempted)"] == "<5"
    attempts = tables["quiz_attempts"].set_index("attempts_made")["practitioners"]
    assert attempts["1"] == "<5" and attempts["2"] == "<5"  # 8 would reveal the 2


def test_cohort_summary_of_an_empty_workspace(store: Store):
    tables = module.cohort_summary(store, "school")
    assert set(tables) == {"activities", "quiz", "quiz_attempts", "self_ratings"}
    assert (tables["activities"]["practitioners"] == 0).all()
    assert "Cohort summary" in module.cohort_html(store, "school")


# ------------------------------------------------------------------ demo


def test_demo_cohort_is_at_various_stages_and_seeding_twice_changes_nothing(store: Store):
    first = module.seed(store, "school", "Demo Practitioner")
    changes = store.count_history("school")
    assert module.seed(store, "school", "Demo Practitioner") == 0
    assert store.count_history("school") == changes and first > 0
    practitioners = {r.practitioner for r in load_records(store, "school", SelfRating)}
    assert len(practitioners) >= 6
    ends = {r.practitioner for r in load_records(store, "school", SelfRating)
            if r.moment == "end"}
    assert 0 < len(ends) < len(practitioners)
    logs = load_records(store, "school", LogEntry)
    counts = {p: sum(e.practitioner == p for e in logs) for p in practitioners}
    assert len(set(counts.values())) >= 3  # different amounts of the log written


# ------------------------------------------------------------------ the workbook






def test_collaborative_working_workbook_runs_on_demo_data(demo_data, run_workbook, kernel_env):
    notebook = run_workbook("collaborative_working")
    text = _texts(notebook)
    for number in module.SECTIONS:
        assert load_content().item(module.SECTIONS[number]).title in text
    kinds = {k for c in notebook.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert "image/png" in kinds  # the wheel
    assert "Cohort summary" in text and "&lt;5" in text
    assert "Test Practitioner" not in text.split("Cohort summary", 1)[1]


def test_collaborative_working_workbook_shows_a_practitioners_own_answers(
        demo_data, run_workbook, kernel_env):
    text = _texts(run_workbook("collaborative_working", author="Aisha Rahman"))
    assert "Phoning with good news first" in text
    assert "You have passed the end-of-module quiz" in text


def test_collaborative_working_workbook_for_another_workspace(demo_data, run_workbook,
                                                             kernel_env):
    text = _texts(run_workbook("collaborative_working", workspace="cohort-2"))
    assert "Cohort summary: cohort-2" in text


def test_workbooks_are_committed_without_outputs():
    for name in ("collaborative_working", "reflective_log", "staged_support"):
        notebook = json.loads((REPO / "workbooks" / f"{name}.ipynb").read_text())
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        assert notebook["cells"][0]["cell_type"] == "markdown"
        assert code[1]["metadata"]["tags"] == ["parameters"]
        assert "data_dir = None" in "".join(code[1]["source"])
