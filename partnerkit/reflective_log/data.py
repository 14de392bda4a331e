"""A practitioner's reflective log from the store: entries in module order, with history.

The log is the practitioner's :class:`~partnerkit.records.module.LogEntry` records in
the module's order (:data:`~partnerkit.records.module.LOG_TASKS`), each with every saved
version; entries left blank are left out. Entries are kept whole, however long.

Everything is read through the store the session was given: another reader (the
trainer) gets only the entries their writer shared, and only the versions saved while
shared. ``shared_only`` asks for the same view whoever reads (the trainer's part of the
page, and a store without accounts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from partnerkit.content import load_content
from partnerkit.records.base import load_records
from partnerkit.records.module import LOG_TASKS, LogEntry, SelfRating, practitioner_name
from partnerkit.reports.text import format_moment
from partnerkit.store import Store

LOG_COLUMNS = ("task_id", "task", "prompt", "characters", "first_saved", "last_saved",
               "versions")
"""The columns of :func:`log_frame`: one row per entry, in module order."""


@dataclass(frozen=True)
class LogVersion:
    """One saved version of an entry: when, by whom, and its text then."""

    at: dt.datetime
    author: str
    text: str

    @property
    def at_text(self) -> str:
        """When, as people read it."""
        return format_moment(self.at)


@dataclass(frozen=True)
class LogItem:
    """One entry of the log with the wording of its task and its history."""

    task_id: str
    task_title: str
    prompt: str
    text: str
    history: tuple[LogVersion, ...] = field(default_factory=tuple)

    @property
    def first_saved(self) -> dt.datetime | None:
        """When the entry was first saved."""
        return self.history[0].at if self.history else None

    @property
    def last_saved(self) -> dt.datetime | None:
        """When the entry was last saved."""
        return self.history[-1].at if self.history else None

    @property
    def last_author(self) -> str:
        """Who saved it last."""
        return self.history[-1].author if self.history else ""

    @property
    def versions(self) -> int:
        """How many versions the history keeps."""
        return len(self.history)

    @property
    def first_saved_text(self) -> str:
        """First saved, as people read it ("–" if never)."""
        return format_moment(self.first_saved) if self.first_saved else "–"

    @property
    def last_saved_text(self) -> str:
        """Last saved, as people read it ("–" if never)."""
        return format_moment(self.last_saved) if self.last_saved else "–"


def task_wording(task_id: str) -> tuple[str, str]:
    """(task title, prompt text) for a log task or prompt id; a prompt keeps its number."""
    content = load_content()
    item = content.item(task_id)
    parent = content.parent_of(task_id)
    if item.kind == "prompt" and parent is not None:
        return parent.title or parent.text, f"{item.number}. {item.text}"
    return item.title or item.text, item.text


def log_entries(store: Store, workspace: str, practitioner: str, *,
                shared_only: bool = False) -> list[LogItem]:
    """Every entry of a practitioner's log in the module's order, with its history.

    Entries left blank are not included; with ``shared_only``, neither are entries not
    shared with the trainer, nor the versions saved before an entry was shared.
    """
    practitioner = practitioner_name(practitioner)
    entries = {e.task: e for e in load_records(store, workspace, LogEntry,
                                               prefix=f"{practitioner}/")
               if e.practitioner == practitioner and (e.shared or not shared_only)}
    items = []
    for task_id in LOG_TASKS:
        entry = entries.get(task_id)
        if entry is None or not entry.text.strip():
            continue
        history = tuple(
            LogVersion(change.at, change.author, change.after.get("text", ""))
            for change in store.history(workspace, LogEntry.kind, entry.record_key())
            if change.after is not None and (change.after.get("shared") or not shared_only))
        title, prompt = task_wording(task_id)
        items.append(LogItem(task_id, title, prompt, entry.text, history))
    return items


def sharing(store: Store, workspace: str) -> dict[str, int]:
    """Who shared log entries with the trainer, and how many (non-blank), by username."""
    counts: dict[str, int] = {}
    for entry in load_records(store, workspace, LogEntry):
        if entry.shared and entry.text.strip():
            counts[entry.practitioner] = counts.get(entry.practitioner, 0) + 1
    return counts


def log_frame(store: Store, workspace: str, practitioner: str) -> pd.DataFrame:
    """The log as a table: one row per entry, columns :data:`LOG_COLUMNS`."""
    rows = [{"task_id": i.task_id, "task": i.task_title, "prompt": i.prompt,
             "characters": len(i.text), "first_saved": i.first_saved,
             "last_saved": i.last_saved, "versions": i.versions}
            for i in log_entries(store, workspace, practitioner)]
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


def rating_labels(store: Store, workspace: str, practitioner: str) -> dict[str, str | None]:
    """The practitioner's start and end self-ratings as their labels (None if not rated)."""
    content = load_content()
    practitioner = practitioner_name(practitioner)
    found: dict[str, str | None] = {"start": None, "end": None}
    for rating in load_records(store, workspace, SelfRating, prefix=f"{practitioner}/"):
        if rating.practitioner == practitioner and rating.rating:
            found[rating.moment] = content.item(f"module6.self_rating.{rating.rating}").text
    return found
