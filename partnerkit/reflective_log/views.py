"""The reflective log on screen, and its export with download links, as widgets."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.reflective_log.report import export_log, log_html
from partnerkit.reports.parts import render_part

MIME = {"html": "text/html",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf"}
"""The media type of each export format, for its download link."""


def log_view(session: Any, practitioner: str | None = None) -> widgets.HTML:
    """The whole log on screen, with each entry's earlier versions."""
    who = practitioner or session.practitioner
    page = log_html(session.store, session.workspace, who, show_history=True)
    return widgets.HTML(render_part("document_frame", page=page, title="Reflective log",
                                    height="40em", download=None))


def export(session: Any, out_dir: str | Path | None = None,
           practitioner: str | None = None) -> widgets.HTML:
    """Export the session practitioner's log (DOCX, PDF, HTML); say where, with links.

    Args:
        session: the workbook's session.
        out_dir: the folder to write to; the data folder's ``reports/`` if not given.
        practitioner: whose log (the session's author if not given).
    """
    who = practitioner or session.practitioner
    folder = Path(out_dir) if out_dir else Path(session.data_dir) / "reports"
    written = export_log(session.store, session.workspace, who, folder)
    files = [{"format": fmt.upper(), "path": str(path), "name": path.name,
              "href": f"data:{MIME[fmt]};base64,"
                      + base64.b64encode(path.read_bytes()).decode("ascii")}
             for fmt, path in written.items()]
    intro = f"The reflective log of {who} was written as one document in each format:"
    return widgets.HTML(render_part("export_links", intro=intro, files=files))
