from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import ipywidgets as widgets
import pytest
from papermill.exceptions import PapermillExecutionError

from partnerkit.errors import PartnerkitError, RecordValidationError
from partnerkit.records.base import load_record, save_record, validate_record
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import (
    ChecklistProgress,
    DeliveryTool,
    PlanSettings,
    VisionTool,
)
from partnerkit.session import Session
from partnerkit.six_steps import checklist
from partnerkit.store import Store, open_store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[1]
ALL_ITEMS = [f"six_steps.{s}.{i}" for s, n in zip(range(1, 7), (6, 4, 3, 4, 5, 4),
                                                  strict=True) for i in range(1, n + 1)]
TODAY = dt.date(2026, 9, 1)  # the settable clock's day


def session(store: Store, author: str = "Ann", tmp: Path | None = None) -> Session:
    return Session(store=store, workspace="school", author=author, data_dir=tmp or Path("."))


def plan(store: Store, start=dt.date(2026, 8, 17), end=dt.date(2027, 6, 30)) -> None:
    save_record(store, "school", PlanSettings(school="Test High", local_authority="Testshire",
                                              start=start, end=end), "Ann")


def progress(item="six_steps.1.1", status="not_started", due=None, owner=""):
    return ChecklistProgress(item=item, status=status, due=due, owner=owner)


# ------------------------------------------------------------------ the step parameter


@pytest.mark.parametrize("given, expected", [(1, 1), (6, 6), ("1", 1), (" 4 ", 4), ("6", 6)])
def test_check_step_accepts_one_to_six_as_number_or_text(given, expected):
    assert checklist.check_step(given) == expected


@pytest.mark.parametrize("bad", ["abc", 0, 9, 7, -1, "", "1.5", 2.0, None, True, "six"])
def test_check_step_refuses_anything_else_and_says_the_fix(bad):
    with pytest.raises(PartnerkitError) as caught:
        checklist.check_step(bad)
    message = str(caught.value)
    assert repr(bad) in message
    assert "from 1 to 6" in message
    assert caught.value.value == bad


def test_the_checklist_has_26_items_in_order():
    assert checklist.item_ids() == ALL_ITEMS
    assert checklist.item_ids("5") == [f"six_steps.5.{i}" for i in range(1, 6)]


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
    assert checklist.is_overdue(progress(status=status, due=due), TODAY) is overdue


def test_an_item_with_no_record_is_not_overdue():
    assert checklist.is_overdue(None, TODAY) is False


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
    result = checklist.progress_of(records, items, TODAY)
    assert (result.done, result.applicable, result.percent) == (done, applicable, percent)
    assert result.total == 4
    assert f"({percent}%)" in result.describe()


def test_progress_counts_overdue_items_and_says_so_in_words():
    items = ["six_steps.2.1", "six_steps.2.2", "six_steps.2.3"]
    records = [progress("six_steps.2.1", "in_progress", TODAY - dt.timedelta(days=3)),
               progress("six_steps.2.2", "done", TODAY - dt.timedelta(days=3)),
               progress("six_steps.2.3", "not_started", TODAY - dt.timedelta(days=1))]
    result = checklist.progress_of(records, items, TODAY)
    assert result.overdue == 2
    assert "2 overdue" in result.describe()


def test_progress_ignores_records_of_other_items():
    records = [progress("six_steps.6.1", "done")]
    assert checklist.progress_of(records, ["six_steps.1.1"], TODAY).done == 0


def test_marker_says_overdue_in_words():
    text = checklist.marker_text(progress(status="in_progress",
                                          due=TODAY - dt.timedelta(days=2)), TODAY)
    assert text.startswith("⚠ Overdue")
    assert "2 days ago" in text
    assert checklist.marker_text(progress(status="done"), TODAY) == "✓ Done"
    assert "in 5 days" in checklist.marker_text(
        progress(status="in_progress", due=TODAY + dt.timedelta(days=5)), TODAY)


# ------------------------------------------------------------------ due dates and owners


def test_due_date_before_the_plan_starts_is_refused():
    settings = PlanSettings(start=dt.date(2026, 8, 17))
    problem = checklist.due_date_problem(dt.date(2026, 8, 16), settings)
    assert "before the plan starts (17 August 2026)" in problem
    assert checklist.due_date_problem(dt.date(2026, 8, 17), settings) is None
    assert checklist.due_date_problem(dt.date(2026, 1, 1), None) is None


@pytest.mark.parametrize("bad", ["abc", "2026-02-30", "31/12/2026", 42])
def test_a_due_date_that_is_not_a_date_is_refused(bad):
    assert "is not a date" in checklist.due_date_problem(bad, None)


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
    assert "owner" in checklist.warn_progress(progress(status="in_progress"), None)
    assert checklist.warn_progress(progress(status="in_progress", owner="Ann"), None) == {}
    assert checklist.warn_progress(progress(status="not_started"), None) == {}


def test_step_form_refuses_a_due_date_before_the_plan_start(store: Store):
    plan(store)
    view = checklist.step_view(session(store), 1)
    form = view.forms["six_steps.1.1"]
    form.editors["due"].input.value = dt.date(2026, 8, 1)
    assert "before the plan starts" in form.editors["due"].message.value
    assert store.get("school", "checklist_progress", "six_steps.1.1") is None
    form.editors["due"].input.value = dt.date(2026, 9, 30)
    assert store.get("school", "checklist_progress", "six_steps.1.1").data["due"] == "2026-09-30"
    assert form.editors["due"].message.value == ""


def test_step_form_warns_but_saves_an_item_in_progress_with_no_owner(store: Store):
    view = checklist.step_view(session(store), 2)
    form = view.forms["six_steps.2.3"]
    form.editors["status"].input.value = "in_progress"
    saved = store.get("school", "checklist_progress", "six_steps.2.3")
    assert saved is not None and saved.data["status"] == "in_progress"
    assert "nobody owns it" in form.editors["owner"].message.value
    form.editors["owner"].input.value = "Mr Khan"
    assert form.editors["owner"].message.value == ""


def test_a_stored_item_in_progress_without_owner_shows_the_warning_on_opening(store: Store):
    save_record(store, "school", progress("six_steps.4.2", "in_progress"), "Ann")
    view = checklist.step_view(session(store), 4)
    assert "nobody owns it" in view.forms["six_steps.4.2"].editors["owner"].message.value
    assert view.forms["six_steps.4.1"].editors["owner"].message.value == ""


def test_saving_moves_the_bars_and_the_marker(store: Store, clock):
    view = checklist.step_view(session(store), 3)
    assert view.step_bar.progress.done == 0
    form = view.forms["six_steps.3.1"]
    form.editors["status"].input.value = "done"
    assert view.step_bar.progress.done == 1
    assert view.step_bar.bar.value == 33
    assert "Step 3:</strong> 1 of 3 items done (33%)" in view.step_bar.text.value
    assert "Whole plan:</strong> 1 of 26 items done (3%)" in view.plan_bar.text.value
    assert "Done" in view.markers["six_steps.3.1"].value
    late = view.forms["six_steps.3.2"]
    late.editors["due"].input.value = dt.date(2026, 8, 30)
    assert "Overdue" in view.markers["six_steps.3.2"].value
    assert "1 overdue" in view.step_bar.text.value


def test_two_people_editing_one_item_keep_both_changes(store: Store, clock):
    ann = checklist.step_view(session(store, "Ann"), 1).forms["six_steps.1.4"]
    bob_view = checklist.step_view(session(store, "Bob"), 1)
    bob = bob_view.forms["six_steps.1.4"]
    ann.editors["owner"].input.value = "Ann Duffy"
    clock.advance(minutes=1)
    bob.editors["status"].input.value = "in_progress"
    history = checklist.item_history(store, "school", "six_steps.1.4")
    assert list(history.columns) == list(checklist.HISTORY_COLUMNS)
    assert list(history["author"]) == ["Ann", "Bob"]
    assert history.iloc[0]["owner"] == "Ann Duffy"            # the earlier change is kept
    current = load_record(store, "school", ChecklistProgress, "six_steps.1.4")
    assert current.status == "in_progress" and current.owner == ""   # the later is current
    shown = bob_view.histories["six_steps.1.4"].value          # and the earlier is visible
    assert "Ann Duffy" in shown and shown.index("Bob") < shown.index("Ann")


# ------------------------------------------------------------------ tables


def test_progress_table_has_fixed_columns_and_every_item(store: Store):
    plan(store)
    save_record(store, "school", progress("six_steps.2.2", "in_progress",
                                          dt.date(2026, 8, 20), "Sam"), "Ann")
    table = checklist.progress_table(store, "school")
    assert list(table.columns) == list(checklist.PROGRESS_COLUMNS)
    assert list(table["item"]) == ALL_ITEMS
    row = table.set_index("item").loc["six_steps.2.2"]
    assert (row["status_label"], row["owner"], bool(row["overdue"])) == ("In progress", "Sam",
                                                                         True)
    assert row["updated_by"] == "Ann"
    assert table.set_index("item").loc["six_steps.1.1", "status"] == "not_started"
    assert list(checklist.progress_table(store, "school", step=6)["number"]) == [
        "6.1", "6.2", "6.3", "6.4"]


def test_progress_summary_per_step_and_whole_plan(store: Store):
    for item in ("six_steps.1.1", "six_steps.1.2", "six_steps.5.1"):
        save_record(store, "school", progress(item, "done"), "Ann")
    summary = checklist.progress_summary(store, "school")
    assert list(summary.columns) == list(checklist.SUMMARY_COLUMNS)
    assert list(summary["step"]) == [1, 2, 3, 4, 5, 6, "all"]
    assert summary.iloc[0]["percent"] == 33 and summary.iloc[4]["percent"] == 20
    assert summary.iloc[-1][["items", "done", "percent"]].tolist() == [26, 3, 11]


# ------------------------------------------------------------------ step tools


def test_step_one_key_contacts_come_from_the_partner_directory(store: Store):
    save_record(store, "school", DirectoryEntry(organisation="Eastfield Youth Project",
                                                key_contact="Sam Reid", contact="0141"), "Ann")
    box = checklist.step_tools(session(store), "1")
    form = box.children[-1]
    rows = form.editors["key_contacts"].input.value
    assert [r["partner"] for r in rows] == ["Eastfield Youth Project"]
    assert rows[0]["partner_contact"] == "Sam Reid"
    assert store.get("school", "plan_vision", "plan") is None       # not saved until edited
    link = box.children[0].value
    assert 'href="attendance.ipynb?workspace=school&amp;author=Ann"' in link
    form.editors["vision"].input.value = "Everyone belongs"
    saved = load_record(store, "school", VisionTool, "plan")
    assert saved.vision == "Everyone belongs"
    assert saved.key_contacts[0].partner == "Eastfield Youth Project"


def test_a_partner_already_listed_is_not_added_twice(store: Store):
    entry = DirectoryEntry(organisation="Eastfield Youth Project")
    tool = VisionTool(key_contacts=[{"partner": "eastfield  youth project",
                                     "school_contact": "Mr Khan"}])
    merged = checklist.with_directory_contacts(tool, [entry])
    assert len(merged.key_contacts) == 1


def test_items_1_1_and_1_3_link_into_the_attendance_workbook(store: Store):
    view = checklist.step_view(session(store), 1)
    html_of = {item: box.children[0].value
               for item, box in zip(checklist.item_ids(1), view.children[3:], strict=True)}
    assert "attendance.ipynb" in html_of["six_steps.1.1"]
    assert "attendance.ipynb" in html_of["six_steps.1.3"]
    assert "attendance.ipynb" not in html_of["six_steps.1.4"]
    assert "mapping_tool.ipynb" in html_of["six_steps.1.2"]


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6])
def test_every_step_has_a_tools_form(store: Store, step: int):
    box = checklist.step_tools(session(store), step)
    assert isinstance(box, widgets.VBox)
    assert box.children[-1].record_type is checklist.STEP_TOOLS[step]


def test_a_table_row_in_a_step_tool_is_saved(store: Store):
    form = checklist.step_tools(session(store), 5).children[-1]
    roles = form.editors["roles"].input
    roles._add_row({}, notify=True)
    who = roles._rows[0]["who"].input
    who.value = "Mr Khan"
    saved = load_record(store, "school", DeliveryTool, "plan")
    assert saved.roles[0].who == "Mr Khan"


def test_tool_sections_leave_out_blank_rows_and_keep_user_text():
    tool = DeliveryTool(roles=[{"who": "<b>Ann</b>", "what": "Check-in"}, {}],
                        pathways="Exit after a term")
    sections = {s["title"]: s for s in checklist.tool_sections(tool, DeliveryTool)}
    roles = sections["Roles and responsibilities"]
    assert roles["columns"] == ["Who", "What", "When", "How"]
    assert roles["rows"] == [["<b>Ann</b>", "Check-in", "", ""]]
    assert sections["Pathways and exit plans"]["text"] == "Exit after a term"


# ------------------------------------------------------------------ report


def test_plan_report_shows_every_item_progress_tools_and_the_wheel(store: Store):
    from partnerkit.principles.principles import seed_demo_principles

    plan(store)
    save_record(store, "school", progress("six_steps.2.2", "in_progress",
                                          dt.date(2026, 8, 20),
                                          "<script>alert(1)</script>"), "Ann")
    save_record(store, "school", progress("six_steps.1.1", "done"), "Ann")
    save_record(store, "school", DeliveryTool(roles=[{"who": "Ann & Bob"}]), "Ann")
    seed_demo_principles(store, "school", "Ann")
    page = checklist.plan_report_html(store, "school")
    for number in [i.removeprefix("six_steps.") for i in ALL_ITEMS]:
        assert f"<strong>{number}</strong>" in page
    assert "Whole plan: 1 of 26 items done (3%)" in page
    assert "⚠ Overdue" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "Ann &amp; Bob" in page
    assert "<svg" in page and "Conversation starters" in page
    assert "Test High" in page


# ------------------------------------------------------------------ demo


def test_demo_plan_is_in_progress_and_idempotent(store: Store):
    first = checklist.seed_demo_plan(store, "school", "Demo")
    changes = store.count_history("school")
    second = checklist.seed_demo_plan(store, "school", "Demo")
    assert first == second and store.count_history("school") == changes
    table = checklist.progress_table(store, "school")
    statuses = set(table["status"])
    assert {"done", "in_progress", "not_started", "not_applicable"} <= statuses
    assert table["overdue"].sum() >= 2
    assert load_record(store, "school", VisionTool, "plan").vision
    assert load_record(store, "school", DeliveryTool, "plan").roles


# ------------------------------------------------------------------ the workbook






def test_six_steps_workbook_renders_every_step_with_the_real_progress(demo_data, run_workbook,
                                                                     kernel_env):
    store = open_store(demo_data)
    try:
        whole = checklist.plan_progress(store, "demo")
        per_step = {s: checklist.plan_progress(store, "demo", s) for s in checklist.STEPS}
    finally:
        store.close()
    assert 0 < whole.percent < 100 and whole.overdue > 0
    seen = ""
    for step in checklist.STEPS:
        text = _texts(run_workbook("six_steps", step=step))
        assert f"Whole plan:</strong> {whole.describe()}" in text
        assert f"Step {step}:</strong> {per_step[step].describe()}" in text
        seen += text
    missing = [item for item in ALL_ITEMS if item not in seen]
    assert missing == []


def test_six_steps_workbook_runs_with_its_defaults(demo_data, run_workbook, kernel_env):
    text = _texts(run_workbook("six_steps"))
    assert "six_steps.1.6" in text and "six_steps.2.1" not in text


@pytest.mark.parametrize("bad", ["abc", 9])
def test_six_steps_workbook_says_what_to_do_with_a_bad_step(demo_data, run_workbook,
                                                            kernel_env, bad):
    with pytest.raises(PapermillExecutionError) as caught:
        run_workbook("six_steps", step=bad)
    assert f"step: {bad!r} is not one of the six steps" in str(caught.value)
    assert "give a step number from 1 to 6" in str(caught.value)


def test_workbook_is_committed_without_outputs():
    notebook = json.loads((REPO / "workbooks" / "six_steps.ipynb").read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    assert code[1]["metadata"]["tags"] == ["parameters"]


def test_plan_progress_view_has_a_bar_per_step_and_the_whole_plan(store: Store):
    save_record(store, "school", progress("six_steps.6.4", "done"), "Ann")
    bars = [c for c in checklist.plan_progress_view(session(store)).children
            if isinstance(c, checklist.ProgressBar)]
    assert [b.label for b in bars] == ["Whole plan"] + [f"Step {s}" for s in range(1, 7)]
    assert bars[-1].progress.percent == 25 and bars[0].progress.done == 1


def test_the_plan_report_for_one_step_shows_only_that_step(demo_data):
    from partnerkit.store import Store as _Store

    page = checklist.plan_report_html(_Store(data=demo_data), "demo", step="3")
    from partnerkit.content import load_content

    content = load_content()
    def shown(item_id):
        return html.escape(content.item(item_id).text[:40], quote=False) in page

    assert "step 3" in page
    assert shown("six_steps.3.1") and shown("six_steps.3.3")
    assert not shown("six_steps.1.1") and not shown("six_steps.6.4")
