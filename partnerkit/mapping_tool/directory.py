"""The local partner directory: the organisations a school or local authority can call on.

A school keeps it as a CSV or XLSX (organisation, type, what it offers, what it cannot
offer, needs it helps with, area served, contact, key contact; optionally the layer of
the map and whether it takes referrals from schools). :func:`read_directory` checks the
whole file before anything is stored and raises one :class:`InputFileError` listing
every problem by file, row, column and value; :func:`import_directory` then saves the
entries for the workspace, so every practitioner in it shares one directory. The
:func:`directory_editor` widget shows the table, edits entries through the form engine
and imports an uploaded file. :func:`export_directory_csv` writes it back out with
spreadsheet formulas neutralised.
"""

from __future__ import annotations

import base64
import csv
import difflib
import html
import io
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from partnerkit.content import Content, load_content
from partnerkit.errors import InputFileError, PartnerkitError, RecordValidationError
from partnerkit.forms import record_form
from partnerkit.records.base import delete_record, load_records, save_record, validate_record
from partnerkit.records.mapping import LAYERS, NEEDS, DirectoryEntry
from partnerkit.reports import FORMULA_PREFIXES, neutralise_formula, write_private
from partnerkit.session import Session
from partnerkit.store import Store

COLUMNS: tuple[str, ...] = ("organisation", "type", "offers", "cannot_offer", "helps_with",
                            "area", "contact", "key_contact")
"""The columns a directory file must have (headings may be written in words)."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("layer", "takes_referrals")
"""Columns a directory file may have: the map layer and a yes/no for referrals."""

HEADINGS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation", "organization", "organisation name",
                     "organization name", "name of organisation", "partner", "partner name"),
    "type": ("type", "organisation type", "organization type", "type of organisation",
             "sector"),
    "offers": ("offers", "what it offers", "what they offer", "what it can offer",
               "offer", "services", "support offered"),
    "cannot_offer": ("cannot offer", "what it cannot offer", "what they cannot offer",
                     "can not offer", "cant offer", "can't offer", "does not offer",
                     "not offered"),
    "helps_with": ("helps with", "needs it helps with", "needs they help with",
                   "needs helped with", "needs", "barriers"),
    "area": ("area", "area served", "areas served", "area covered", "locality"),
    "contact": ("contact", "contact details", "how to contact"),
    "key_contact": ("key contact", "key contact name", "contact person", "named contact"),
    "layer": ("layer", "map layer", "layer of the map"),
    "takes_referrals": ("takes referrals", "takes referrals from schools",
                        "accepts referrals", "referrals"),
}
"""Heading variants accepted for each column, compared without case or punctuation."""

YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
FORMULA_STARTS = FORMULA_PREFIXES
"""First characters a spreadsheet runs as a formula (shared with :mod:`partnerkit.reports`)."""
MAX_PROBLEMS = 20
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _normalise(heading: Any) -> str:
    text = str(heading or "").replace("\ufeff", "").lower()
    text = text.replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


_ALIASES: dict[str, str] = {_normalise(variant): column
                            for column, variants in HEADINGS.items()
                            for variant in (*variants, column)}


@dataclass
class DirectoryFile:
    """A directory file read and checked: its entries and the headings it ignored."""

    file: str
    entries: list[DirectoryEntry]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import stored: how many entries were new, updated or removed."""

    file: str
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    ignored_columns: list[str]

    def describe(self) -> str:
        """One plain line for the practitioner."""
        total = len(self.added) + len(self.updated) + len(self.unchanged)
        parts = [f"Imported {total} organisations from {self.file}: {len(self.added)} new, "
                 f"{len(self.updated)} updated, {len(self.unchanged)} unchanged"]
        if self.removed:
            parts.append(f"{len(self.removed)} not in the file removed")
        text = ", ".join(parts) + "."
        if self.ignored_columns:
            text += (" Columns not used: " + ", ".join(repr(c) for c in self.ignored_columns)
                     + ".")
        return text


# ------------------------------------------------------------------ reading


def _problem(file: str, message: str, *, row: int | None = None, column: str | None = None,
             value: Any = None, fix: str | None = None) -> InputFileError:
    return InputFileError(message, file=file, row=row, column=column, value=value, fix=fix)


def _raise(file: str, problems: list[InputFileError]) -> None:
    first = problems[0]
    extra = len(problems) - 1
    message = first.message
    if extra:
        message += f" (and {extra} more problem{'s' if extra > 1 else ''} listed below)"
    raise InputFileError(message, file=file, row=first.row, column=first.column,
                         value=first.value, fix=first.fix, problems=problems)


def _read_rows(name: str, data: bytes) -> list[list[Any]]:
    """The file's rows as lists of cells (the first is the heading row)."""
    if not data or not data.strip():
        raise _problem(name, "the file is empty", fix="export the directory again with a "
                       "heading row (organisation, type, offers, ...) and one row per "
                       "organisation")
    suffix = Path(name).suffix.lower()
    if data.startswith(XLSX_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(name, data)
    if data.startswith(OLE_MAGIC):
        raise _problem(name, "is an old-style Excel (.xls) or other Office file, which "
                       "partnerkit cannot read", fix="save it as .xlsx or .csv and import "
                       "that")
    if b"\x00" in data[:8192]:
        raise _problem(name, "is a binary file, not a CSV or XLSX directory",
                       fix="choose the directory's .csv or .xlsx file")
    return _read_csv(name, data)


def _decode(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _problem(name, "is not a text file in a known encoding",
                   fix="save the spreadsheet as 'CSV UTF-8' and import that")


def _read_csv(name: str, data: bytes) -> list[list[Any]]:
    text = _decode(name, data)
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > max(2, len(text[:8192]) // 100):
        raise _problem(name, "is a binary file, not a CSV or XLSX directory",
                       fix="choose the directory's .csv or .xlsx file")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise _problem(name, f"cannot be read as CSV ({exc})",
                       fix="save the spreadsheet as CSV again and import that") from None


def _read_xlsx(name: str, data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _problem(name, f"is not a readable XLSX workbook ({type(exc).__name__})",
                       fix="open it in a spreadsheet program, save as .xlsx or .csv and "
                           "import that") from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _match_headings(name: str, headings: list[Any]) -> tuple[dict[str, int], list[str]]:
    """Map each column to its position; raise for a missing, misspelt or repeated one."""
    found: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    problems: list[InputFileError] = []
    for position, heading in enumerate(headings):
        key = _normalise(heading)
        if not key:
            continue
        column = _ALIASES.get(key)
        if column is None:
            unknown.append((position, str(heading)))
        elif column in found:
            problems.append(_problem(name, f"the column {column!r} appears twice",
                                     row=1, column=str(heading), value=str(heading),
                                     fix="keep one of the two columns"))
        else:
            found[column] = position
    misspelt: dict[str, str] = {}
    ignored: list[str] = []
    for _position, heading in unknown:
        close = difflib.get_close_matches(_normalise(heading), list(_ALIASES), n=1,
                                          cutoff=0.75)
        column = _ALIASES[close[0]] if close else None
        if column and column not in found and column not in misspelt:
            misspelt[column] = heading
            problems.append(_problem(
                name, f"heading {heading!r} is not a directory column; did you mean "
                      f"{column!r}?", row=1, column=heading, value=heading,
                fix=f"rename the heading to {column!r}"))
        else:
            ignored.append(heading)
    for column in COLUMNS:
        if column in found or column in misspelt:
            continue
        problems.append(_problem(
            name, f"the column {column!r} is missing" + _suggest_heading(column, ignored),
            row=1, column=column,
            fix="row 1 must hold the headings: " + ", ".join(COLUMNS)
                + " (optional: " + ", ".join(OPTIONAL_COLUMNS) + ")"))
    if problems:
        _raise(name, problems)
    return found, ignored


def _suggest_heading(column: str, unknown: list[str]) -> str:
    """Say which unused heading was probably meant for a missing column, if any."""
    variants = [_normalise(v) for v in (*HEADINGS[column], column)]
    words = _normalise(column)
    for heading in unknown:
        key = _normalise(heading)
        if words in key or difflib.get_close_matches(key, variants, n=1, cutoff=0.6):
            return f" (is {heading!r} meant to be {column!r}? rename it to {column!r})"
    return ""


def _need_lookup(content: Content) -> dict[str, str]:
    lookup = {}
    for need in NEEDS:
        lookup[_normalise(need)] = need
        item_id = f"principles.barrier.{need}"
        if item_id in content:
            lookup[_normalise(content.item(item_id).text)] = need
    return lookup


def _layer_lookup(content: Content) -> dict[str, str]:
    lookup = {}
    for layer in LAYERS:
        lookup[_normalise(layer)] = layer
        item = content.item(f"mapping_tool.layer.{layer}")
        lookup[_normalise(item.title or item.text)] = layer
    return lookup


def _unquote(value: str) -> str:
    """Undo the export's formula guard: a leading ' before = + - @ is dropped."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def _parse_row(name: str, number: int, cells: dict[str, str], needs: dict[str, str],
               layers: dict[str, str]) -> tuple[dict[str, Any], list[InputFileError]]:
    """Turn one row's cells into record values; collect a problem per bad cell."""
    problems: list[InputFileError] = []
    values: dict[str, Any] = {c: cells.get(c, "") for c in COLUMNS if c != "helps_with"}
    ticked = []
    for part in re.split(r"[;,/\n]+", cells.get("helps_with", "")):
        if not part.strip():
            continue
        need = needs.get(_normalise(part))
        if need is None:
            close = difflib.get_close_matches(_normalise(part), list(needs), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(_problem(
                name, "is not one of the needs partnerkit knows", row=number,
                column="helps_with", value=part.strip(),
                fix=f"{hint}use one or more of: {', '.join(sorted(set(needs)))}, "
                    "separated by ';'"))
        elif need not in ticked:
            ticked.append(need)
    values["helps_with"] = ticked
    if "layer" in cells and cells["layer"].strip():
        layer = layers.get(_normalise(cells["layer"]))
        if layer is None:
            problems.append(_problem(
                name, "is not a layer of the map", row=number, column="layer",
                value=cells["layer"],
                fix="use one of: " + ", ".join(LAYERS) + " (or leave it blank)"))
        values["layer"] = layer
    if "takes_referrals" in cells:
        answer = cells["takes_referrals"].strip().lower()
        if answer in YES:
            values["takes_referrals"] = True
        elif answer in NO:
            values["takes_referrals"] = False
        else:
            problems.append(_problem(
                name, "is not yes or no", row=number, column="takes_referrals",
                value=cells["takes_referrals"], fix="write yes or no (or leave it blank)"))
    return values, problems


def read_directory(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                   content: Content | None = None) -> DirectoryFile:
    """Read and check a whole directory file (CSV or XLSX); store nothing.

    Args:
        source: a path, or the file's bytes (an upload).
        name: the file's name for messages (default: the path's name).
        content: framework content for need and layer names.

    Raises:
        InputFileError: naming the file, row, column and value of the first problem;
            ``problems`` lists every problem found (up to a limit).
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), name or "uploaded file"
    else:
        path = Path(source)
        name = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _problem(name, f"cannot be read ({exc.strerror})",
                           fix="check the file's path and that you may read it") from None
    content = content or load_content()
    rows = _read_rows(name, data)
    while rows and not any(str(c).strip() for c in rows[-1]):
        rows.pop()
    if rows and not any(str(c).strip() for c in rows[0]):
        raise _problem(name, "the first row is empty; it should hold the headings", row=1,
                       fix="put the headings (organisation, type, offers, ...) in row 1")
    if not rows:
        raise _problem(name, "the file is empty", fix="add a heading row and one row per "
                       "organisation")
    positions, ignored = _match_headings(name, rows[0])
    if len(rows) < 2:
        raise _problem(name, "has headings but no organisations", row=2,
                       fix="add one row per organisation under the headings")
    needs, layers = _need_lookup(content), _layer_lookup(content)
    problems: list[InputFileError] = []
    entries: list[DirectoryEntry] = []
    first_row_of: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: _unquote(str(row[pos]).strip()) if pos < len(row) else ""
                 for column, pos in positions.items()}
        if not any(str(c).strip() for c in row):
            problems.append(_problem(name, "the row is empty", row=number,
                                     fix="delete the empty row or fill it in"))
            continue
        values, row_problems = _parse_row(name, number, cells, needs, layers)
        problems += row_problems
        if not values["organisation"]:
            problems.append(_problem(name, "the organisation is empty", row=number,
                                     column="organisation", value="",
                                     fix="give every row an organisation name"))
            continue
        if row_problems:
            continue
        try:
            entry = validate_record(DirectoryEntry, values)
        except RecordValidationError as exc:
            for column, message in exc.field_errors.items():
                problems.append(_problem(name, message, row=number, column=column,
                                         value=values.get(column),
                                         fix="shorten or correct the value"))
            continue
        key = entry.record_key()
        if key in first_row_of:
            problems.append(_problem(
                name, f"the organisation is listed twice (first in row {first_row_of[key]})",
                row=number, column="organisation", value=entry.organisation,
                fix="merge the two rows into one"))
            continue
        first_row_of[key] = number
        entries.append(entry)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        _raise(name, problems[:MAX_PROBLEMS])
    return DirectoryFile(file=name, entries=entries, ignored_columns=ignored)


def directory_entries(store: Store, workspace: str) -> list[DirectoryEntry]:
    """The workspace's directory, sorted by organisation."""
    return sorted(load_records(store, workspace, DirectoryEntry),
                  key=lambda e: e.organisation.lower())


def import_directory(store: Store, workspace: str, source: str | os.PathLike[str] | bytes,
                     author: str, *, name: str | None = None,
                     replace: bool = False) -> ImportResult:
    """Check a directory file whole, then save its entries for the workspace.

    Nothing is stored when the file has a problem (the error lists them). Entries are
    matched by organisation: new ones are added, known ones updated; with ``replace``,
    entries not in the file are removed (their history is kept).
    """
    checked = read_directory(source, name=name)
    existing = {e.record_key(): e for e in load_records(store, workspace, DirectoryEntry)}
    added, updated, unchanged = [], [], []
    for entry in checked.entries:
        before = existing.get(entry.record_key())
        if before == entry:
            unchanged.append(entry.organisation)
            continue
        (added if before is None else updated).append(entry.organisation)
        save_record(store, workspace, entry, author)
    removed = []
    if replace:
        keys = {e.record_key() for e in checked.entries}
        for key, entry in existing.items():
            if key not in keys:
                delete_record(store, workspace, entry, author)
                removed.append(entry.organisation)
    return ImportResult(file=checked.file, added=added, updated=updated, unchanged=unchanged,
                        removed=removed, ignored_columns=checked.ignored_columns)


# ------------------------------------------------------------------ writing


def neutralise(value: Any) -> str:
    """A cell value safe to open in a spreadsheet: formula starts get a leading '."""
    return neutralise_formula("" if value is None else str(value))


def directory_csv(entries: Iterable[DirectoryEntry]) -> str:
    """The directory as CSV text with the import's headings (re-importable)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*COLUMNS, *OPTIONAL_COLUMNS])
    for entry in entries:
        row = {c: getattr(entry, c) for c in (*COLUMNS, *OPTIONAL_COLUMNS)}
        row["helps_with"] = "; ".join(entry.helps_with)
        row["layer"] = entry.layer or ""
        row["takes_referrals"] = "yes" if entry.takes_referrals else "no"
        writer.writerow([neutralise(row[c]) for c in (*COLUMNS, *OPTIONAL_COLUMNS)])
    return buffer.getvalue()


def export_directory_csv(store: Store, workspace: str,
                         path: str | os.PathLike[str] | None = None) -> str | Path:
    """Export the workspace's directory as CSV; write it owner-only when ``path`` is given.

    Values that a spreadsheet would run as a formula (starting with = + - @, their
    full-width forms, a tab or a carriage return) are written with a leading apostrophe;
    importing the file again drops it.

    Returns:
        The CSV text, or the path written.
    """
    text = directory_csv(directory_entries(store, workspace))
    if path is None:
        return text
    return write_private(path, text.encode("utf-8-sig"))


# ------------------------------------------------------------------ widget


def _table_html(entries: list[DirectoryEntry], content: Content) -> str:
    if not entries:
        return ("<p><em>The directory is empty: add an organisation or import the "
                "school's CSV or XLSX file.</em></p>")
    labels = {n: content.item(f"principles.barrier.{n}").text for n in NEEDS
              if f"principles.barrier.{n}" in content}
    head = ("<tr><th>Organisation</th><th>Type</th><th>Offers</th><th>Cannot offer</th>"
            "<th>Helps with</th><th>Area</th><th>Contact</th><th>Key contact</th></tr>")
    rows = []
    for e in entries:
        cells = [e.organisation, e.type, e.offers, e.cannot_offer,
                 ", ".join(labels.get(n, n) for n in e.helps_with), e.area, e.contact,
                 e.key_contact]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return ('<table class="pk-table" style="border-collapse:collapse">'
            f"<caption>Local partner directory ({len(entries)} organisations)</caption>"
            f"{head}{''.join(rows)}</table>"
            "<style>.pk-table td,.pk-table th{border:1px solid #999;padding:2px 6px;"
            "text-align:left;vertical-align:top}</style>")


def _problems_html(exc: PartnerkitError) -> str:
    problems = getattr(exc, "problems", None) or [exc]
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return (f'<div class="pk-error" role="alert" style="color:#a4000f"><strong>⚠ Nothing '
            f"was imported; the directory is unchanged.</strong><ul>{items}</ul></div>")


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
        super().__init__([
            self.table,
            widgets.HBox([self.chooser, self.edit_button, self.add_button]),
            self.form_box,
            widgets.HTML("<b>Import the directory file</b> (headings: "
                         + html.escape(", ".join(COLUMNS)) + "; optional: "
                         + html.escape(", ".join(OPTIONAL_COLUMNS)) + ")"),
            self.upload, self.message, self.download])
        self.refresh()

    def refresh(self) -> None:
        """Show the stored directory again (after an edit or an import)."""
        entries = directory_entries(self.store, self.workspace)
        self.table.value = _table_html(entries, self.content)
        self.chooser.options = [(e.organisation, e.record_key()) for e in entries]
        text = directory_csv(entries)
        encoded = base64.b64encode(text.encode("utf-8-sig")).decode("ascii")
        self.download.value = (f'<a download="partner-directory.csv" '
                               f'href="data:text/csv;base64,{encoded}">Download the directory '
                               f"as CSV</a>")

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
            self.message.value = _problems_html(exc)
            return None
        self.message.value = (f'<div class="pk-status-ok" role="status" style="color:#0b6623">'
                              f"✓ {html.escape(result.describe())}</div>")
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
