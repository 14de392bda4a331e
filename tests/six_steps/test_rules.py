from __future__ import annotations

import datetime as dt

import pytest

from partnerkit.errors import PartnerkitError, RecordValidationError, StepError
from partnerkit.records.base import validate_record
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import ChecklistProgress, DeliveryTool, PlanSettings, VisionTool
from partnerkit.six_steps import rules
from tests.six_steps.helpers import ALL_ITEMS, TODAY, progress

# ------------------------------------------------------------------ the step parameter


@pytest.mark.parametrize("given, expected", [(1, 1), (6, 6), ("1", 1), (" 4 ", 4), ("6", 6)])
def test_check_step_accepts_one_to_six_as_number_or_text(given, expected):
    assert rules.check_step(given) == expected


@pytest.mark.parametrize("bad", ["abc", 0, 9, 7, -1, "", "1.5", 2.0, None, True, "six"])
def test_check_step_refuses_anything_else_and_says_the_fix(bad):
    with pytest.raises(StepError) as caught:
        rules.check_step(bad)
    message = str(caught.value)
    assert repr(bad) in message
    assert "from 1 to 6" in message
    assert caught.value.value == bad
    assert caught.value.where == "step"


def test_check_step_names_where_the_value_came_from():
    with pytest.raises(StepError) as caught:
        rules.check_step("9", where="--step")
    assert str(caught.value).startswith("--step '9'")
    assert isinstance(caught.value, PartnerkitError)


def test_the_checklist_has_26_items_in_order():
    assert rules.item_ids() == ALL_ITEMS
    assert rules.item_ids("5") == [f"six_steps.5.{i}" for i in range(1, 6)]
    assert rules.step_of("six_steps.3.2") == 3


# ------------------------------------------------------------------ overdue and progress


@pytest.mark.parametrize("status, due, overdue", [
    ("in_progress", TODAY - dt.timedelta(days=1), True),
    ("not_started", TODAY - dt.timedelta(days=30), True),
    ("in_progress", TODAY, False),              # due today is not yet overdue
    ("in_progress", TODAY + dt.timedelta(days=1), False),
    ("done", TODAY - dt.timedelta(days=1), False),
    ("not_applicable", TODAY - dt.timedelta(days=1), False),
    ("in_progress", None, False),               # no due date, never overdue
])
def test_overdue_rule(status, due, overdue):
    assert rules.is_overdue(progress(status=status, due=due), TODAY) is overdue


def test_an_item_with_no_record_is_not_overdue():
    assert rules.is_overdue(None, TODAY) is False


@pytest.mark.parametrize("statuses, done, applicable, percent", [
    ([], 0, 4, 0),                                                  # nothing saved
    (["done", "done", "done", "done"], 4, 4, 100),
    (["done", "not_applicable", "in_progress"], 1, 3, 33),          # 1 of 3, rounded down
    (["done", "done", "not_started"], 2, 4, 50),                    # 4th item has no record
    (["done", "done", "in_progress", "not_applicable"], 2, 3, 66),  # 66.7 shows as 66
    (["not_applicable"] * 4, 0, 0, 100),                            # nothing applies
])
def test_progress_counts_done_over_applicable(statuses, done, applicable, percent):
    items = ["six_steps.1.1", "six_steps.1.2", "six_steps.1.3", "six_steps.1.4"]
    records = [progress(item=i, status=s) for i, s in zip(items, statuses, strict=False)]
    result = rules.progress_of(records, items, TODAY)
    assert (result.done, result.applicable, result.percent) == (done, applicable, percent)
    assert result.total == 4
    assert f"({percent}%)" in result.describe()


def test_progress_counts_overdue_items_and_says_so_in_words():
    items = ["six_steps.2.1", "six_steps.2.2", "six_steps.2.3"]
    records = [progress("six_steps.2.1", "in_progress", TODAY - dt.timedelta(days=3)),
               progress("six_steps.2.2", "done", TODAY - dt.timedelta(days=3)),
               progress("six_steps.2.3", "not_started", TODAY - dt.timedelta(days=1))]
    result = rules.progress_of(records, items, TODAY)
    assert result.overdue == 2
    assert "2 overdue" in result.describe()


def test_progress_ignores_records_of_other_items():
    records = [progress("six_steps.6.1", "done")]
    assert rules.progress_of(records, ["six_steps.1.1"], TODAY).done == 0


def test_marker_says_overdue_in_words():
    text = rules.marker_text(progress(status="in_progress",
                                      due=TODAY - dt.timedelta(days=2)), TODAY)
    assert text.startswith("⚠ Overdue")
    assert "2 days ago" in text and "was due 30 August 2026" in text
    assert rules.marker_text(progress(status="done"), TODAY) == "✓ Done"
    assert "in 5 days" in rules.marker_text(
        progress(status="in_progress", due=TODAY + dt.timedelta(days=5)), TODAY)


def test_marker_style_follows_the_words():
    late = progress(status="in_progress", due=TODAY - dt.timedelta(days=2))
    assert rules.marker_style(late, TODAY) == "pk-overdue"
    assert rules.marker_style(progress(status="done"), TODAY) == "pk-done"
    assert rules.marker_style(None, TODAY) == ""


# ------------------------------------------------------------------ due dates and owners


def test_due_date_before_the_plan_starts_is_refused():
    settings = PlanSettings(start=dt.date(2026, 8, 17))
    problem = rules.due_date_problem(dt.date(2026, 8, 16), settings)
    assert "before the plan starts (17 August 2026)" in problem
    assert rules.due_date_problem(dt.date(2026, 8, 17), settings) is None
    assert rules.due_date_problem(dt.date(2026, 1, 1), None) is None


@pytest.mark.parametrize("bad", ["abc", "2026-02-30", "31/12/2026", 42])
def test_a_due_date_that_is_not_a_date_is_refused(bad):
    assert "is not a date" in rules.due_date_problem(bad, None)


def test_a_record_with_a_due_date_that_is_not_a_date_is_not_valid():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(ChecklistProgress, {"item": "six_steps.1.1", "due": "next week"})
    assert "'next week' is not a date" in caught.value.field_errors["due"]


def test_an_unknown_item_is_refused():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(ChecklistProgress, {"item": "six_steps.7.1"})
    assert "six_steps.7.1" in caught.value.field_errors["item"]


def test_plan_end_before_start_is_refused():
    with pytest.raises(RecordValidationError) as caught:
        validate_record(PlanSettings, {"start": "2026-08-17", "end": "2026-06-30"})
    assert "before the plan starts" in caught.value.field_errors["end"]


def test_owner_warning_only_for_an_item_in_progress_without_owner():
    assert "owner" in rules.warn_progress(progress(status="in_progress"), None)
    assert rules.warn_progress(progress(status="in_progress", owner="Ann"), None) == {}
    assert rules.warn_progress(progress(status="not_started"), None) == {}


def test_a_due_date_after_the_plan_ends_is_a_warning():
    settings = PlanSettings(start=dt.date(2026, 8, 17), end=dt.date(2027, 6, 30))
    late = progress(status="not_started", due=dt.date(2027, 7, 2))
    assert rules.warn_progress(late, settings)["due"].startswith(
        "2 July 2027 is after the plan ends (30 June 2027)")
    assert rules.check_progress(late, settings) == {}


# ------------------------------------------------------------------ step tools


def test_a_partner_already_listed_is_not_added_twice():
    entry = DirectoryEntry(organisation="Eastfield Youth Project")
    tool = VisionTool(key_contacts=[{"partner": "eastfield  youth project",
                                     "school_contact": "Mr Khan"}])
    merged = rules.with_directory_contacts(tool, [entry])
    assert len(merged.key_contacts) == 1


def test_tool_sections_leave_out_blank_rows_and_keep_user_text():
    tool = DeliveryTool(roles=[{"who": "<b>Ann</b>", "what": "Check-in"}, {}],
                        pathways="Exit after a term")
    sections = {s["title"]: s for s in rules.tool_sections(tool, DeliveryTool)}
    roles = sections["Roles and responsibilities"]
    assert roles["columns"] == ["Who", "What", "When", "How"]
    assert roles["rows"] == [["<b>Ann</b>", "Check-in", "", ""]]
    assert sections["Pathways and exit plans"]["text"] == "Exit after a term"
