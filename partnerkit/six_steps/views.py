"""The six steps pages: the plan's settings, one step's items with forms, its tools, the bars.

The only module of the wing that imports ipywidgets. Every fragment of HTML comes from a
Jinja partial in ``templates/parts/`` (autoescaped), never from an f-string.

On a served page (``session.served``) each item's form and the step's tools are
sections built when they are first opened
(:class:`~partnerkit.forms.sections.LazySections`): the page shows every item's words
and where it stands, and builds a form only for the item someone opens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML

from partnerkit.content import Item
from partnerkit.forms import RecordForm, record_form
from partnerkit.forms.sections import lazy_section
from partnerkit.records.base import Record
from partnerkit.records.plan import STATUS_LABELS, STEP_TOOLS, ChecklistProgress, PlanSettings
from partnerkit.reports.cells import cell_text
from partnerkit.reports.frames import Column, frame_table
from partnerkit.reports.parts import render_part
from partnerkit.reports.text import format_date
from partnerkit.session import Session
from partnerkit.six_steps.data import (
    directory_partners,
    item_history,
    load_progress,
    load_settings,
    load_tool,
    progress_summary,
    progress_table,
    today,
)
from partnerkit.six_steps.rules import (
    ATTENDANCE_ITEMS,
    ATTENDANCE_WORKBOOK,
    MAPPING_WORKBOOK,
    STEPS,
    Progress,
    check_progress,
    check_step,
    item_ids,
    marker_style,
    marker_text,
    progress_of,
    step_item,
    step_items,
    warn_progress,
    with_directory_contacts,
)
from partnerkit.store import Store

NOT_SAVED_YET = ('<div class="pk-help" role="status">Not saved yet: answers save as you '
                 'type.</div>')
"""The status line of a step tool that has never been saved."""


class ProgressBar(widgets.HBox):
    """A progress bar with its figure in words beside it (the bar alone is never the message)."""

    def __init__(self, label: str, progress: Progress) -> None:
        self.label = label
        self.bar = widgets.FloatProgress(min=0, max=100, layout=widgets.Layout(width="16em"))
        self.text = widgets.HTML(_dom_classes=("pk-progress-text",))
        super().__init__([self.bar, self.text])
        self.show(progress)

    def show(self, progress: Progress) -> None:
        """Show new figures."""
        self.progress = progress
        self.bar.value = progress.percent
        self.bar.bar_style = "success" if progress.percent == 100 else "info"
        self.text.value = render_part("progress_text", label=self.label, progress=progress)


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
    return widgets.VBox([widgets.HTML(render_part("plan_styles")), *bars])


def glance_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of the plan at a glance from :func:`progress_table`, as people read them.

    Nothing is cut: the whole of each owner, partner list, evidence and note, with the
    line breaks typed (the partial shows them); the due date in words.
    """
    return [{"number": row["number"], "text": row["text"], "status": row["status_label"],
             "overdue": bool(row["overdue"]), "owner": row["owner"] or "",
             "partners": row["partners"] or "", "due": format_date(row["due"]),
             "evidence": row["evidence"] or "", "notes": row["notes"] or ""}
            for row in table.to_dict("records")]


def glance_html(store: Store, workspace: str, step: Any = None) -> str:
    """One step (or the whole plan, for None) at a glance as an HTML table."""
    number = None if step is None else check_step(step)
    caption = "The whole plan at a glance" if number is None else f"Step {number} at a glance"
    rows = glance_rows(progress_table(store, workspace, step=number))
    return render_part("plan_glance", rows=rows, caption=caption)


def step_glance(session: Session, step: Any = None) -> widgets.HTML:
    """The plan at a glance on a page: every item of ``step`` with all that was written.

    The page's table, unlike a DataFrame's, shows every cell whole, with its line breaks,
    and right-to-left text in its own direction.
    """
    return widgets.HTML(glance_html(session.store, session.workspace, step))


SUMMARY_TABLE = (Column("step", "Step", labels={"all": ""}), Column("title", "What it is about"),
                 Column("items", "Items", "count"), Column("done", "Done", "count"),
                 Column("in_progress", "In progress", "count"),
                 Column("not_started", "Not started", "count"),
                 Column("not_applicable", "Does not apply", "count"),
                 Column("overdue", "Overdue", "count"),
                 Column("percent", "Done so far", "percent"))
"""The page's table of where the plan stands (every column of ``SUMMARY_COLUMNS``, in words)."""


def summary_table(store: Store, workspace: str) -> HTML:
    """:func:`~partnerkit.six_steps.progress_summary` as a plain table for a page.

    One row per step and a last row for the whole plan; the share done as ``83%``.
    """
    return HTML(frame_table(progress_summary(store, workspace), SUMMARY_TABLE, empty=""))


def plan_settings_form(session: Session) -> RecordForm:
    """The form for the plan's dates, school and local authority."""
    return record_form(PlanSettings, store=session.store, workspace=session.workspace,
                       author=session.author, key="plan")


def workbook_link(workbook: str, workspace: str, text: str,
                  author: str | None = None) -> dict[str, str]:
    """A link to a sibling workbook, relative so it works in Voilà and in JupyterLab."""
    query = {"workspace": workspace, **({"author": author} if author else {})}
    return {"href": f"{workbook}?{urlencode(query)}", "text": text}


def item_header_html(item: Item, workspace: str, author: str | None = None) -> str:
    """An item's wording and resources, with links into the attendance and mapping workbooks."""
    links = []
    if item.id in ATTENDANCE_ITEMS:
        links.append(workbook_link(ATTENDANCE_WORKBOOK, workspace,
                                   "Open the attendance data workbook", author))
    if "mapping_tool" in item.refs:
        links.append(workbook_link(MAPPING_WORKBOOK, workspace,
                                   "Open the Community Partnership Mapping Tool", author))
    return render_part("checklist_item", item=item, links=links)


def marker_html(progress: ChecklistProgress | None, on: dt.date) -> str:
    """Where an item stands, in words, styled as overdue or done."""
    return render_part("item_marker", text=marker_text(progress, on),
                       style=marker_style(progress, on))


def history_html(store: Store, workspace: str, item_id: str) -> str:
    """The saved versions of one item, newest first (the top row is what the form shows)."""
    rows = [{"when": cell_text(row["at"], "moment"), "author": row["author"],
             "status": STATUS_LABELS.get(row["status"] or "", "deleted"),
             "owner": row["owner"] or "", "due": cell_text(row["due"], "date"),
             "evidence": row["evidence"] or ""}
            for row in reversed(item_history(store, workspace, item_id).to_dict("records"))]
    return render_part("item_history", rows=rows)


def item_section_title(item: Item) -> str:
    """The heading that opens an item's form on a served page."""
    return f"Record progress on item {item.number}"


class StepView(widgets.VBox):
    """One step of the checklist: bars, then each item with its form, marker and history.

    ``forms`` and ``histories`` hold the items' forms built so far. With ``lazy`` (a
    served page) an item's form and history are a section (:func:`item_section_title`)
    built when it is first opened; its words and marker are always shown.
    """

    def __init__(self, session: Session, step: int, lazy: bool = False) -> None:
        self.session = session
        self.step = step
        self.lazy = lazy
        store, workspace = session.store, session.workspace
        self.on = today(store)
        records = load_progress(store, workspace)
        intro = render_part("step_intro", step=step, head=step_item(step))
        self.step_bar = progress_bar(f"Step {step}",
                                     progress_of(records.values(), item_ids(step), self.on))
        self.plan_bar = progress_bar("Whole plan",
                                     progress_of(records.values(), item_ids(), self.on))
        self.markers: dict[str, widgets.HTML] = {}
        self.histories: dict[str, widgets.HTML] = {}
        self.forms: dict[str, RecordForm] = {}
        boxes = [self._item_box(item, records.get(item.id)) for item in step_items(step)]
        super().__init__([widgets.HTML(intro), self.step_bar, self.plan_bar, *boxes])

    def _item_box(self, item: Item, progress: ChecklistProgress | None) -> widgets.VBox:
        self.markers[item.id] = widgets.HTML(marker_html(progress, self.on))
        header = widgets.HTML(item_header_html(item, self.session.workspace,
                                               self.session.author))
        if self.lazy:
            body: list[widgets.Widget] = [lazy_section(
                item_section_title(item),
                lambda: widgets.VBox(self._item_form(item, progress)))]
        else:
            body = self._item_form(item, progress)
        return widgets.VBox([header, self.markers[item.id], *body], _dom_classes=("pk-item",))

    def _item_form(self, item: Item,
                   progress: ChecklistProgress | None) -> list[widgets.Widget]:
        """An item's progress form and its history of changes.

        ``progress`` is what was stored when the page was made; a form opened later
        reads the store again, so it shows what was saved since.
        """
        store, workspace = self.session.store, self.session.workspace
        if self.lazy:
            progress = load_progress(store, workspace).get(item.id)
        self.histories[item.id] = widgets.HTML(history_html(store, workspace, item.id))
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
        return [form, history]

    def _saved(self, record: Record) -> None:
        store, workspace = self.session.store, self.session.workspace
        assert isinstance(record, ChecklistProgress)
        self.on = today(store)
        self.markers[record.item].value = marker_html(record, self.on)
        if record.item in self.histories:
            self.histories[record.item].value = history_html(store, workspace, record.item)
        records = load_progress(store, workspace).values()
        self.step_bar.show(progress_of(records, item_ids(self.step), self.on))
        self.plan_bar.show(progress_of(records, item_ids(), self.on))


def step_view(session: Session, step: Any) -> StepView:
    """Walk one step: for every item its text, resources, progress form and overdue marker.

    Each form refuses a due date before the plan starts and warns (without blocking)
    when an item in progress has no owner. The bars for the step and the whole plan
    follow every save. On a served page an item's form is built when it is opened.
    """
    return StepView(session, check_step(step), lazy=session.served)


def tools_section_title(number: int) -> str:
    """The heading that opens a step's tools on a served page."""
    return f"Open the step {number} tools"


def step_tools(session: Session, step: Any) -> widgets.Widget:
    """The tools a step's items ask for, as one form (tables are rows you add and remove).

    Step 1's key-contact table lists every partner of the workspace's directory; step 1
    also links into the attendance data workbook for items 1.1 and 1.3. On a served
    page the tools are a section (:func:`tools_section_title`) built when it is opened.
    """
    number = check_step(step)
    if session.served:
        return lazy_section(tools_section_title(number), lambda: _tools(session, number))
    return _tools(session, number)


def _tools(session: Session, number: int) -> widgets.VBox:
    """The step's tools form, with step 1's link and note about directory partners."""
    store, workspace = session.store, session.workspace
    saved = load_tool(store, workspace, number)
    initial = saved
    parts: list[widgets.Widget] = []
    if number == 1:
        initial = with_directory_contacts(saved, directory_partners(store, workspace))
        link = workbook_link(ATTENDANCE_WORKBOOK, workspace,
                             "open the attendance data workbook", session.author)
        parts.append(widgets.HTML(render_part("attendance_link", link=link)))
        if saved is None or initial != saved:
            parts.append(widgets.HTML(render_part(
                "help_note", note="Partners from your directory are listed in the key "
                                  "contacts table; they are saved with your next change.")))
    form = record_form(STEP_TOOLS[number], store=store, workspace=workspace,
                       author=session.author, initial=initial, title=f"Step {number} tools")
    if saved is None:
        form.record = None
        form.status.value = NOT_SAVED_YET
    return widgets.VBox([*parts, form])
