"""The audit trail as a document (HTML), as CSV, and the anchor file the lead keeps.

The HTML comes from ``templates/audit_trail.html.j2`` through the one table partial;
the CSV is safe to open in a spreadsheet (no cell runs as a formula).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pandas as pd

from partnerkit.audit_trail.data import COLUMNS, Filters, trail_frame
from partnerkit.reports import environment
from partnerkit.reports.frames import Column, frame_table
from partnerkit.tables.out import neutralise

TABLE = (Column("at", "When", "text"), Column("account", "Who"), Column("action", "What"),
         Column("kind", "Record"), Column("key", "Pupil or record"), Column("door", "Door"),
         Column("allowed", "Allowed", labels={True: "yes", False: "refused"}),
         Column("detail", "Detail"), Column("id", "Entry"))
EMPTY = "No entries match. Clear a filter, or choose a longer span of days."


def when(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with ``at`` written for reading: ``1 December 2026 09:30:05 UTC``."""
    shown = frame.copy()
    shown["at"] = [f"{t:%-d %B %Y %H:%M:%S} UTC" for t in shown["at"]]
    return shown


def trail_table(frame: pd.DataFrame, limit: int | None = 200) -> str:
    """The entries as the plain table of pages and reports."""
    return frame_table(when(frame), TABLE, empty=EMPTY, limit=limit,
                       more=("entry", "entries"))


def trail_html(store: Any, workspace: str, filters: Filters | None = None) -> str:
    """The workspace's audit trail (filtered) as one HTML document."""
    frame = trail_frame(store, workspace, filters)
    verdict = store.verify_audit(workspace)
    return environment().get_template("audit_trail.html.j2").render(
        title="Audit trail", workspace=workspace, generated=dt.date.today(),
        verdict=verdict, table=trail_table(frame, limit=None), count=len(frame))


def trail_csv(frame: pd.DataFrame) -> str:
    """The entries as CSV (oldest first), every column, formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in frame.sort_values("id").to_dict("records"):
        writer.writerow([neutralise(record[name].isoformat() if name == "at" else record[name])
                         for name in COLUMNS])
    return buffer.getvalue()


def anchor_json(anchor: dict[str, Any], store_name: str) -> str:
    """An anchor as the file ``partnerkit audit verify --anchor`` reads."""
    return json.dumps({"format": "partnerkit-audit-anchor/1", "store": store_name, **anchor},
                      indent=2) + "\n"
