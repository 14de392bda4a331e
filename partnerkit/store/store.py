"""The Store: save, get, list, delete and read the history of records, and real names apart.

A record is a JSON document addressed by (workspace, kind, key). Every save is one
transaction that writes the record and a history row (who, when, before, after), so
nothing typed is lost and a record can be read as it was at any moment. Several
processes (several Voilà kernels) can save at once: on SQLite they queue for their turn
(:class:`WriteQueue`) and take the write lock at the start of each transaction; on
PostgreSQL each locks its row, and a serialization failure, deadlock or dropped
connection runs the transaction again. The later save is current; both are in the
history. ``benchmarks/store_saves.py`` measures saves with a room writing at once. The
store knows no record type: a record's kind and key are strings given by the caller.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from partnerkit.errors import RecordExistsError, StoreError
from partnerkit.store import engine as opening
from partnerkit.store import history as changes
from partnerkit.store import migrate
from partnerkit.store.accounts import AccountRows
from partnerkit.store.rows import (
    Change,
    Clock,
    StoredRecord,
    dump,
    parse_stamp,
    stamp,
    stored_record,
    utc_now,
)
from partnerkit.store.tables import pupil_names_table, records_table, workspaces_table

SAVE_ATTEMPTS = 6
"""A lost race (the same new record inserted at once, a PostgreSQL serialization failure or
deadlock, a connection the server dropped) is retried this many times."""

RETRY_STATES = {"40001", "40P01"}
"""PostgreSQL's serialization failure and deadlock: the transaction may simply run again."""

QUEUE_SUFFIX = "-lock"
"""The file beside a SQLite store on which its writers queue (``partnerkit.sqlite-lock``)."""


class WriteQueue:
    """Writers to one SQLite file take turns on an OS lock (``flock``) on a file beside it.

    SQLite's own wait for its write lock polls, sleeping up to 100 ms between tries, so
    with a room saving at once a save could lose the race again and again (seconds); a
    writer blocked on ``flock`` is woken as soon as the lock is free. SQLite's lock
    (``BEGIN IMMEDIATE`` with its busy timeout) still guards the file: the queue only
    orders the waiting. The kernel drops the lock with the process, so a killed writer
    never holds it; a writer that waits longer than the busy timeout (the holder frozen)
    goes on to SQLite's own wait, which then fails with a message, as without the queue.
    """

    def __init__(self, database: Path, timeout: float) -> None:
        self.path = database.with_name(database.name + QUEUE_SUFFIX)
        self.timeout = timeout

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the turn for one write transaction (run the transaction inside)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:  # a read-only folder: SQLite's lock alone decides
            yield
            return
        try:
            _take(fd, self.timeout)
            yield
        finally:
            os.close(fd)  # closing the file releases the lock


def _take(fd: int, timeout: float) -> bool:
    """Lock ``fd`` (exclusive); wait in a thread so the wait can end after ``timeout``."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    taken = threading.Event()

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)  # if given up, released when the file closes
        taken.set()

    threading.Thread(target=wait, name="partnerkit-write-queue", daemon=True).start()
    return taken.wait(timeout)


class Store(AccountRows):
    """The one interface to stored records, over SQLite or PostgreSQL.

    Opening a store checks it (a damaged SQLite file is refused and left as it is) and
    brings its schema to this release's revision (see :mod:`partnerkit.store.migrate`).

    Args:
        url: a SQLAlchemy URL; ``None`` uses ``$PARTNERKIT_DATABASE_URL`` or the SQLite
            file in the data folder.
        data: the data folder for the SQLite file (see :func:`partnerkit.paths.data_dir`).
        clock: a function returning the current time (tests pass a settable clock).
    """

    def __init__(self, url: str | None = None, *, data: str | os.PathLike[str] | None = None,
                 clock: Clock | None = None) -> None:
        self.url = sa.make_url(opening.resolve_url(url, data))
        self.clock: Clock = clock or utc_now
        self.path = opening.sqlite_path(self.url)
        self._held = (opening.hold_sqlite_file(self.path, self._make_schema)
                      if self.path is not None else None)
        self.engine = opening.make_engine(self.url)
        self._writer = self.engine.execution_options(**{opening.WRITE_OPTION: True})
        self._queue = (WriteQueue(self.path, opening.BUSY_TIMEOUT_MS / 1000)
                       if self.path is not None else None)
        try:
            self._prepare_schema()
        except Exception:
            self.close()  # a refused store keeps no pooled connection (or -wal) open
            raise

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()
        held, self._held = self._held, None
        if held is not None:
            opening.release_sqlite_file(held)

    def _describe(self) -> str:
        return opening.describe(self.url, self.path)

    def _prepare_schema(self) -> None:
        try:
            migrate.prepare(self.engine, self.path, self._describe())
        except (DBAPIError, OperationalError) as exc:
            raise opening.open_error(exc, self.url, self.path) from None

    def _make_schema(self, engine: sa.Engine) -> None:
        """Build a new SQLite store's schema (on the file made beside the store's name)."""
        migrate.prepare(engine, None, self._describe())

    def schema_version(self) -> int:
        """The schema version of the open store (the number of its Alembic revision)."""
        with self.engine.connect() as conn:
            return migrate.legacy_version(conn) or 0

    def revision(self) -> str | None:
        """The Alembic revision the open store is stamped with."""
        with self.engine.connect() as conn:
            return migrate.stamped_revision(conn)

    # ------------------------------------------------------------ transactions

    def _run(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` in one transaction, retrying a lost race; wrap DB errors."""
        for attempt in range(SAVE_ATTEMPTS):
            try:
                with self._turn(), self._writer.begin() as conn:
                    return work(conn)
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS - 1:
                    raise
            except OperationalError as exc:
                if attempt == SAVE_ATTEMPTS - 1 or not _may_retry(exc):
                    raise StoreError(f"could not save ({str(exc.orig).strip()})",
                                     where=self._describe(),
                                     fix="try again; if it persists check the disk and the "
                                         "data folder") from None
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # apart, not in step
        raise AssertionError("unreachable")

    def _turn(self) -> Any:
        """A turn to write (SQLite's queue); PostgreSQL locks rows, so it needs none."""
        return self._queue.turn() if self._queue is not None else _no_queue()

    # ------------------------------------------------------------- workspaces

    def ensure_workspace(self, workspace: str, name: str | None = None,
                         author: str = "partnerkit") -> None:
        """Create a workspace (a school or a training cohort) if it does not exist."""
        def work(conn: Connection) -> None:
            exists = conn.execute(sa.select(workspaces_table.c.id)
                                  .where(workspaces_table.c.id == workspace)).first()
            if exists is None:
                conn.execute(sa.insert(workspaces_table).values(
                    id=workspace, name=name or workspace, created_at=stamp(self.clock()),
                    created_by=author))
        self._run(work)

    def workspaces(self) -> dict[str, str]:
        """Map every workspace id to its name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(workspaces_table.c.id, workspaces_table.c.name)
                                .order_by(workspaces_table.c.id)).all()
        return {row.id: row.name for row in rows}

    # ----------------------------------------------------------------- records

    def save(self, workspace: str, kind: str, key: str, data: dict[str, Any], author: str,
             *, coalesce: timedelta | None = None, only_if_new: bool = False,
             audit: dict[str, Any] | None = None) -> StoredRecord:
        """Save a record in one transaction and add its change to the history.

        With ``only_if_new`` the save is refused (:class:`RecordExistsError`) when the
        record already exists, checked inside the transaction, so of two processes
        writing the same new record at once exactly one succeeds. With ``coalesce``, a
        save by the same author within that time of their previous save to the same
        record amends that history entry (its ``before`` stays), so a form saving as
        someone types keeps one entry per sitting, not per keystroke. An ``audit`` entry
        (:meth:`audit_entry`) is chained onto the audit trail in the same transaction:
        the record and its audit entry are both kept, or neither.
        """
        _require_author(author)
        payload = dump(data)
        now = stamp(self.clock())
        address = (workspace, kind, key)

        def work(conn: Connection) -> StoredRecord:
            current = _locked_row(conn, address)
            if only_if_new and current is not None and not current.deleted:
                raise RecordExistsError("was saved already and cannot be saved again",
                                        value=key, where=f"{kind} record",
                                        fix="it stands as it was first saved")
            before = None if current is None or current.deleted else current.data
            version = 1 if current is None else current.version + 1
            if current is None:
                write: changes.RecordWrite = sa.insert(records_table).values(
                    workspace=workspace, kind=kind, key=key, author=author, data=payload,
                    version=version, created_at=now, updated_at=now, updated_by=author,
                    deleted=False)
            else:
                write = sa.update(records_table).where(*_address(address)).values(
                    data=payload, version=version, updated_at=now, updated_by=author,
                    deleted=False)
            op = "create" if before is None else "update"
            previous = None if before is None else (current.updated_by, current.updated_at)
            changes.log_change(conn, address, version, op, author, now, before, payload,
                               coalesce, previous, record_write=write)
            if audit is not None:
                self._append_audit(conn, audit)
            created = now if current is None else current.created_at
            owner = author if current is None else current.author
            return StoredRecord(workspace, kind, key, json.loads(payload), owner, version,
                                parse_stamp(created), parse_stamp(now), author)

        return self._run(work)

    def delete(self, workspace: str, kind: str, key: str, author: str,
               audit: dict[str, Any] | None = None) -> bool:
        """Mark a record deleted (its history keeps every version); False if absent.

        An ``audit`` entry is chained in the same transaction, as in :meth:`save`.
        """
        _require_author(author)
        now = stamp(self.clock())
        address = (workspace, kind, key)

        def work(conn: Connection) -> bool:
            current = _locked_row(conn, address)
            if current is None or current.deleted:
                return False
            version = current.version + 1
            write = sa.update(records_table).where(*_address(address)).values(
                version=version, updated_at=now, updated_by=author, deleted=True)
            changes.log_change(conn, address, version, "delete", author, now, current.data,
                               None, record_write=write)
            if audit is not None:
                self._append_audit(conn, audit)
            return True

        return self._run(work)

    def get(self, workspace: str, kind: str, key: str,
            as_of: datetime | None = None) -> StoredRecord | None:
        """Return the record now, or as it was at ``as_of``; None if it did not exist then."""
        if as_of is not None:
            return changes.as_of(self.history(workspace, kind, key), as_of)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(records_table)
                               .where(*_address((workspace, kind, key)))).first()
        if row is None or row.deleted:
            return None
        return stored_record(row)

    def list(self, workspace: str, kind: str, *, prefix: str | None = None,
             author: str | None = None) -> list[StoredRecord]:
        """Return the current records of one kind, optionally by key prefix or owner."""
        query = sa.select(records_table).where(
            records_table.c.workspace == workspace, records_table.c.kind == kind,
            records_table.c.deleted.is_(False))
        if prefix is not None:
            query = query.where(records_table.c.key.startswith(prefix, autoescape=True))
        if author is not None:
            query = query.where(records_table.c.author == author)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(records_table.c.created_at,
                                               records_table.c.key)).all()
        return [stored_record(row) for row in rows]

    # ----------------------------------------------------------------- history

    def history(self, workspace: str, kind: str, key: str) -> list[Change]:
        """Every change to one record, oldest first."""
        with self.engine.connect() as conn:
            return changes.changes_of(conn, workspace, kind, key)

    def count_history(self, workspace: str | None = None) -> int:
        """How many changes the history holds (for one workspace, or all)."""
        with self.engine.connect() as conn:
            return changes.count_changes(conn, workspace)

    def change_counts(self, workspace: str, *, names: bool = False
                      ) -> list[tuple[str, str, int]]:
        """For each record key of a workspace: (key, latest change, number of changes).

        With ``names``, each pupil's real name counts as one more key, ``<pupil>/~name``,
        so a report that prints names knows when a name changed.
        """
        with self.engine.connect() as conn:
            return changes.change_counts(conn, workspace, names=names)

    def state(self, workspace: str) -> str:
        """A marker that changes whenever anything in ``workspace`` changes (for caches)."""
        with self.engine.connect() as conn:
            return changes.state_of(conn, workspace)

    # -------------------------------------------------------------- real names

    def set_real_name(self, workspace: str, pupil: str, real_name: str | None,
                      author: str) -> None:
        """Keep a pupil's real name apart from their records; None or blank removes it."""
        _require_author(author)
        now = stamp(self.clock())

        def work(conn: Connection) -> None:
            conn.execute(sa.delete(pupil_names_table).where(
                pupil_names_table.c.workspace == workspace, pupil_names_table.c.pupil == pupil))
            if real_name and real_name.strip():
                conn.execute(sa.insert(pupil_names_table).values(
                    workspace=workspace, pupil=pupil, real_name=real_name.strip(),
                    updated_at=now, updated_by=author))

        self._run(work)

    def real_name(self, workspace: str, pupil: str) -> str | None:
        """A pupil's real name if one was given; only call this when a name was asked for."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(pupil_names_table.c.real_name).where(
                pupil_names_table.c.workspace == workspace,
                pupil_names_table.c.pupil == pupil)).scalar()


def _address(address: tuple[str, str, str]) -> tuple[sa.ColumnElement[bool], ...]:
    workspace, kind, key = address
    return (records_table.c.workspace == workspace, records_table.c.kind == kind,
            records_table.c.key == key)


def _locked_row(conn: Connection, address: tuple[str, str, str]) -> Any:
    """The record's row, locked for this transaction on PostgreSQL (SQLite holds the file)."""
    query = sa.select(records_table).where(*_address(address))
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


@contextmanager
def _no_queue() -> Iterator[None]:
    yield


def _may_retry(exc: OperationalError) -> bool:
    """A serialization failure, a deadlock or a dropped connection: run it again."""
    state = getattr(exc.orig, "sqlstate", None)
    return exc.connection_invalidated or state in RETRY_STATES


def _require_author(author: str) -> None:
    if not author or not str(author).strip():
        raise StoreError("no author given for a save", value=author, where="store",
                         fix="say who is entering the answers (the practitioner's name)")


def open_store(data: str | os.PathLike[str] | None = None, url: str | None = None,
               clock: Clock | None = None) -> Store:
    """Open the store for a data folder (or URL): the one call workbooks and the CLI make."""
    return Store(url, data=data, clock=clock)
