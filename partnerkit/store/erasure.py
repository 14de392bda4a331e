"""Erasure: a pupil's records, their whole history and real name removed so the bytes are gone.

A deletion (:meth:`Store.delete`) keeps the history; an erasure removes the record's
rows and every history row of it, in one transaction, and then scrubs the database:

* SQLite: the rows are deleted with ``PRAGMA secure_delete = ON`` (SQLite overwrites
  the freed space with zeros), the write-ahead log is checkpointed and truncated, and
  ``VACUUM`` rebuilds the file, so the deleted text is in neither the file nor its log;
* PostgreSQL: the rows are deleted and the tables vacuumed (the space is marked free
  and reused; the server's own write-ahead log and backups are the operator's).

The audit trail is not touched (it is append-only): whoever erases writes an audit
entry of their own, saying that an erasure happened, by whom and why.
The store knows no record type: the caller says which kinds are a pupil's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from partnerkit.store.tables import history_table, pupil_names_table, records_table

if TYPE_CHECKING:
    from partnerkit.store.store import Store

Address = tuple[str, str]
"""A record within a workspace: (kind, key)."""


@dataclass(frozen=True)
class Erased:
    """What an erasure removed: records, history entries, and whether a real name went."""

    records: int
    history: int
    real_name: bool


def _under(table: sa.Table, pupil: str) -> sa.ColumnElement[bool]:
    """Keys filed under a pupil: the reference itself, or ``<reference>/...``."""
    return sa.or_(table.c.key == pupil, table.c.key.startswith(f"{pupil}/", autoescape=True))


def pupil_addresses(store: Store, workspace: str, pupil: str,
                    kinds: Iterable[str]) -> list[Address]:
    """Every (kind, key) of ``kinds`` filed under ``pupil``, current, deleted or only in history."""
    kinds = sorted(set(kinds))
    found: set[Address] = set()
    with store.engine.connect() as conn:
        for table in (records_table, history_table):
            query = sa.select(table.c.kind, table.c.key).distinct().where(
                table.c.workspace == workspace, table.c.kind.in_(kinds), _under(table, pupil))
            found.update((row.kind, row.key) for row in conn.execute(query))
    return sorted(found)


def history_count(store: Store, workspace: str, addresses: Iterable[Address]) -> int:
    """How many history entries the records at ``addresses`` have."""
    total = 0
    with store.engine.connect() as conn:
        for kind, key in addresses:
            total += int(conn.execute(sa.select(sa.func.count()).select_from(history_table)
                                      .where(*_at(history_table, workspace, kind, key)))
                         .scalar() or 0)
    return total


def _at(table: sa.Table, workspace: str, kind: str, key: str) -> tuple[sa.ColumnElement[bool], ...]:
    return table.c.workspace == workspace, table.c.kind == kind, table.c.key == key


def erase(store: Store, workspace: str, addresses: Iterable[Address], *,
          name_of: str | None = None) -> Erased:
    """Remove the records at ``addresses`` and all their history (and ``name_of``'s real name).

    One transaction; then the database is scrubbed (:func:`scrub`), so the text is gone
    from the file, not only from the tables.
    """
    chosen = list(addresses)

    def work(conn: Connection) -> Erased:
        _secure_delete(conn, True)
        records = history = 0
        for kind, key in chosen:
            history += conn.execute(sa.delete(history_table).where(
                *_at(history_table, workspace, kind, key))).rowcount
            records += conn.execute(sa.delete(records_table).where(
                *_at(records_table, workspace, kind, key))).rowcount
        named = False
        if name_of is not None:
            named = bool(conn.execute(sa.delete(pupil_names_table).where(
                pupil_names_table.c.workspace == workspace,
                pupil_names_table.c.pupil == name_of)).rowcount)
        _secure_delete(conn, False)
        return Erased(records, history, named)

    erased = store._run(work)
    scrub(store)
    return erased


def _secure_delete(conn: Connection, on: bool) -> None:
    """On SQLite, have deleted content overwritten with zeros (this connection only)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")


def scrub(store: Store) -> None:
    """Rewrite the database so deleted text is gone: SQLite ``VACUUM``; PostgreSQL ``VACUUM``."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM records, history, pupil_names")
        return
    with store._turn():
        raw = store.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA secure_delete = OFF")
            cursor.close()
        finally:
            raw.close()
