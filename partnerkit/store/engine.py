"""Opening a database: which one, an owner-only SQLite file, and refusing a damaged file.

The SQLite file is created owner-only (0600) in an owner-only folder before SQLite opens
it. A file that is not a SQLite database, is truncated or fails SQLite's quick check is
refused with :class:`StoreCorruptError` and left exactly as it was. Writers queue rather
than fail: SQLite takes its write lock at the start of each write transaction
(``BEGIN IMMEDIATE``) and waits up to a minute for it; PostgreSQL locks rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from partnerkit import paths
from partnerkit.errors import StoreCorruptError, StoreError

STORE_FILENAME = "partnerkit.sqlite"
URL_ENV = "PARTNERKIT_DATABASE_URL"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000
IDLE_PING_S = 10.0
"""A pooled PostgreSQL connection idle this long is checked before use."""
WRITE_OPTION = "partnerkit_write"
"""Execution option that makes a SQLite transaction take the write lock at its start."""

RESTORE_FIX = "restore it from a backup, or move it aside to start a new store"


def resolve_url(url: str | None = None, data: str | os.PathLike[str] | None = None) -> str:
    """Pick the database: ``url``, else ``$PARTNERKIT_DATABASE_URL``, else the SQLite file."""
    chosen = url or os.environ.get(URL_ENV)
    if chosen:
        if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
            chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
        return chosen
    return f"sqlite:///{paths.data_dir(data) / STORE_FILENAME}"


def sqlite_path(url: sa.URL) -> Path | None:
    """The file of a SQLite URL, or None for another database or an in-memory one."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, without touching it."""
    if not path.exists():
        return
    size = path.stat().st_size
    if size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER or size < 512:
        raise StoreCorruptError(
            "is not a partnerkit store (not a SQLite database, or truncated); it was left "
            "as it is", value=str(path), where="store file", fix=RESTORE_FIX)


def make_engine(url: sa.URL) -> Engine:
    """An engine for a SQLite file or a PostgreSQL URL; any other database is refused."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1,
                                  max_overflow=4, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        engine = sa.create_engine(url, pool_size=2, max_overflow=4)
        _ping_when_idle(engine)
        return engine
    raise StoreError("is not a supported database", value=url.render_as_string(),
                     where="store URL", fix="use a SQLite file or a postgresql:// URL")


def _configure_sqlite(engine: Engine) -> None:
    """WAL journal, a long busy timeout, and BEGIN IMMEDIATE so writers queue, not fail.

    ``synchronous = NORMAL`` in WAL mode flushes the log to disk at each checkpoint, not
    at each commit. A commit still survives the application crashing or being killed (it
    is in the log, in the system's cache), and the file is never damaged; what NORMAL
    gives up is the last commits before a power cut or a crash of the system itself.
    FULL made every save wait for the disk while holding the write lock, so a room of
    writers waited for each other's disk flushes in turn.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection that sat idle (the server may have closed it) before use.

    A connection used a moment ago is taken as it is: pinging on every checkout
    (``pool_pre_ping``) costs each save one more round trip to the server, which under a
    room of writers is a good part of a save. A save that still meets a dropped
    connection is run again (see ``Store._run``).
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception:  # noqa: BLE001 - any failure means a new connection
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError("the server closed an idle connection")


def describe(url: sa.URL, path: Path | None) -> str:
    """How a message names the store: its file, or its URL without the password."""
    return f"store {path}" if path else f"store {url.render_as_string()}"


def open_error(exc: Exception, url: sa.URL, path: Path | None) -> StoreError:
    """The error to raise when the database cannot be read: damaged file, or cannot open."""
    text = str(getattr(exc, "orig", exc))
    if path is not None and ("not a database" in text or "malformed" in text):
        return StoreCorruptError("is damaged and cannot be read; it was left as it is",
                                 value=str(path), where="store file", fix=RESTORE_FIX)
    return StoreError(f"cannot be opened ({text.strip().splitlines()[0]})",
                      value=url.render_as_string(), where="store",
                      fix="check the data folder or database URL")


def quick_check(engine: Engine, path: Path) -> None:
    """Run SQLite's quick check; a damaged file is refused and left as it is."""
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except DBAPIError as exc:
        raise open_error(exc, engine.url, path) from None
    if result != "ok":
        raise StoreCorruptError(f"is damaged ({result}); it was left as it is",
                                value=str(path), where="store file",
                                fix="restore it from a backup, or move it aside")
