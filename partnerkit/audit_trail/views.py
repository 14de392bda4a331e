"""The audit trail page: whether the chain is intact, filters, the entries, downloads.

The data-protection lead filters by pupil, person, door and days, sees the entries
newest first, downloads what is shown as CSV, and makes an anchor (the chain's head) to
download and keep away from the store. HTML only through the Jinja partials.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets

from partnerkit.audit_trail.data import Filters, trail_frame
from partnerkit.audit_trail.report import anchor_json, trail_csv, trail_table
from partnerkit.errors import AuditTrailError, PartnerkitError
from partnerkit.forms import DateBox, DateError
from partnerkit.reports.parts import render_part
from partnerkit.store.audit_chain import DOORS

DOOR_CHOICES = [("Any door", "")] + [(door, door) for door in DOORS]
WIDE = {"description_width": "initial"}


def _download(filename: str, text: str, label: str, mime: str = "text/csv") -> str:
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return render_part("file_download", filename=filename, encoded=encoded, text=label,
                       mime=mime)


class TrailView(widgets.VBox):
    """The workspace's audit trail with its filters and downloads."""

    def __init__(self, store: Any, workspace: str, pupil: str | None = None) -> None:
        self.store, self.workspace = store, workspace
        self.verdict = widgets.HTML()
        self.pupil = widgets.Text(value=pupil or "", description="Pupil reference",
                                  placeholder="e.g. P-1001", style=WIDE)
        self.person = widgets.Text(description="Person (username)", style=WIDE)
        self.door = widgets.Dropdown(options=DOOR_CHOICES, value="", description="Door",
                                     style=WIDE)
        self.since = DateBox(description="From", style=WIDE)
        self.until = DateBox(description="To", style=WIDE)
        self.show = widgets.Button(description="Show entries", button_style="primary")
        self.anchor = widgets.Button(description="Make an anchor to keep",
                                     layout=widgets.Layout(width="auto"))
        self.message, self.table, self.links = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.show.on_click(lambda _b: self.refresh())
        self.anchor.on_click(lambda _b: self.make_anchor())
        super().__init__([self.verdict, self.pupil, self.person, self.door,
                          widgets.HBox([self.since, self.until]),
                          widgets.HBox([self.show, self.anchor]), self.message, self.links,
                          self.table])
        self.refresh()

    def filters(self) -> Filters:
        """The filters as typed (a bad one raises with its message)."""
        return Filters(pupil=self.pupil.value, account=self.person.value,
                       door=self.door.value or None,
                       since=_typed_date(self.since), until=_typed_date(self.until))

    def refresh(self) -> None:
        """Check the chain and show the entries the filters pick, with a CSV download."""
        try:
            frame = trail_frame(self.store, self.workspace, self.filters())
        except PartnerkitError as exc:
            self.message.value = render_part("alert", text=str(exc))
            return
        self.message.value = ""
        verdict = self.store.verify_audit(self.workspace)
        self.verdict.value = render_part("audit_verdict", verdict=verdict)
        self.table.value = trail_table(frame)
        self.links.value = _download(f"audit-trail-{self.workspace}.csv", trail_csv(frame),
                                     f"Download these {len(frame)} entries as CSV")

    def make_anchor(self) -> dict[str, Any]:
        """Anchor the chain now and offer the anchor file to download."""
        made = self.store.anchor_audit(self.workspace)
        self.links.value = _download(
            f"audit-anchor-{made['at'][:10]}.json", anchor_json(made, repr(self.store.store)),
            f"Download the anchor of entry {made['entry_id']} ({made['entries']} entries)",
            mime="application/json")
        self.message.value = render_part(
            "audit_notice",
            text="Anchor made. Download it and keep it away from this computer: "
                 "partnerkit audit verify --anchor FILE proves the trail up to it unchanged.")
        return made


def _typed_date(box: DateBox) -> Any:
    """The date in a filter's box; a bad one raises naming the box and the fix."""
    try:
        return box.date
    except DateError as exc:
        raise AuditTrailError(str(exc), value=box.value, where=f"the {box.description} date",
                              fix="type it as day/month/year, for example 02/10/2026"
                              ) from None


def trail_view(session: Any) -> TrailView:
    """The page's one widget: the session's workspace's audit trail."""
    return TrailView(session.store, session.workspace, session.get("pupil"))
