"""The plan as the store holds it: settings, progress records, step tools and tables.

Each item has a :class:`~partnerkit.records.plan.ChecklistProgress` record (status,
owner, partners, due date, evidence, notes); each step has a record for the tools its
items ask for (:data:`~partnerkit.records.plan.STEP_TOOLS`). Today is the store's clock
(:meth:`Store.clock`), in local time. The tables are DataFrames with fixed columns:
:data:`PROGRESS_COLUMNS`, :data:`SUMMARY_COLUMNS` and :data:`HISTORY_COLUMNS`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from partnerkit.content import load_content
from partnerkit.records.base import Record, load_record, load_records
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import STATUS_LABELS, STEP_TOOLS, ChecklistProgress, PlanSettings
from partnerkit.six_steps.rules import (
    STEPS,
    Progress,
    check_step,
    is_overdue,
    item_ids,
    progress_of,
    step_item,
    step_of,
)
from partnerkit.store import Store

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
"""Columns of :func:`item_history`: every saved version of one item, oldest first.

``status``, ``owner``, ``due`` (ISO text), ``evidence`` and ``notes`` are None for a
deletion.
"""


def today(store: Store) -> dt.date:
    """Today's date by the store's clock, in local time."""
    return store.clock().astimezone().date()


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


def directory_partners(store: Store, workspace: str) -> list[DirectoryEntry]:
    """The workspace's partner directory (from the mapping tool), in the order entered."""
    return load_records(store, workspace, DirectoryEntry)


def load_tool(store: Store, workspace: str, step: Any, *,
              as_of: dt.datetime | None = None) -> Record | None:
    """The saved record of a step's tools, or None."""
    return load_record(store, workspace, STEP_TOOLS[check_step(step)], "plan", as_of=as_of)


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
        status = record.status if record else "not_started"
        rows.append({
            "step": step_of(item_id), "item": item_id, "number": item.number,
            "text": item.text, "status": status, "status_label": STATUS_LABELS[status],
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
