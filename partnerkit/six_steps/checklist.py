"""Six steps to an effective partnership: the checklist, its progress and its step tools.

A school's plan walks the 26 checklist items (``six_steps.1.1`` ... ``six_steps.6.4``).
Each item has a :class:`~partnerkit.records.plan.ChecklistProgress` record (status,
owner, partners, due date, evidence, notes); each step has a record for the tools its
items ask for (:data:`~partnerkit.records.plan.STEP_TOOLS`). The rules are pure
functions over records and a date:

* an item with no record is *not started*;
* progress is the share of applicable items that are *done* (items marked *not
  applicable* leave the count); it is shown in whole per cent, rounded down, so 100%
  means every applicable item is done; a step or plan with nothing applicable is 100%;
* an item is *overdue* when its due date is before today and it is not started or in
  progress (done and not applicable items are never overdue; no due date, never
  overdue). Today is the store's clock (:meth:`Store.clock`), in local time.

The views (:func:`step_view`, :func:`step_tools`, :func:`plan_settings_form`,
:func:`plan_progress_view`) return widgets; :func:`progress_table`,
:func:`progress_summary` and :func:`item_history` return DataFrames with fixed columns;
:func:`plan_report_html` renders the school partnership plan.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import ipywidgets as widgets
import pandas as pd

from partnerkit.content import Item, load_content
from partnerkit.demo import DEMO_SCHOOL, demo_seeder
from partnerkit.errors import PartnerkitError
from partnerkit.forms import RecordForm, record_form
from partnerkit.records.base import Record, load_record, load_records, save_record
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import (
    STATUS_LABELS,
    STEP_TOOLS,
    AgreementRow,
    ChecklistProgress,
    CommunitySupportRow,
    ConsultationRow,
    DeliveryTool,
    ImpactTool,
    KeyContactRow,
    MeetingRow,
    PaperworkRow,
    PartnerOfferRow,
    PlanSettings,
    ResourceRow,
    ResourcesTool,
    RoleRow,
    Row,
    SharedPlanTool,
    TargetedSupportRow,
    TrackingRow,
    VisionTool,
    VoiceTool,
)
from partnerkit.session import Session
from partnerkit.store import Store

STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
OPEN_STATUSES = ("not_started", "in_progress")
"""Statuses in which an item can be overdue."""

ATTENDANCE_WORKBOOK = "attendance.ipynb"
MAPPING_WORKBOOK = "mapping_tool.ipynb"
ATTENDANCE_ITEMS = ("six_steps.1.1", "six_steps.1.3")
"""Items that ask for the attendance data; their views link into the attendance workbook."""

PROGRESS_COLUMNS: tuple[str, ...] = (
    "step", "item", "number", "text", "status", "status_label", "owner", "partners", "due",
    "overdue", "evidence", "notes", "updated_by", "updated_at")
"""Columns of :func:`progress_table`: one row per checklist item, in checklist order.

``step`` (int), ``item`` (content id), ``number`` ("2.3"), ``text`` (the item's wording),
``status`` (not_started/in_progress/done/not_applicable), ``status_label`` (its words),
``owner``, ``partners`` (joined with "; "), ``due`` (date or None), ``overdue`` (bool),
``evidence``, ``notes``, ``updated_by`` and ``updated_at`` (None when never saved).
"""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "step", "title", "items", "done", "in_progress", "not_started", "not_applicable",
    "overdue", "percent")
"""Columns of :func:`progress_summary`: one row per step, then a row ``step="all"``."""

HISTORY_COLUMNS: tuple[str, ...] = (
    "version", "at", "author", "op", "status", "owner", "due", "evidence", "notes")
"""Columns of :func:`item_history`: every saved version of one item, oldest first."""

PLAN_CSS = """
<style>
.pk-item { border-left: 4px solid #1f4e79; padding: 0.2em 0 0.2em 0.8em; margin: 1.2em 0; }
.pk-item-text { font-size: 1.02em; }
.pk-resources { color: #3b3b3b; font-size: 0.92em; }
.pk-marker { font-weight: 600; margin: 0.2em 0; }
.pk-overdue { color: #a4000f; }
.pk-done { color: #0b6623; }
.pk-progress-text { margin-left: 0.6em; }
</style>
"""


# ---------------------------------------------------------------- parameters


def check_step(step: Any) -> int:
    """Return the step number 1-6 from ``step`` (an int or a string such as "3").

    Raises:
        PartnerkitError: ``step`` is not a whole number from 1 to 6, with the fix.
    """
    number: int | None = None
    if isinstance(step, int) and not isinstance(step, bool):
        number = step
    elif isinstance(step, str) and step.strip().isdigit():
        number = int(step.strip())
    if number not in STEPS:
        raise PartnerkitError(f"{step!r} is not one of the six steps", value=step, where="step",
                              fix="give a step number from 1 to 6, for example step=2 "
                                  "(or ?step=2 in the page address)")
    return number  # type: ignore[return-value]


def step_item(step: Any) -> Item:
    """The content item of a step (its title, summary and resources)."""
    return load_content().item(f"six_steps.{check_step(step)}")


def step_items(step: Any) -> list[Item]:
    """The checklist items of one step, in order."""
    return load_content().children(f"six_steps.{check_step(step)}", kind="checklist_item")


def item_ids(step: Any = None) -> list[str]:
    """Ids of the checklist items of one step, or of all 26 when ``step`` is None."""
    steps = STEPS if step is None else (check_step(step),)
    return [item.id for s in steps for item in step_items(s)]


def step_of(item_id: str) -> int:
    """The step a checklist item belongs to (``six_steps.3.2`` -> 3)."""
    return int(item_id.split(".")[1])


def today(store: Store) -> dt.date:
    """Today's date by the store's clock, in local time."""
    return store.clock().astimezone().date()


# ---------------------------------------------------------------- rules


def is_overdue(progress: ChecklistProgress | None, on: dt.date) -> bool:
    """True when an item's due date is before ``on`` and it is not started or in progress."""
    return (progress is not None and progress.due is not None and progress.due < on
            and progress.status in OPEN_STATUSES)


@dataclass(frozen=True)
class Progress:
    """How far a set of checklist items has got."""

    total: int
    done: int
    in_progress: int
    not_started: int
    not_applicable: int
    overdue: int

    @property
    def applicable(self) -> int:
        """Items that count: all but those marked not applicable."""
        return self.total - self.not_applicable

    @property
    def percent(self) -> int:
        """Done over applicable, in whole per cent rounded down (100 when none apply)."""
        return 100 if self.applicable == 0 else 100 * self.done // self.applicable

    def describe(self) -> str:
        """The progress in words, e.g. "3 of 5 items done (60%) · 1 in progress · 1 overdue"."""
        parts = [f"{self.done} of {self.applicable} items done ({self.percent}%)"]
        if self.in_progress:
            parts.append(f"{self.in_progress} in progress")
        if self.not_applicable:
            parts.append(f"{self.not_applicable} not applicable")
        if self.overdue:
            parts.append(f"{self.overdue} overdue")
        return " · ".join(parts)


def progress_of(records: Iterable[ChecklistProgress], items: Iterable[str],
                on: dt.date) -> Progress:
    """Count the items by status (an item with no record is not started) and overdue."""
    by_item = {r.item: r for r in records}
    counts = dict.fromkeys(STATUS_LABELS, 0)
    overdue = total = 0
    for item in items:
        record = by_item.get(item)
        counts[record.status if record else "not_started"] += 1
        overdue += is_overdue(record, on)
        total += 1
    return Progress(total=total, done=counts["done"], in_progress=counts["in_progress"],
                    not_started=counts["not_started"],
                    not_applicable=counts["not_applicable"], overdue=overdue)


def due_date_problem(due: Any, settings: PlanSettings | None) -> str | None:
    """Why a due date cannot be saved (not a date, or before the plan starts), or None."""
    if due is None or due == "":
        return None
    if isinstance(due, str):
        try:
            due = dt.date.fromisoformat(due.strip())
        except ValueError:
            return f"{due!r} is not a date; use the date picker or YYYY-MM-DD"
    if isinstance(due, dt.datetime):
        due = due.date()
    if not isinstance(due, dt.date):
        return f"{due!r} is not a date; use the date picker or YYYY-MM-DD"
    if settings is not None and settings.start is not None and due < settings.start:
        return (f"{_day(due)} is before the plan starts ({_day(settings.start)}); pick a "
                f"date on or after {_day(settings.start)}, or change the plan's start date")
    return None


def check_progress(progress: ChecklistProgress, settings: PlanSettings | None) -> dict[str, str]:
    """Blocking problems of a progress record: ``{field: message}`` (empty when fine)."""
    problem = due_date_problem(progress.due, settings)
    return {"due": problem} if problem else {}


def warn_progress(progress: ChecklistProgress,
                  settings: PlanSettings | None) -> dict[str, str]:
    """Advice that does not block saving: no owner for an item in progress, due after the end."""
    warnings = {}
    if progress.status == "in_progress" and not progress.owner:
        warnings["owner"] = ("this item is in progress but nobody owns it; add who leads it "
                             "(it was saved anyway)")
    if (progress.due is not None and settings is not None and settings.end is not None
            and progress.due > settings.end):
        warnings["due"] = (f"{_day(progress.due)} is after the plan ends "
                           f"({_day(settings.end)}) (it was saved anyway)")
    return warnings


def marker_text(progress: ChecklistProgress | None, on: dt.date) -> str:
    """Where an item stands, in words (never colour alone): done, overdue, due, not set."""
    if progress is None or (progress.status == "not_started" and progress.due is None):
        return "Not started · no due date yet"
    label = STATUS_LABELS[progress.status]
    if progress.status == "done":
        return "✓ Done"
    if progress.status == "not_applicable":
        return "— Not applicable to this plan"
    if progress.due is None:
        return f"{label} · no due date yet"
    days = (progress.due - on).days
    if is_overdue(progress, on):
        late = "1 day" if days == -1 else f"{-days} days"
        return f"⚠ Overdue: {label.lower()}, was due {_day(progress.due)} ({late} ago)"
    when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    return f"{label} · due {_day(progress.due)} ({when})"


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# ---------------------------------------------------------------- loading


def load_settings(store: Store, workspace: str) -> PlanSettings | None:
    """The plan's settings (dates, school, authority), or None if not entered yet."""
    return load_record(store, workspace, PlanSettings, "plan")


def load_progress(store: Store, workspace: str) -> dict[str, ChecklistProgress]:
    """Every saved progress record, by item id."""
    return {r.item: r for r in load_records(store, workspace, ChecklistProgress)}


def plan_progress(store: Store, workspace: str, step: Any = None,
                  on: dt.date | None = None) -> Progress:
    """Progress of one step, or of the whole plan when ``step`` is None."""
    return progress_of(load_progress(store, workspace).values(), item_ids(step),
                       on or today(store))


# ---------------------------------------------------------------- tables


def progress_table(store: Store, workspace: str, step: Any = None,
                   on: dt.date | None = None) -> pd.DataFrame:
    """Every checklist item (of one step, or all) with its progress; see PROGRESS_COLUMNS."""
    on = on or today(store)
    stored = {s.key: s for s in store.list(workspace, ChecklistProgress.kind)}
    content = load_content()
    rows = []
    for item_id in item_ids(step):
        item = content.item(item_id)
        saved = stored.get(item_id)
        record = ChecklistProgress.model_validate(saved.data) if saved else None
        rows.append({
            "step": step_of(item_id), "item": item_id, "number": item.number,
            "text": item.text,
            "status": record.status if record else "not_started",
            "status_label": STATUS_LABELS[record.status if record else "not_started"],
            "owner": record.owner if record else "",
            "partners": "; ".join(record.partners) if record else "",
            "due": record.due if record else None,
            "overdue": is_overdue(record, on),
            "evidence": record.evidence if record else "",
            "notes": record.notes if record else "",
            "updated_by": saved.updated_by if saved else None,
            "updated_at": saved.updated_at if saved else None,
        })
    return pd.DataFrame(rows, columns=list(PROGRESS_COLUMNS))


def progress_summary(store: Store, workspace: str, on: dt.date | None = None) -> pd.DataFrame:
    """Progress per step and for the whole plan (last row, ``step="all"``); see SUMMARY_COLUMNS."""
    on = on or today(store)
    records = list(load_progress(store, workspace).values())
    rows = []
    for step in (*STEPS, None):
        p = progress_of(records, item_ids(step), on)
        rows.append({"step": "all" if step is None else step,
                     "title": "Whole plan" if step is None else step_item(step).title,
                     "items": p.total, "done": p.done, "in_progress": p.in_progress,
                     "not_started": p.not_started, "not_applicable": p.not_applicable,
                     "overdue": p.overdue, "percent": p.percent})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def item_history(store: Store, workspace: str, item_id: str) -> pd.DataFrame:
    """Every saved version of one item's progress, oldest first; see HISTORY_COLUMNS.

    When two people edit the same item, both versions are here; the last row is current.
    """
    rows = []
    for change in store.history(workspace, ChecklistProgress.kind, item_id):
        data = change.after or {}
        rows.append({"version": change.version, "at": change.at, "author": change.author,
                     "op": change.op, "status": data.get("status"), "owner": data.get("owner"),
                     "due": data.get("due"), "evidence": data.get("evidence"),
                     "notes": data.get("notes")})
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))


# ---------------------------------------------------------------- widgets


class ProgressBar(widgets.HBox):
    """A progress bar with its figure in words beside it (the bar alone is never the message)."""

    def __init__(self, label: str, progress: Progress) -> None:
        self.label = label
        self.bar = widgets.FloatProgress(min=0, max=100, layout=widgets.Layout(width="16em"))
        self.text = widgets.HTML()
        self.text.add_class("pk-progress-text")
        super().__init__([self.bar, self.text])
        self.show(progress)

    def show(self, progress: Progress) -> None:
        """Show new figures."""
        self.progress = progress
        self.bar.value = progress.percent
        self.bar.bar_style = "success" if progress.percent == 100 else "info"
        self.text.value = (f"<span><strong>{html.escape(self.label)}:</strong> "
                           f"{html.escape(progress.describe())}</span>")


def progress_bar(label: str, progress: Progress) -> ProgressBar:
    """A bar for one step or the whole plan, with the percentage and counts in words."""
    return ProgressBar(label, progress)


def plan_progress_view(session: Session) -> widgets.VBox:
    """Bars for the whole plan and for each of the six steps."""
    store, workspace = session.store, session.workspace
    records = list(load_progress(store, workspace).values())
    on = today(store)
    bars = [progress_bar("Whole plan", progress_of(records, item_ids(), on))]
    bars += [progress_bar(f"Step {s}", progress_of(records, item_ids(s), on)) for s in STEPS]
    return widgets.VBox([widgets.HTML(PLAN_CSS), *bars])


def plan_settings_form(session: Session) -> RecordForm:
    """The form for the plan's dates, school and local authority."""
    return record_form(PlanSettings, store=session.store, workspace=session.workspace,
                       author=session.author, key="plan")


def _item_header(item: Item, workspace: str, author: str | None = None) -> str:
    parts = [f'<div class="pk-item-text" id="{html.escape(item.id)}"><strong>'
             f'{html.escape(item.number or "")}</strong> {html.escape(item.text)}</div>']
    if item.resources:
        parts.append('<div class="pk-resources">Resources it names: '
                     + "; ".join(html.escape(r) for r in item.resources) + "</div>")
    links = []
    if item.id in ATTENDANCE_ITEMS:
        links.append(_link(ATTENDANCE_WORKBOOK, workspace, "Open the attendance data workbook",
                           author))
    if "mapping_tool" in item.refs:
        links.append(_link(MAPPING_WORKBOOK, workspace,
                           "Open the Community Partnership Mapping Tool", author))
    if links:
        parts.append('<div class="pk-resources">' + " · ".join(links) + "</div>")
    return "".join(parts)


def _link(workbook: str, workspace: str, text: str, author: str | None = None) -> str:
    """A link to a sibling workbook (relative, so it works in Voilà and in JupyterLab)."""
    query = {"workspace": workspace, **({"author": author} if author else {})}
    href = f"{workbook}?{urlencode(query)}"
    return (f'<a href="{html.escape(href)}" target="_blank" rel="noopener">'
            f"{html.escape(text)}</a>")


def _marker_html(progress: ChecklistProgress | None, on: dt.date) -> str:
    text = marker_text(progress, on)
    css = "pk-overdue" if is_overdue(progress, on) else (
        "pk-done" if progress is not None and progress.status == "done" else "")
    return f'<div class="pk-marker {css}" role="status">{html.escape(text)}</div>'


def _history_html(store: Store, workspace: str, item_id: str) -> str:
    changes = store.history(workspace, ChecklistProgress.kind, item_id)
    if not changes:
        return '<div class="pk-help">No changes saved yet.</div>'
    rows = []
    for change in reversed(changes):
        data = change.after or {}
        status = STATUS_LABELS.get(data.get("status", ""), "deleted")
        cells = [change.at.astimezone().strftime("%d %b %Y %H:%M"), change.author, status,
                 data.get("owner", ""), data.get("due") or "", data.get("evidence", "")]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
                    + "</tr>")
    return ('<table class="pk-history"><caption>Newest first; the top row is what the form '
            'shows now.</caption><tr><th>When</th><th>Who</th><th>Status</th><th>Owner</th>'
            '<th>Due</th><th>Evidence</th></tr>' + "".join(rows) + "</table>")


class StepView(widgets.VBox):
    """One step of the checklist: bars, then each item with its form, marker and history."""

    def __init__(self, session: Session, step: int) -> None:
        self.session = session
        self.step = step
        store, workspace = session.store, session.workspace
        self.on = today(store)
        records = load_progress(store, workspace)
        head = step_item(step)
        intro = [f"<h2>Step {step}: {html.escape(head.title or head.text)}</h2>"]
        if head.summary:
            intro.append(f'<p class="pk-resources">{html.escape(head.summary)}</p>')
        self.step_bar = progress_bar(f"Step {step}",
                                     progress_of(records.values(), item_ids(step), self.on))
        self.plan_bar = progress_bar("Whole plan",
                                     progress_of(records.values(), item_ids(), self.on))
        self.markers: dict[str, widgets.HTML] = {}
        self.histories: dict[str, widgets.HTML] = {}
        self.forms: dict[str, RecordForm] = {}
        boxes = [self._item_box(item, records.get(item.id)) for item in step_items(step)]
        super().__init__([widgets.HTML(PLAN_CSS + "".join(intro)), self.step_bar,
                          self.plan_bar, *boxes])

    def _item_box(self, item: Item, progress: ChecklistProgress | None) -> widgets.VBox:
        store, workspace = self.session.store, self.session.workspace
        self.markers[item.id] = widgets.HTML(_marker_html(progress, self.on))
        self.histories[item.id] = widgets.HTML(_history_html(store, workspace, item.id))
        history = widgets.Accordion([self.histories[item.id]], selected_index=None)
        history.set_title(0, f"Changes to item {item.number}")

        def settings() -> PlanSettings | None:
            return load_settings(store, workspace)

        form = record_form(
            ChecklistProgress, store=store, workspace=workspace, author=self.session.author,
            fixed={"item": item.id}, initial=progress,
            check=lambda r: check_progress(r, settings()),
            warn=lambda r: warn_progress(r, settings()),
            on_saved=self._saved)
        self.forms[item.id] = form
        if progress is not None:
            for name, message in warn_progress(progress, settings()).items():
                form.editors[name].show(None, message)
        box = widgets.VBox([widgets.HTML(_item_header(item, workspace, self.session.author)),
                            self.markers[item.id], form, history])
        box.add_class("pk-item")
        return box

    def _saved(self, record: Record) -> None:
        store, workspace = self.session.store, self.session.workspace
        assert isinstance(record, ChecklistProgress)
        self.on = today(store)
        self.markers[record.item].value = _marker_html(record, self.on)
        self.histories[record.item].value = _history_html(store, workspace, record.item)
        records = load_progress(store, workspace).values()
        self.step_bar.show(progress_of(records, item_ids(self.step), self.on))
        self.plan_bar.show(progress_of(records, item_ids(), self.on))


def step_view(session: Session, step: Any) -> StepView:
    """Walk one step: for every item its text, resources, progress form and overdue marker.

    Each form refuses a due date before the plan starts and warns (without blocking)
    when an item in progress has no owner. The bars for the step and the whole plan
    follow every save.
    """
    return StepView(session, check_step(step))


# ---------------------------------------------------------------- step tools


def directory_partners(store: Store, workspace: str) -> list[DirectoryEntry]:
    """The workspace's partner directory (from the mapping tool), in the order entered."""
    return load_records(store, workspace, DirectoryEntry)


def with_directory_contacts(tool: VisionTool | None,
                            directory: Iterable[DirectoryEntry]) -> VisionTool:
    """Step 1's record with a key-contact row for every directory partner not yet listed."""
    tool = tool or VisionTool()
    listed = {" ".join(r.partner.lower().split()) for r in tool.key_contacts}
    added = [KeyContactRow(partner=e.organisation, partner_contact=e.key_contact,
                           how_to_reach=e.contact)
             for e in directory if e.record_key() not in listed]
    return tool.model_copy(update={"key_contacts": [*tool.key_contacts, *added]})


def load_tool(store: Store, workspace: str, step: Any, *,
              as_of: dt.datetime | None = None) -> Record | None:
    """The saved record of a step's tools, or None."""
    return load_record(store, workspace, STEP_TOOLS[check_step(step)], "plan", as_of=as_of)


def step_tools(session: Session, step: Any) -> widgets.VBox:
    """The tools a step's items ask for, as one form (tables are rows you add and remove).

    Step 1's key-contact table lists every partner of the workspace's directory; step 1
    also links into the attendance data workbook for items 1.1 and 1.3.
    """
    number = check_step(step)
    store, workspace = session.store, session.workspace
    tool_type = STEP_TOOLS[number]
    saved = load_tool(store, workspace, number)
    initial = saved
    note = ""
    if number == 1:
        initial = with_directory_contacts(saved, directory_partners(store, workspace))
        if saved is None or initial != saved:
            note = ("Partners from your directory are listed in the key contacts table; "
                    "they are saved with your next change.")
    form = record_form(tool_type, store=store, workspace=workspace, author=session.author,
                       initial=initial, title=f"Step {number} tools")
    if saved is None:
        form.record = None
        form.status.value = ('<div class="pk-help" role="status">Not saved yet: answers '
                             'save as you type.</div>')
    parts: list[widgets.Widget] = []
    if number == 1:
        parts.append(widgets.HTML(
            "<p>Items 1.1 and 1.3 ask you to look at your attendance data: "
            + _link(ATTENDANCE_WORKBOOK, workspace, "open the attendance data workbook",
                    session.author)
            + ".</p>"))
    if note:
        parts.append(widgets.HTML(f'<p class="pk-help">{html.escape(note)}</p>'))
    return widgets.VBox([*parts, form])


def tool_sections(record: Record | None, record_type: type[Record]) -> list[dict[str, Any]]:
    """A step tool's fields for a report: ``{"title", "kind": text|list|table, ...}``.

    Text fields give ``text``; lists of lines give ``items``; tables give ``columns``
    (titles) and ``rows`` (cells as text), leaving out blank rows.
    """
    sections = []
    for name, info in record_type.model_fields.items():
        value = getattr(record, name) if record is not None else info.get_default(
            call_default_factory=True)
        title = info.title or name
        row_type = _row_type(info.annotation)
        if row_type is not None:
            fields = row_type.model_fields
            sections.append({
                "title": title, "kind": "table",
                "columns": [f.title or n for n, f in fields.items()],
                "rows": [[_cell(getattr(r, n), f) for n, f in fields.items()]
                         for r in value if not r.is_blank()]})
        elif isinstance(value, list):
            sections.append({"title": title, "kind": "list", "items": list(value)})
        else:
            sections.append({"title": title, "kind": "text", "text": _cell(value, info)})
    return sections


def _row_type(annotation: Any) -> type[Row] | None:
    """The row model of a table field (``list[SomeRow]``), or None for any other field."""
    args = getattr(annotation, "__args__", ())
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], Row):
        return args[0]
    return None


def _cell(value: Any, info: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return _day(value)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    choices = extra.get("choices") or {}
    return str(choices.get(value, value))


# ---------------------------------------------------------------- report


def plan_report_context(store: Store, workspace: str,
                        on: dt.date | None = None) -> dict[str, Any]:
    """Everything the school partnership plan report shows, as plain data."""
    from partnerkit.principles import principles

    on = on or today(store)
    table = progress_table(store, workspace, on=on)
    records = load_progress(store, workspace)
    steps = []
    for step in STEPS:
        head = step_item(step)
        tool_type = STEP_TOOLS[step]
        tool = load_tool(store, workspace, step)
        if step == 1:
            tool = with_directory_contacts(tool, directory_partners(store, workspace))
        rows = table[table["step"] == step].to_dict("records")
        steps.append({
            "number": step, "title": head.title or head.text,
            "progress": progress_of(records.values(), item_ids(step), on),
            "items": [{**row, "due": records[row["item"]].due if row["item"] in records
                       else None,
                       "marker": marker_text(records.get(row["item"]), on)} for row in rows],
            "tools": tool_sections(tool, tool_type)})
    return {
        "settings": load_settings(store, workspace),
        "on": on,
        "plan": progress_of(records.values(), item_ids(), on),
        "steps": steps,
        "principles": principles.report_context(store, workspace),
    }


def plan_report_html(store: Store, workspace: str, on: dt.date | None = None,
                     step: Any = None) -> str:
    """The school partnership plan as an HTML page: all steps, progress, tools, wheel.

    With ``step`` (1-6) only that step's items and tools are shown, with the whole
    plan's progress. User text is escaped (the template autoescapes); the wheel is an
    embedded SVG.
    """
    from partnerkit.reports import render_html

    context = plan_report_context(store, workspace, on)
    title = "School partnership plan"
    if step is not None:
        number = check_step(step)
        context["steps"] = [s for s in context["steps"] if s["number"] == number]
        title = f"School partnership plan: step {number}"
    return render_html("partnership_plan.html.j2", workspace=workspace,
                       frameworks=["six_steps", "principles", "reflection"],
                       title=title, **context)


# ---------------------------------------------------------------- demo


def _demo_progress(start: dt.date, now: dt.date) -> list[tuple[str, ChecklistProgress]]:
    """The demo plan in progress: step 1 nearly done, later steps under way, some overdue."""
    def at(days: int) -> dt.date:
        return max(start, now + dt.timedelta(days=days))

    head = "Mrs Duffy (depute head)"
    pts = "Mr Khan (pupil support)"
    eyp, flt = "Eastfield Youth Project", "Glenbrae Family Learning Team"
    p = ChecklistProgress
    return [
        (head, p(item="six_steps.1.1", status="done", owner=head, partners=[eyp, flt],
                 due=start + dt.timedelta(days=21),
                 evidence="Community profile and SIMD data reviewed with partners on the "
                          "September in-service day.")),
        (pts, p(item="six_steps.1.2", status="done", owner=pts, partners=[eyp, flt],
                due=start + dt.timedelta(days=28),
                evidence="Partner directory built with the mapping tool: seven partners.")),
        (head, p(item="six_steps.1.3", status="done", owner=head,
                 due=start + dt.timedelta(days=28),
                 evidence="Attendance by SIMD quintile: a 6-point gap between Q1 and Q5.")),
        (head, p(item="six_steps.1.4", status="done", owner=head,
                 due=start + dt.timedelta(days=35), evidence="Vision agreed by staff and the "
                 "parent council.")),
        (pts, p(item="six_steps.1.5", status="in_progress", owner=pts,
                due=at(14), notes="Using the Forth Valley and West Lothian toolkit.")),
        (head, p(item="six_steps.1.6", status="done", owner=head, partners=[eyp, flt],
                 due=start + dt.timedelta(days=35), evidence="Key contacts table agreed.")),
        (pts, p(item="six_steps.2.1", status="done", owner=pts, partners=[eyp],
                due=start + dt.timedelta(days=42),
                evidence="Lundy model used to plan the pupil focus groups.")),
        ("Sam Reid (Eastfield Youth Project)",
         p(item="six_steps.2.2", status="in_progress", owner="Sam Reid", partners=[eyp],
           due=at(-9), notes="Two focus groups held; the family conversations are still "
                             "to do.")),
        (pts, p(item="six_steps.2.3", status="in_progress", owner="", partners=[eyp, flt],
                due=at(21))),
        (head, p(item="six_steps.2.4", status="not_started", due=at(60))),
        (head, p(item="six_steps.3.1", status="done", owner=head, partners=[eyp],
                 due=start + dt.timedelta(days=50),
                 evidence="PEF allocation for the youth worker agreed.")),
        (head, p(item="six_steps.3.2", status="not_applicable",
                 notes="No procurement needed: the youth project is funded through the "
                       "council grant.")),
        (pts, p(item="six_steps.3.3", status="not_started", owner=pts, due=at(-3))),
        (head, p(item="six_steps.4.1", status="in_progress", owner=head,
                 partners=[eyp, flt, "Calm Minds Counselling"], due=at(30))),
    ]


def _demo_tools() -> list[Record]:
    """Demo step tools: a vision and contacts, what pupils said, resources, roles, meetings."""
    eyp, flt = "Eastfield Youth Project", "Glenbrae Family Learning Team"
    return [
        VisionTool(
            vision="Every young person at Glenbrae feels they belong, wants to be here and "
                   "has someone in school or in the community who notices when they are not.",
            policy_fit="It follows the council's Attendance Matters policy: early, "
                       "relationship-based support before any formal stage.",
            strengths="Strong pupil support team; breakfast club; trusted youth work partner.",
            areas_for_development="Reaching families who do not come into school; "
                                  "consistent follow-up on the first day of absence.",
            key_contacts=[KeyContactRow(partner=eyp, partner_contact="Sam Reid",
                                        school_contact="Mr Khan",
                                        how_to_reach="0141 000 0001, Tuesdays and Thursdays"),
                          KeyContactRow(partner=flt, partner_contact="Aileen Moffat",
                                        school_contact="Mrs Duffy",
                                        how_to_reach="family.learning@example.org")]),
        VoiceTool(
            consultations=[
                ConsultationRow(group="young_people", led_by=eyp,
                                space="Two focus groups in the youth project, away from school.",
                                voice="Mornings are hard; some classes feel like no one "
                                      "notices if you are there.",
                                audience="Depute head and youth worker; shared with the "
                                         "pupil council.",
                                influence="Morning check-in with a named adult to start in "
                                          "term 2."),
                ConsultationRow(group="families", led_by=flt,
                                space="Parent cafe in the community centre.",
                                voice="Letters about absence feel like blame.",
                                audience="Pupil support team.",
                                influence="Letters rewritten with parents.")],
            targeted_support=[
                TargetedSupportRow(factor="individual", support="Morning check-in",
                                   delivered_by="Pupil support team"),
                TargetedSupportRow(factor="family", support="Family learning sessions",
                                   delivered_by=flt),
                TargetedSupportRow(factor="peer", support="Friday youth group",
                                   delivered_by=eyp)]),
        ResourcesTool(
            resources=[ResourceRow(resource="Youth worker, two days a week",
                                   source="pupil_equity_funding", provided_by=eyp,
                                   notes="£18,000 for the school year"),
                       ResourceRow(resource="Parent cafe venue", source="partner",
                                   provided_by=flt)],
            reporting="Attendance reviewed monthly by the pupil support team with partners.",
            paperwork=[PaperworkRow(task="Risk assessment for off-site groups",
                                    who="Sam Reid", shared_how="Shared drive, read by the "
                                                               "depute head")],
            agreements=[AgreementRow(partner=eyp, covers="Youth worker days and reporting",
                                     procurement_followed=True)]),
        SharedPlanTool(
            shared_vision="School and partners share the school's vision and meet termly.",
            shared_outcomes=["Attendance of S1-S3 pupils in SIMD quintile 1 up 3 points",
                             "Every targeted pupil has a trusted adult"],
            partner_offers=[PartnerOfferRow(partner="Calm Minds Counselling",
                                            can_offer="Counselling for 12-18 year olds",
                                            cannot_offer="Crisis support")],
            community_support=[CommunitySupportRow(support="Friday youth group", partner=eyp,
                                                   setting="Eastfield community centre")]),
        DeliveryTool(
            roles=[RoleRow(who="Mr Khan", what="Morning check-in for targeted pupils",
                           when="Daily, 8.45", how="Named adult in the base"),
                   RoleRow(who="Sam Reid", what="Friday youth group and follow-up",
                           when="Fridays", how="Youth work sessions")],
            tracking=[TrackingRow(what="Attendance of targeted pupils", who="Mr Khan",
                                  how_often="Weekly", system="SEEMiS")],
            meetings=[MeetingRow(purpose="Termly partnership review",
                                 who="Depute head, youth project, family learning team")]),
        ImpactTool(celebration="Celebration assembly in June with families and partners."),
    ]


def _demo_settings(now: dt.date) -> PlanSettings:
    start = now - dt.timedelta(days=75)
    return PlanSettings(school=DEMO_SCHOOL, local_authority="Glenbrae Council (fictional)",
                        start=start, end=start + dt.timedelta(days=319))


@demo_seeder
def seed_demo_plan(store: Store, workspace: str, author: str) -> int:
    """Add the demo plan: settings, progress on 14 items (some overdue) and step tools.

    Dates are set from the day the demo is made, so it always has items done, in
    progress and overdue. Records already present are left as they are.
    """
    settings = load_settings(store, workspace)
    if settings is None:
        settings = _demo_settings(today(store))
        save_record(store, workspace, settings, author)
    assert settings.start is not None
    count = 1
    for who, record in _demo_progress(settings.start, today(store)):
        if store.get(workspace, record.kind, record.record_key()) is None:
            save_record(store, workspace, record, who)
        count += 1
    for tool in _demo_tools():
        if store.get(workspace, tool.kind, tool.record_key()) is None:
            save_record(store, workspace, tool, author)
        count += 1
    return count
