"""Rules of the six steps framework that need no store and no widgets.

A school's plan walks the 26 checklist items (``six_steps.1.1`` ... ``six_steps.6.4``).
The rules are pure functions over records and a date:

* an item with no record is *not started*;
* progress is the share of applicable items that are *done* (items marked *not
  applicable* leave the count); it is shown in whole per cent, rounded down, so 100%
  means every applicable item is done; a step or plan with nothing applicable is 100%;
* an item is *overdue* when its due date is before today and it is not started or in
  progress (done and not applicable items are never overdue; no due date, never
  overdue).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from partnerkit.content import Item, load_content
from partnerkit.errors import StepError, repr_short
from partnerkit.records.base import Record
from partnerkit.records.mapping import DirectoryEntry
from partnerkit.records.plan import (
    STATUS_LABELS,
    ChecklistProgress,
    KeyContactRow,
    PlanSettings,
    Row,
    VisionTool,
)
from partnerkit.reports.text import format_date

STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
"""The step numbers of the six steps to an effective partnership."""

OPEN_STATUSES = ("not_started", "in_progress")
"""Statuses in which an item can be overdue."""

ATTENDANCE_WORKBOOK = "attendance.ipynb"
MAPPING_WORKBOOK = "mapping_tool.ipynb"
ATTENDANCE_ITEMS = ("six_steps.1.1", "six_steps.1.3")
"""Items that ask for the attendance data; their views link into the attendance workbook."""


# ---------------------------------------------------------------- the step parameter


def check_step(step: Any, *, where: str = "step") -> int:
    """Return the step number 1-6 from ``step`` (an int or a string such as "3").

    The one step check for every door (page address, notebook parameter, render, CLI);
    ``where`` names the place the value came from.

    Raises:
        StepError: ``step`` is not a whole number from 1 to 6, with the fix.
    """
    number: int | None = None
    if isinstance(step, int) and not isinstance(step, bool):
        number = step
    elif isinstance(step, str) and step.strip().lstrip("+").isdigit():
        number = int(step.strip())
    if number not in STEPS:
        message = "is not one of the six steps"
        if step is None or str(step) in message:  # None, "" or "six": say the value here,
            message = f"{repr_short(step)} {message}"  # as the error would not quote it
        raise StepError(message, value=step, where=where,
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


# ---------------------------------------------------------------- overdue and progress


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


# ---------------------------------------------------------------- due dates and owners


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
        start = format_date(settings.start)
        return (f"{format_date(due)} is before the plan starts ({start}); pick a "
                f"date on or after {start}, or change the plan's start date")
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
        warnings["due"] = (f"{format_date(progress.due)} is after the plan ends "
                           f"({format_date(settings.end)}) (it was saved anyway)")
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
        return (f"⚠ Overdue: {label.lower()}, was due {format_date(progress.due)} "
                f"({late} ago)")
    when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    return f"{label} · due {format_date(progress.due)} ({when})"


def marker_style(progress: ChecklistProgress | None, on: dt.date) -> str:
    """The marker's CSS class: ``pk-overdue``, ``pk-done`` or "" (the words say it too)."""
    if is_overdue(progress, on):
        return "pk-overdue"
    return "pk-done" if progress is not None and progress.status == "done" else ""


# ---------------------------------------------------------------- step tools


def with_directory_contacts(tool: VisionTool | None,
                            directory: Iterable[DirectoryEntry]) -> VisionTool:
    """Step 1's record with a key-contact row for every directory partner not yet listed."""
    tool = tool or VisionTool()
    listed = {" ".join(r.partner.lower().split()) for r in tool.key_contacts}
    added = [KeyContactRow(partner=e.organisation, partner_contact=e.key_contact,
                           how_to_reach=e.contact)
             for e in directory if e.record_key() not in listed]
    return tool.model_copy(update={"key_contacts": [*tool.key_contacts, *added]})


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
                "rows": [[cell_text(getattr(r, n), f) for n, f in fields.items()]
                         for r in value if not r.is_blank()]})
        elif isinstance(value, list):
            sections.append({"title": title, "kind": "list", "items": list(value)})
        else:
            sections.append({"title": title, "kind": "text", "text": cell_text(value, info)})
    return sections


def _row_type(annotation: Any) -> type[Row] | None:
    """The row model of a table field (``list[SomeRow]``), or None for any other field."""
    args = getattr(annotation, "__args__", ())
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], Row):
        return args[0]
    return None


def cell_text(value: Any, info: Any) -> str:
    """A field's value as report text: "" for none, Yes/No, a date in words, a choice's label."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return format_date(value)
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    choices = extra.get("choices") or {}
    return str(choices.get(value, value))
