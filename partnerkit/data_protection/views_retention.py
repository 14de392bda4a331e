"""The page's retention section: what the schedule says is due, and erasing it.

The due list of the workspace (what, why, when; held pupils marked), then "Check what
would be erased", which lists the pupils whose records go and names the held pupils
who are skipped; only "Yes, erase what is due" erases (each erasure audited, as
``partnerkit retention apply --apply`` does).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.data_protection import due
from partnerkit.data_protection.report import KIND_TITLES
from partnerkit.data_protection.views_parts import PUPIL_TOPIC, Confirmed, Preview, status
from partnerkit.errors import PartnerkitError
from partnerkit.reports.parts import render_part

COLUMNS = ["Pupil", "Record", "Key", "Kept for", "Left", "Due", "Status"]


def _rows(items: list[due.DueItem]) -> list[list[str]]:
    return [[i.pupil, KIND_TITLES.get(i.kind, i.kind.replace("_", " ")), i.key,
             f"{i.years} years after leaving ({i.schedule_kind.replace('_', ' ')})",
             str(i.left_on), str(i.due_on), "held: kept" if i.held else "due"]
            for i in items]


def retention_due(session: Any) -> Any:
    """The retention schedule's due list for the workspace (what is due and why)."""
    def build() -> widgets.HTML:
        try:
            schedule, items, _whole = due.due(session.store, session.workspace,
                                              Path(session.data_dir))
        except PartnerkitError as exc:
            return widgets.HTML(status(str(exc), False))
        return widgets.HTML(render_part(
            "data_table", columns=COLUMNS, rows=_rows(items), page=True,
            caption=f"Schedule: {schedule.source}", empty="Nothing is due for erasure."))
    return session.live(PUPIL_TOPIC, build)


def erase_due_form(session: Any) -> Confirmed:
    """"Erase what is due": the dry run shown first, erased only on a confirming click."""
    folder = Path(session.data_dir)

    def preview() -> Preview:
        text, any_to_erase = due.plan_text(session.store, session.workspace, folder)
        return Preview(text, any_to_erase)

    def act() -> str:
        done = due.erase_due(session.store, session.workspace, folder)
        return " ".join(done) if done else "Nothing was due, so nothing was erased."

    return Confirmed("Check what would be erased", "Yes, erase what is due", preview, act,
                     session=session, heading="Erasing what is due removes all of this, "
                                              "and it cannot be undone:")


def retention_section(session: Any) -> widgets.VBox:
    """The due list, then erasing what is due."""
    return widgets.VBox([retention_due(session), erase_due_form(session)])
