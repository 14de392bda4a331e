"""A practitioner's reflective log: every entry with its timestamps and history, and export.

The log is the practitioner's :class:`~partnerkit.records.module.LogEntry` records in
the module's order, with the start and end self-ratings. It exports as one document
for a professional learning record: HTML through ``templates/reflective_log.html.j2``,
and PDF (WeasyPrint) and DOCX (python-docx) made from that same HTML by
:mod:`partnerkit.reports`. Entries are kept whole, however long; files are written
owner-only.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from partnerkit.collaborative_working.quiz import format_moment
from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import load_records
from partnerkit.records.module import LOG_TASKS, LogEntry, SelfRating, practitioner_name
from partnerkit.reports import html_to_docx, html_to_pdf, render_html, write_private
from partnerkit.store import Store

FORMATS = ("docx", "pdf", "html")
"""The formats :func:`export_log` can write."""

LOG_COLUMNS = ["task_id", "task", "prompt", "characters", "first_saved", "last_saved",
               "versions"]
"""The columns of :func:`log_frame`."""

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
        """First saved, as people read it."""
        return format_moment(self.first_saved) if self.first_saved else "–"

    @property
    def last_saved_text(self) -> str:
        """Last saved, as people read it."""
        return format_moment(self.last_saved) if self.last_saved else "–"


def _task_wording(task_id: str) -> tuple[str, str]:
    """(task title, prompt text) for a log task or prompt id."""
    content = load_content()
    item = content.item(task_id)
    parent = content.parent_of(task_id)
    if item.kind == "prompt" and parent is not None:
        return parent.title or parent.text, f"{item.number}. {item.text}"
    return item.title or item.text, item.text


def log_entries(store: Store, workspace: str, practitioner: str) -> list[LogItem]:
    """Every entry of a practitioner's log in the module's order, with its history.

    Entries left blank are not included.
    """
    practitioner = practitioner_name(practitioner)
    entries = {e.task: e for e in load_records(store, workspace, LogEntry,
                                               prefix=f"{practitioner}/")
               if e.practitioner == practitioner}
    items = []
    for task_id in LOG_TASKS:
        entry = entries.get(task_id)
        if entry is None or not entry.text.strip():
            continue
        history = tuple(
            LogVersion(change.at, change.author, (change.after or {}).get("text", ""))
            for change in store.history(workspace, LogEntry.kind, entry.record_key())
            if change.after is not None)
        title, prompt = _task_wording(task_id)
        items.append(LogItem(task_id, title, prompt, entry.text, history))
    return items


def log_frame(store: Store, workspace: str, practitioner: str) -> pd.DataFrame:
    """The log as a table: one row per entry, columns :data:`LOG_COLUMNS`."""
    rows = [{"task_id": i.task_id, "task": i.task_title, "prompt": i.prompt,
             "characters": len(i.text), "first_saved": i.first_saved,
             "last_saved": i.last_saved, "versions": i.versions}
            for i in log_entries(store, workspace, practitioner)]
    return pd.DataFrame(rows, columns=LOG_COLUMNS)


def _ratings(store: Store, workspace: str, practitioner: str) -> dict[str, str | None]:
    content = load_content()
    practitioner = practitioner_name(practitioner)
    found: dict[str, str | None] = {"start": None, "end": None}
    for rating in load_records(store, workspace, SelfRating, prefix=f"{practitioner}/"):
        if rating.practitioner == practitioner and rating.rating:
            found[rating.moment] = content.item(f"module6.self_rating.{rating.rating}").text
    return found


def _context(store: Store, workspace: str, practitioner: str) -> dict[str, Any]:
    content = load_content()
    return {
        "practitioner": practitioner,
        "entries": log_entries(store, workspace, practitioner),
        "ratings": _ratings(store, workspace, practitioner),
        "rating_question": content.item("module6.self_rating").text,
        "intro": (f"Reflective log for {content.frameworks['module6'].source.title}: every "
                  "entry as last saved, with when it was written."),
    }


def log_html(store: Store, workspace: str, practitioner: str, *,
             show_history: bool = False) -> str:
    """The whole log as one HTML document (user text escaped).

    Args:
        store: the store holding the log.
        workspace: the workspace (training cohort or school).
        practitioner: whose log.
        show_history: also list each entry's earlier versions.
    """
    return render_html("reflective_log.html.j2", workspace=workspace, frameworks=["module6"],
                       title=f"Reflective log: {practitioner}", show_history=show_history,
                       **_context(store, workspace, practitioner))


def log_pdf(store: Store, workspace: str, practitioner: str) -> bytes:
    """The whole log as PDF, printed by WeasyPrint from :func:`log_html`."""
    return html_to_pdf(log_html(store, workspace, practitioner))


def log_docx(store: Store, workspace: str, practitioner: str) -> bytes:
    """The whole log as a Word document (python-docx) from the same HTML, entries whole."""
    return html_to_docx(log_html(store, workspace, practitioner))


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "practitioner"


def export_log(store: Store, workspace: str, practitioner: str, out_dir: str | Path,
               formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write the log as one document per format (owner-only files); return the paths.

    Raises:
        PartnerkitError: a format is not one of :data:`FORMATS`.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise PartnerkitError("is not an export format", value=unknown[0],
                              where="reflective log export",
                              fix=f"use one of {', '.join(FORMATS)}")
    base = Path(out_dir) / f"reflective-log-{_slug(practitioner_name(practitioner))}"
    makers = {"html": lambda: log_html(store, workspace, practitioner),
              "docx": lambda: log_docx(store, workspace, practitioner),
              "pdf": lambda: log_pdf(store, workspace, practitioner)}
    return {fmt: write_private(base.with_suffix(f".{fmt}"), makers[fmt]()) for fmt in formats}


def log_view(session: Any, practitioner: str | None = None) -> widgets.HTML:
    """The whole log on screen, with each entry's earlier versions."""
    who = practitioner or session.author
    page = log_html(session.store, session.workspace, who, show_history=True)
    return widgets.HTML(f'<iframe title="Reflective log" style="width:100%;height:40em;'
                        f'border:1px solid #999" srcdoc="{html.escape(page)}"></iframe>')


_MIME = {"html": "text/html",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}


def export(session: Any, out_dir: str | Path | None = None,
           practitioner: str | None = None) -> widgets.HTML:
    """Export the session practitioner's log (DOCX, PDF, HTML); say where, with links.

    Args:
        session: the workbook's session.
        out_dir: the folder to write to; the data folder's ``reports/`` if not given.
        practitioner: whose log (the session's author if not given).
    """
    who = practitioner or session.author
    folder = Path(out_dir) if out_dir else Path(session.data_dir) / "reports"
    written = export_log(session.store, session.workspace, who, folder)
    rows = []
    for fmt, path in written.items():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        rows.append(f'<li>{fmt.upper()}: <code>{html.escape(str(path))}</code> · '
                    f'<a download="{html.escape(path.name)}" '
                    f'href="data:{_MIME[fmt]};base64,{data}">download</a></li>')
    return widgets.HTML(f"<p>The reflective log of {html.escape(who)} was written "
                        f"as one document in each format:</p><ul>{''.join(rows)}</ul>")
