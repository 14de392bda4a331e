"""A class list in: a training cohort's or a school staff's accounts from one CSV or XLSX file.

The file has the columns username, name, email, role and workspace (organisation is
optional: the partner organisation a person speaks for), with headings matched by the
one heading matcher (:mod:`partnerkit.tables`). :func:`read_class_list` checks the whole
file before anything is stored: a bad username, a username twice in the file or already
another person's in the store, an unknown role or workspace, a bad email or an empty name
refuses the WHOLE file with one :class:`~partnerkit.errors.InputFileError` whose
``problems`` list every problem with its row. :func:`import_class_list` then adds the
accounts: each new one gets a one-time sign-in code (kept as its password, to be changed at
first sign-in), and the codes go to an owner-only CSV file for the trainer to hand out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnerkit import accounts
from partnerkit.access import ROLES
from partnerkit.admin.codes import write_codes
from partnerkit.errors import AccountError, InputFileError
from partnerkit.tables import HeadingMatcher, Wanted, open_source, read_text
from partnerkit.tables import unquote as csv_unquote

if TYPE_CHECKING:
    from partnerkit.store import Store

COLUMNS: tuple[str, ...] = ("username", "name", "email", "role", "workspace")
"""The columns a class list must have."""
OPTIONAL_COLUMNS: tuple[str, ...] = ("organisation",)

HEADINGS: dict[str, tuple[str, ...]] = {
    "username": ("user name", "user", "login", "user id", "account"),
    "name": ("full name", "person", "participant", "display name", "staff name"),
    "email": ("e-mail", "email address", "e-mail address", "mail"),
    "role": ("role in workspace", "account role", "access"),
    "workspace": ("school", "cohort", "training cohort", "workspace name"),
    "organisation": ("organization", "partner organisation", "partner organization",
                     "partner", "speaks for"),
}
"""Other headings accepted for each column (compared without case, spaces or punctuation)."""

LABELS: dict[str, str] = {
    "username": "the username they sign in with", "name": "the person's full name",
    "email": "their email address", "role": "their role", "workspace": "the workspace",
    "organisation": "the partner organisation they speak for"}

MATCHER = HeadingMatcher(
    LABELS, HEADINGS, kind="class list column",
    fix_missing="the heading row must hold: " + ", ".join(COLUMNS) + " (optional: "
                + ", ".join(OPTIONAL_COLUMNS) + ")")
WANTED = Wanted(MATCHER, (*COLUMNS, *OPTIONAL_COLUMNS), {"class list": COLUMNS})


@dataclass(frozen=True)
class Person:
    """One checked row: who, their role where, and whether the account is new."""

    row: int
    username: str
    name: str
    email: str | None
    role: str
    workspace: str
    organisation: str | None
    new: bool


@dataclass
class ClassList:
    """A class list read and checked: its people, and the headings it did not use."""

    file: str
    people: list[Person]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did: new accounts (with codes), roles added, people already there."""

    file: str
    added: list[Person]
    joined: list[Person]
    unchanged: list[Person]
    codes: dict[str, str]
    codes_file: Path | None
    ignored_columns: list[str] = field(default_factory=list)


def _problem(error: AccountError, file: str, row: int, column: str, value: Any
             ) -> InputFileError:
    return InputFileError(error.message, file=file, row=row, column=column, value=value,
                          fix=error.fix)


def _check(checks: list[tuple[str, Callable[[str], Any]]], cells: dict[str, str], file: str,
           row: int) -> tuple[dict[str, Any], list[InputFileError]]:
    """Run each column's check; the checked values and a problem per bad cell."""
    values: dict[str, Any] = {}
    problems = []
    for column, check in checks:
        try:
            values[column] = check(cells.get(column, ""))
        except AccountError as exc:
            problems.append(_problem(exc, file, row, column, cells.get(column, "")))
    return values, problems


def _known(workspaces: dict[str, str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        name = accounts.check_workspace_name(value)
        if name not in workspaces:
            raise AccountError("is not a workspace in this store", value=name,
                               where="workspace",
                               fix="use one of: " + (", ".join(workspaces) or "(none)")
                                   + f", or create it first: partnerkit workspaces add "
                                     f"{name} --title \"...\"")
        return name
    return check


def _row_person(store: Store, file: str, row: int, cells: dict[str, str],
                workspaces: dict[str, str]) -> tuple[Person | None, list[InputFileError]]:
    """One row checked against the rules and the store: a Person, or its problems."""
    values, problems = _check([
        ("username", accounts.check_username), ("name", accounts.check_name),
        ("email", accounts.check_email), ("role", accounts.check_role),
        ("workspace", _known(workspaces))], cells, file, row)
    if problems:
        return None, problems
    stored = store.account_row(values["username"])
    if stored is not None and " ".join(stored.name.split()) != values["name"]:
        return None, [InputFileError(
            f"is already the username of {stored.name!r} in this store", file=file, row=row,
            column="username", value=values["username"],
            fix="choose another username for this person (for example with a number "
                "added), or write the name as stored if it is the same person")]
    held = _role_held(store, values["username"], values["workspace"])
    if held is not None and held != values["role"]:
        return None, [InputFileError(
            f"is already {ROLES[held]} in workspace {values['workspace']!r}, but the "
            f"file says {ROLES[values['role']]}", file=file, row=row, column="role",
            value=cells.get("role", ""),
            fix="correct the row, or change the role with partnerkit users add")]
    organisation = " ".join(cells.get("organisation", "").split()) or None
    return Person(row=row, organisation=organisation, new=stored is None, **values), []


def _records(source: Any) -> tuple[list[tuple[int, dict[str, str]]], list[InputFileError]]:
    """Each record's cells by row (blank rows left out), and rows with the wrong length."""
    raw, rows = read_text(source)
    guard = csv_unquote if source.kind == "csv" else str
    records = [(int(number), {c: guard(str(raw[c].iloc[k]).strip()) for c in raw.columns})
               for k, number in enumerate(rows)]
    problems = [InputFileError(f"the row has {actual} cells but the headings have {expected}",
                               file=source.file, row=row, value=text,
                               fix="check for a missing or extra comma in this row")
                for row, text, expected, actual in source.invalid_rows or ()
                if text.replace(source.delimiter, "").strip()]
    return [(n, cells) for n, cells in records if any(cells.values())], problems


def read_class_list(store: Store, source: str | os.PathLike[str] | bytes, *,
                    name: str | None = None) -> ClassList:
    """Read and check a whole class list (CSV or XLSX) against the store; store nothing.

    Raises :class:`InputFileError` when any row is bad: the first problem in its message,
    every problem (by row) in its ``problems``.
    """
    opened = open_source(source, WANTED, name=name, whole=True)
    records, problems = _records(opened)
    workspaces = store.workspaces()
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for row, cells in records:
        person, row_problems = _row_person(store, opened.file, row, cells, workspaces)
        problems += row_problems
        if person is None:
            continue
        if person.username in first_row:
            problems.append(InputFileError(
                f"the username is listed twice (first in row {first_row[person.username]})",
                file=opened.file, row=row, column="username", value=person.username,
                fix="give each person one row and their own username"))
            continue
        first_row[person.username] = row
        people.append(person)
    if problems:
        _refuse(opened.file, problems)
    return ClassList(file=opened.file, people=people, ignored_columns=opened.unused)


def _refuse(file: str, problems: list[InputFileError]) -> None:
    """Refuse the whole file: how many problems in the message, every one in ``problems``."""
    problems = sorted(problems, key=lambda p: p.row or 0)
    rows = sorted({p.row for p in problems if p.row is not None})
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    where = f"row {rows[0]}" if len(rows) == 1 else f"{len(rows)} rows"
    raise InputFileError(f"the class list has {count} in {where}, so nothing was imported",
                         file=file, fix="correct every row listed and import the file again",
                         problems=problems)


def import_class_list(store: Store, source: str | os.PathLike[str] | bytes, *, by: str,
                      codes_file: Path, name: str | None = None) -> ImportResult:
    """Check a class list whole, then add its accounts and roles; codes to ``codes_file``.

    Nothing is stored when any row is bad. A new account gets a one-time code as its
    password, to be changed at first sign-in; an existing account (same username and
    name) gets the role in the workspace if it lacks it. The codes file (username, name,
    code) is written owner-only, and only when some account is new.
    """
    checked = read_class_list(store, source, name=name)
    added, joined, unchanged, codes = [], [], [], {}
    for person in checked.people:
        if not person.new and _has_role(store, person):
            unchanged.append(person)
            continue
        code = accounts.one_time_code() if person.new else None
        accounts.add_user(store, person.username, person.name, person.role, person.workspace,
                          by=by, email=person.email, password=code, must_change=True,
                          organisation=person.organisation)
        if code is not None:
            codes[person.username] = code
        (added if person.new else joined).append(person)
    written = write_codes(codes_file, [(p.username, p.name, codes[p.username])
                                       for p in added]) if added else None
    return ImportResult(file=checked.file, added=added, joined=joined, unchanged=unchanged,
                        codes=codes, codes_file=written,
                        ignored_columns=checked.ignored_columns)


def _role_held(store: Store, username: str, workspace: str) -> str | None:
    """The role an account has in a workspace now, or None."""
    return next((m.role for m in store.memberships(username=username)
                 if m.workspace == workspace), None)


def _has_role(store: Store, person: Person) -> bool:
    return _role_held(store, person.username, person.workspace) == person.role
