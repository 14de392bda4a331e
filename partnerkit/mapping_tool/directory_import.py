"""The partner directory's checked import: read a whole CSV or XLSX file, then store it.

The file is read by :mod:`partnerkit.tables` with the directory's heading matcher (the
one matcher, in its strict form: a column given twice, or a heading that is a near miss
for a column, is refused rather than ignored). :func:`read_directory` checks the whole
file before anything is stored and raises one :class:`InputFileError` listing every
problem by file, row, column and value; :func:`import_directory` then saves the entries
for the workspace, so every practitioner in it shares one directory.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from typing import Any

from partnerkit.content import Content, load_content
from partnerkit.errors import InputFileError, RecordValidationError
from partnerkit.records.base import delete_record, load_records, save_record, validate_record
from partnerkit.records.mapping import LAYERS, NEEDS, DirectoryEntry
from partnerkit.store import Store
from partnerkit.tables import (
    HeadingMatcher,
    Wanted,
    normalise_heading,
    open_source,
    raise_problems,
    read_text,
    unquote,
)

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
"""Heading variants accepted for each column, compared without case, spaces or punctuation."""

LABELS: dict[str, str] = {
    "organisation": "the organisation's name", "type": "the type of organisation",
    "offers": "what it offers", "cannot_offer": "what it cannot offer",
    "helps_with": "the needs it helps with", "area": "the area served",
    "contact": "contact details", "key_contact": "the key contact",
    "layer": "the layer of the map", "takes_referrals": "whether it takes referrals"}
"""Each column in plain words, for messages."""

MATCHER = HeadingMatcher(
    LABELS, HEADINGS, strict=True, kind="directory column",
    fix_missing="the heading row must hold: " + ", ".join(COLUMNS) + " (optional: "
                + ", ".join(OPTIONAL_COLUMNS) + ")")
"""The directory's heading matcher (see :mod:`partnerkit.tables.headings`)."""

WANTED = Wanted(MATCHER, (*COLUMNS, *OPTIONAL_COLUMNS), {"directory": COLUMNS})
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
MAX_PROBLEMS = 20


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


@dataclass
class _Lookups:
    """Needs and layers by their normalised names (ids and framework wording)."""

    needs: dict[str, str]
    layers: dict[str, str]

    @classmethod
    def of(cls, content: Content) -> _Lookups:
        needs = {normalise_heading(n): n for n in NEEDS}
        needs.update({normalise_heading(content.item(f"principles.barrier.{n}").text): n
                      for n in NEEDS if f"principles.barrier.{n}" in content})
        layers = {normalise_heading(layer): layer for layer in LAYERS}
        for layer in LAYERS:
            item = content.item(f"mapping_tool.layer.{layer}")
            layers[normalise_heading(item.title or item.text)] = layer
        return cls(needs, layers)


def _needs(name: str, number: int, text: str, lookups: _Lookups
           ) -> tuple[list[str], list[InputFileError]]:
    """The needs ticked in a ``helps_with`` cell, and a problem per unknown one."""
    ticked: list[str] = []
    problems = []
    for part in re.split(r"[;,/\n]+", text):
        if not part.strip():
            continue
        need = lookups.needs.get(normalise_heading(part))
        if need is None:
            close = difflib.get_close_matches(normalise_heading(part), list(lookups.needs),
                                              n=1, cutoff=0.6)
            hint = f"did you mean {lookups.needs[close[0]]!r}? " if close else ""
            problems.append(InputFileError(
                "is not one of the needs partnerkit knows", file=name, row=number,
                column="helps_with", value=part.strip(),
                fix=f"{hint}use one or more of: {', '.join(NEEDS)}, separated by ';'"))
        elif need not in ticked:
            ticked.append(need)
    return ticked, problems


def _parse_row(name: str, number: int, cells: dict[str, str], lookups: _Lookups
               ) -> tuple[dict[str, Any], list[InputFileError]]:
    """Turn one row's cells into record values; collect a problem per bad cell."""
    values: dict[str, Any] = {c: cells.get(c, "") for c in COLUMNS if c != "helps_with"}
    values["helps_with"], problems = _needs(name, number, cells.get("helps_with", ""),
                                            lookups)
    if cells.get("layer", "").strip():
        values["layer"] = lookups.layers.get(normalise_heading(cells["layer"]))
        if values["layer"] is None:
            problems.append(InputFileError(
                "is not a layer of the map", file=name, row=number, column="layer",
                value=cells["layer"],
                fix="use one of: " + ", ".join(LAYERS) + " (or leave it blank)"))
    if "takes_referrals" in cells:
        answer = cells["takes_referrals"].strip().lower()
        if answer in YES | NO:
            values["takes_referrals"] = answer in YES
        else:
            problems.append(InputFileError(
                "is not yes or no", file=name, row=number, column="takes_referrals",
                value=cells["takes_referrals"], fix="write yes or no (or leave it blank)"))
    return values, problems


def _entry(name: str, number: int, cells: dict[str, str], lookups: _Lookups
           ) -> tuple[DirectoryEntry | None, list[InputFileError]]:
    """One row as a checked entry, or ``None`` and the row's problems."""
    values, problems = _parse_row(name, number, cells, lookups)
    if not values["organisation"]:
        return None, [*problems, InputFileError(
            "the organisation is empty", file=name, row=number, column="organisation",
            value="", fix="give every row an organisation name")]
    if problems:
        return None, problems
    try:
        return validate_record(DirectoryEntry, values), []
    except RecordValidationError as exc:
        return None, [InputFileError(message, file=name, row=number, column=column,
                                     value=values.get(column), fix="shorten or correct the value")
                      for column, message in exc.field_errors.items()]


def _empty_row(name: str, number: int) -> InputFileError:
    return InputFileError("the row is empty", file=name, row=number,
                          fix="delete the empty row or fill it in")


def _records(name: str, source: Any) -> tuple[list[tuple[int, dict[str, str]]],
                                              list[tuple[int, InputFileError]]]:
    """Each record's cells by row, and the rows that are empty or have the wrong length."""
    raw, rows = read_text(source)
    # the spreadsheet guard is a quote in CSV cells only (XLSX cells hold the value itself)
    guard = unquote if source.kind == "csv" else str
    records = [(int(number), {c: guard(str(raw[c].iloc[k]).strip()) for c in raw.columns})
               for k, number in enumerate(rows)]
    problems = []
    for row, text, expected, actual in source.invalid_rows or ():
        if not text.replace(source.delimiter, "").strip():
            problems.append((row, _empty_row(name, row)))
        else:
            problems.append((row, InputFileError(
                f"the row has {actual} cells but the headings have {expected}", file=name,
                row=row, value=text, fix="check for a missing or extra separator in this row")))
    return records, problems


def read_directory(source: str | os.PathLike[str] | bytes, *, name: str | None = None,
                   content: Content | None = None) -> DirectoryFile:
    """Read and check a whole directory file (CSV or XLSX); store nothing.

    ``source`` is a path or an upload's bytes; ``name`` the file's name for messages
    (default: the path's name). Empty rows at the end are ignored. Raises
    :class:`InputFileError` naming the file, row, column and value of the first problem;
    ``problems`` lists every problem found (up to :data:`MAX_PROBLEMS`).
    """
    opened = open_source(source, WANTED, name=name, whole=True)
    name = opened.file
    lookups = _Lookups.of(content or load_content())
    records, problems = _records(name, opened)
    entries: list[DirectoryEntry] = []
    first_row_of: dict[str, int] = {}
    for number, cells in records:
        if not any(cells.values()):
            problems.append((number, _empty_row(name, number)))
            continue
        entry, row_problems = _entry(name, number, cells, lookups)
        problems += [(number, p) for p in row_problems]
        if entry is None:
            continue
        key = entry.record_key()
        if key in first_row_of:
            problems.append((number, InputFileError(
                f"the organisation is listed twice (first in row {first_row_of[key]})",
                file=name, row=number, column="organisation", value=entry.organisation,
                fix="merge the two rows into one")))
            continue
        first_row_of[key] = number
        entries.append(entry)
    _refuse_if_any(name, opened.header_row, records, problems, bool(entries))
    return DirectoryFile(file=name, entries=entries, ignored_columns=opened.unused)


def _refuse_if_any(name: str, header_row: int, records: list[tuple[int, dict[str, str]]],
                   problems: list[tuple[int, InputFileError]], any_entry: bool) -> None:
    """Raise every problem by row (empty rows at the end are not problems)."""
    last = max([n for n, cells in records if any(cells.values())], default=0)
    found = [p for n, p in sorted(problems, key=lambda t: t[0])
             if n < last or p.message != "the row is empty"]
    if not any_entry and not found:
        raise InputFileError("the file has headings but no rows of data", file=name,
                             row=header_row + 1, column="organisation", value="",
                             fix="add one row per organisation under the headings")
    if found:
        raise_problems(found[:MAX_PROBLEMS], name)


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
