"""The reflective log as one document, in HTML, Word and PDF.

The HTML comes from ``templates/reflective_log.html.j2``; Word and PDF are made from
that same HTML by :mod:`partnerkit.reports`. The export is for a professional learning
record: every entry whole, as last saved, with when it was written. People are shown
by their full name (the workspace's accounts), never their username. Files are written
owner-only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from partnerkit.content import load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.module import practitioner_name, practitioner_names
from partnerkit.reflective_log.data import LogItem, log_entries, rating_labels
from partnerkit.reports import html_to_docx, html_to_pdf, render_html, write_private
from partnerkit.store import Store

FORMATS = ("docx", "pdf", "html")
"""The formats :func:`export_log` can write."""


def _named(items: list[LogItem], names: dict[str, str]) -> list[LogItem]:
    """The entries with each version's author shown by full name (the key if none)."""
    return [replace(item, history=tuple(replace(v, author=names.get(v.author, v.author))
                                        for v in item.history)) for item in items]


def _context(store: Store, workspace: str, practitioner: str,
             shared_only: bool) -> dict[str, Any]:
    content = load_content()
    names = practitioner_names(store, workspace)
    key = practitioner_name(practitioner)
    return {
        "practitioner": names.get(key, key),
        "entries": _named(log_entries(store, workspace, key, shared_only=shared_only), names),
        "ratings": rating_labels(store, workspace, key),
        "rating_question": content.item("module6.self_rating").text,
        "intro": (f"Reflective log for {content.frameworks['module6'].source.title}: every "
                  "entry as last saved, with when it was written."
                  + (" Only the entries shared with the trainer are shown."
                     if shared_only else "")),
    }


def log_html(store: Store, workspace: str, practitioner: str, *,
             show_history: bool = False, shared_only: bool = False) -> str:
    """The whole log as one HTML document (user text escaped), people by full name.

    Args:
        store: the store holding the log.
        workspace: the workspace (training cohort or school).
        practitioner: whose log (the key their work is filed under: their username).
        show_history: also list each entry's earlier versions.
        shared_only: only the entries (and versions) shared with the trainer.
    """
    context = _context(store, workspace, practitioner, shared_only)
    return render_html("reflective_log.html.j2", workspace=workspace, frameworks=["module6"],
                       store=store,
                       title=f"Reflective log: {context['practitioner']}",
                       show_history=show_history, **context)


def log_pdf(store: Store, workspace: str, practitioner: str) -> bytes:
    """The whole log as PDF, printed from :func:`log_html`."""
    return html_to_pdf(log_html(store, workspace, practitioner))


def log_docx(store: Store, workspace: str, practitioner: str) -> bytes:
    """The whole log as a Word document from the same HTML, entries whole."""
    return html_to_docx(log_html(store, workspace, practitioner))


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60] or "practitioner"


def export_log(store: Store, workspace: str, practitioner: str, out_dir: str | Path,
               formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write the log as one document per format (owner-only files); return the paths.

    The files are ``reflective-log-<practitioner>.<format>`` in ``out_dir``.

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
