"""The partner directory's editor: the table, a form to add or edit an entry, a file import.

Its HTML is drawn by Jinja partials in ``templates/parts/`` (autoescaped), never built
by hand.
"""

from __future__ import annotations

import base64
from typing import Any

import ipywidgets as widgets

from partnerkit.content import Content, load_content
from partnerkit.errors import PartnerkitError
from partnerkit.forms import record_form
from partnerkit.mapping_tool.directory_export import directory_csv
from partnerkit.mapping_tool.directory_import import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    ImportResult,
    directory_entries,
    import_directory,
)
from partnerkit.records.mapping import NEEDS, DirectoryEntry
from partnerkit.reports.parts import render_part
from partnerkit.session import Session
from partnerkit.store import Store

TABLE_HEADINGS = ("Organisation", "Type", "Offers", "Cannot offer", "Helps with", "Area",
                  "Contact", "Key contact")


def _table_html(entries: list[DirectoryEntry], content: Content) -> str:
    labels = {n: content.item(f"principles.barrier.{n}").text for n in NEEDS
              if f"principles.barrier.{n}" in content}
    rows = [[e.organisation, e.type, e.offers, e.cannot_offer,
             ", ".join(labels.get(n, n) for n in e.helps_with), e.area, e.contact,
             e.key_contact] for e in entries]
    return render_part("directory_table", headings=TABLE_HEADINGS, rows=rows)


class DirectoryEditor(widgets.VBox):
    """The directory as a table, a form to add or edit an entry, and a file import."""

    def __init__(self, store: Store, workspace: str, author: str,
                 content: Content | None = None) -> None:
        self.store = store
        self.workspace = workspace
        self.author = author
        self.content = content or load_content()
        self.form: widgets.Widget | None = None
        self.table = widgets.HTML()
        self.chooser = widgets.Dropdown(description="Edit", options=[],
                                        style={"description_width": "initial"})
        self.edit_button = widgets.Button(description="Edit this organisation", icon="pencil")
        self.add_button = widgets.Button(description="Add an organisation", icon="plus")
        self.upload = widgets.FileUpload(accept=".csv,.xlsx", multiple=False,
                                         description="Import CSV or XLSX")
        self.message = widgets.HTML()
        self.download = widgets.HTML()
        self.form_box = widgets.VBox()
        self.edit_button.on_click(lambda _b: self.edit(self.chooser.value))
        self.add_button.on_click(lambda _b: self.edit(None))
        self.upload.observe(self._uploaded, names="value")
        heading = widgets.HTML(render_part("import_heading", what="directory", columns=COLUMNS,
                                     optional=OPTIONAL_COLUMNS))
        super().__init__([
            self.table, widgets.HBox([self.chooser, self.edit_button, self.add_button]),
            self.form_box, heading, self.upload, self.message, self.download])
        self.refresh()

    def refresh(self) -> None:
        """Show the stored directory again (after an edit or an import)."""
        entries = directory_entries(self.store, self.workspace)
        self.table.value = _table_html(entries, self.content)
        self.chooser.options = [(e.organisation, e.record_key()) for e in entries]
        encoded = base64.b64encode(directory_csv(entries).encode("utf-8-sig")).decode("ascii")
        self.download.value = render_part("csv_download", filename="partner-directory.csv",
                                    encoded=encoded, text="Download the directory as CSV")

    def edit(self, key: str | None) -> widgets.Widget:
        """Open the form for one entry (by key), or for a new one when ``key`` is None."""
        current = {"key": key}

        def check(record: Any) -> dict[str, str]:
            new_key = record.record_key()
            if new_key != current["key"] and self.store.get(
                    self.workspace, DirectoryEntry.kind, new_key) is not None:
                return {"organisation": f"{record.organisation!r} is already in the "
                                        "directory; choose it in the list to edit it"}
            return {}

        def saved(record: Any) -> None:
            current["key"] = record.record_key()
            self.refresh()

        self.form = record_form(DirectoryEntry, store=self.store, workspace=self.workspace,
                                author=self.author, key=key, check=check, on_saved=saved,
                                title="Edit an organisation" if key else
                                "Add an organisation", content=self.content)
        self.form_box.children = (self.form,)
        return self.form

    def import_bytes(self, name: str, data: bytes) -> ImportResult | None:
        """Import an uploaded file; show what was stored, or every problem found."""
        try:
            result = import_directory(self.store, self.workspace, data, self.author,
                                      name=name)
        except PartnerkitError as exc:
            problems = [str(p) for p in getattr(exc, "problems", None) or [exc]]
            self.message.value = render_part("import_problems", what="directory", problems=problems)
            return None
        self.message.value = render_part("import_done", text=result.describe())
        self.refresh()
        return result

    def _uploaded(self, change: Any) -> None:
        files = change["new"] or ()
        for upload in files:
            self.import_bytes(str(upload.get("name") or "uploaded file"),
                              bytes(upload.get("content") or b""))


def directory_editor(session: Session) -> DirectoryEditor:
    """The workbook's directory cell: table, add/edit form and file import."""
    return DirectoryEditor(session.store, session.workspace, session.author)
