"""The history: one row per change to a record (who, when, the operation, before and after).

Every save and delete writes its history row in the same transaction as the record, so
the history is never behind. A form saving as someone types may ask for coalescing:
a save by the same author within that time of their previous save to the same record
amends that row (its ``before`` stays), giving one entry per sitting, not per keystroke.
Deciding to amend reads nothing more: the record's row says who changed it last and when.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from partnerkit.store.rows import Change, StoredRecord, aware, change, parse_stamp
from partnerkit.store.tables import history_table, pupil_names_table, records_table

RecordWrite = sa.Insert | sa.Update
"""The record's own insert or update, written with its history row."""

NAME_SUFFIX = "/~name"
"""A pupil's real name counts as one more key, ``<pupil>/~name``, in :func:`change_counts`."""


def log_change(conn: Connection, address: tuple[str, str, str], version: int, op: str,
               author: str, now: str, before: str | None, after: str | None,
               coalesce: timedelta | None = None, previous: tuple[str, str] | None = None,
               record_write: RecordWrite | None = None) -> None:
    """Write one change of the record at ``address`` (workspace, kind, key), or amend the last.

    With ``coalesce``, an update by the same author within that time of the record's last
    change amends that change's row: its ``after``, time and version move on. Who made the
    last change and when (``previous``) come from the record's own row, which every change
    moves in the same transaction as its history row, so deciding costs no read of the
    history; the amendment finds the row by the index on (workspace, kind, key, id).

    ``record_write``, the record's own insert or update, is run here too: on PostgreSQL
    inside the history statement (a data-modifying ``WITH``), one round trip to the server
    instead of two; on SQLite, which has no such ``WITH``, just before it.
    """
    pending = record_write
    if pending is not None and conn.dialect.name != "postgresql":
        conn.execute(pending)
        pending = None
    if coalesce is not None and op == "update" and previous is not None:
        last_author, last_at = previous
        if last_author == author and parse_stamp(now) - parse_stamp(last_at) <= coalesce:
            amended = _amend_last(conn, address, version, now, after, pending)
            pending = None  # written, whether or not there was a history row to amend
            if amended:
                return
    workspace, kind, key = address
    conn.execute(_with(sa.insert(history_table).values(
        workspace=workspace, kind=kind, key=key, version=version, op=op, author=author,
        at=now, before=before, after=after), pending))


def _amend_last(conn: Connection, address: tuple[str, str, str], version: int, now: str,
                after: str | None, record_write: RecordWrite | None) -> bool:
    """Move the record's last history row on to ``after``; False if it has no history row."""
    last = sa.select(sa.func.max(history_table.c.id)).where(*_of(*address)).scalar_subquery()
    result = conn.execute(_with(sa.update(history_table).where(history_table.c.id == last)
                                .values(after=after, at=now, version=version), record_write))
    return result.rowcount == 1


def _with(statement: Any, record_write: RecordWrite | None) -> Any:
    """``statement``, carrying the record's write as a ``WITH`` when one is given."""
    return statement if record_write is None else statement.add_cte(
        record_write.cte("record_write"))


def _of(workspace: str, kind: str, key: str) -> tuple[sa.ColumnElement[bool], ...]:
    return (history_table.c.workspace == workspace, history_table.c.kind == kind,
            history_table.c.key == key)


def changes_of(conn: Connection, workspace: str, kind: str, key: str) -> list[Change]:
    """Every change to one record, oldest first."""
    query = sa.select(history_table).where(*_of(workspace, kind, key)) \
        .order_by(history_table.c.id)
    return [change(row) for row in conn.execute(query).all()]


def as_of(changes: list[Change], moment: datetime) -> StoredRecord | None:
    """The record as its history says it was at ``moment``; None if absent or deleted then."""
    before = [c for c in changes if c.at <= aware(moment)]
    if not before or before[-1].after is None:
        return None
    first, last = before[0], before[-1]
    return StoredRecord(last.workspace, last.kind, last.key, last.after, first.author,
                        last.version, first.at, last.at, last.author)


def count_changes(conn: Connection, workspace: str | None = None) -> int:
    """How many changes the history holds (for one workspace, or all)."""
    query = sa.select(sa.func.count()).select_from(history_table)
    if workspace is not None:
        query = query.where(history_table.c.workspace == workspace)
    return int(conn.execute(query).scalar() or 0)


def change_counts(conn: Connection, workspace: str, *, names: bool = False
                  ) -> list[tuple[str, str, int]]:
    """For each record key of a workspace: (key, latest change, number of changes).

    With ``names``, each pupil's real name counts as one more key, ``<pupil>/~name``,
    so a report that prints names knows when a name changed.
    """
    head = sa.func.max(history_table.c.at)
    query = (sa.select(history_table.c.key, head, sa.func.count())
             .where(history_table.c.workspace == workspace)
             .group_by(history_table.c.key))
    rows = [(str(k), str(at), int(n)) for k, at, n in conn.execute(query).all()]
    if names:
        rows += [(f"{pupil}{NAME_SUFFIX}", str(at), 1) for pupil, at in conn.execute(
            sa.select(pupil_names_table.c.pupil, pupil_names_table.c.updated_at)
            .where(pupil_names_table.c.workspace == workspace)).all()]
    return rows


def state_of(conn: Connection, workspace: str) -> str:
    """A marker that differs after any change to a workspace's records or real names.

    Every save or deletion raises a record's version, so the number of records and the
    sum of their versions move with every change (a save folded into the previous
    history row included); real names count by number and latest change.
    """
    records = conn.execute(
        sa.select(sa.func.count(), sa.func.sum(records_table.c.version))
        .where(records_table.c.workspace == workspace)).one()
    names = conn.execute(
        sa.select(sa.func.count(), sa.func.max(pupil_names_table.c.updated_at))
        .where(pupil_names_table.c.workspace == workspace)).one()
    return f"{records[0]}|{records[1]}|{names[0]}|{names[1]}"
