"""Opening a database: which one, an owner-only SQLite file, and refusing a damaged file.

An existing SQLite file is checked before anything opens it for writing, by reading it
only (its first bytes, then a read-only connection): an empty (0-byte) file, one of zero
bytes, one that is not a SQLite database, is cut short, fails SQLite's quick check or is
another program's database is refused with :class:`StoreCorruptError`, one message
naming the file, what is wrong and the fix, and left byte for byte as it was. A missing
file is a new store: built owner-only (0600) beside its name and linked into place only
when complete, so a 0-byte ``partnerkit.sqlite`` is always damage (SQLite itself would
take it as a new database), never a store being made. Writers queue rather than fail:
SQLite takes its write lock at the start of each write transaction (``BEGIN
IMMEDIATE``) and waits up to a minute for it; PostgreSQL locks rows.

A file this process already has open is not read again by those checks: closing any
handle on a SQLite file drops every lock the process holds on it (POSIX locks belong
to the process, not the handle), so a second store opened beside a first would let
another process take the file for unused and remove its write-ahead log, and the first
store's next saves would be lost. :func:`hold_sqlite_file` checks, creates and counts.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from partnerkit import paths
from partnerkit.errors import StoreCorruptError, StoreError
from partnerkit.store import keyed

STORE_FILENAME = "partnerkit.sqlite"
URL_ENV = "PARTNERKIT_DATABASE_URL"
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_BYTES = 100
FOREIGN_MAGIC = ((b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF document"),
                 (b"PK\x03\x04", "a ZIP file or a Word or Excel document"),
                 (b"\xd0\xcf\x11\xe0", "an old Word or Excel document"),
                 (b"\xff\xd8\xff", "a JPEG image"))
"""The first bytes of files most often saved by mistake under the store's name."""
BUSY_TIMEOUT_MS = 60_000
IDLE_PING_S = 10.0
"""A pooled PostgreSQL connection idle this long is checked before use."""
WRITE_OPTION = "partnerkit_write"
"""Execution option that makes a SQLite transaction take the write lock at its start."""

FROM_ENV = object()
"""The default key of :func:`check_sqlite_file`: ``$PARTNERKIT_STORE_KEY``."""

RESTORE_FIX = "restore it from a backup, or move it aside to start a new store"

_HELD: dict[tuple[int, int], int] = {}
"""Store files this process has open (device and inode), with how many stores hold each."""
_HELD_LOCK = threading.Lock()


def hold_sqlite_file(path: Path, build: Callable[[Engine], None]) -> tuple[int, int]:
    """Check (or create) a store file, and count it as open in this process until released.

    The file is checked (see :func:`check_sqlite_file`) only when no store in this
    process has it open: the check reads the file through a handle of its own, and
    closing that handle would drop the locks SQLite holds for the open stores (see the
    module doc). A missing file is created with ``build`` (see :func:`create_sqlite_file`).
    Returns the file's identity, to give to :func:`release_sqlite_file` on closing.
    """
    with _HELD_LOCK:
        if _identity(path) not in _HELD:
            check_sqlite_file(path)
            if not path.exists():
                create_sqlite_file(path, build)
        paths.private_file(path)
        identity = _identity(path)
        assert identity is not None, f"{path} was made, so it exists"
        _HELD[identity] = _HELD.get(identity, 0) + 1
    return identity


def release_sqlite_file(identity: tuple[int, int]) -> None:
    """A store opened with :func:`hold_sqlite_file` has closed its connections."""
    with _HELD_LOCK:
        left = _HELD.get(identity, 0) - 1
        if left > 0:
            _HELD[identity] = left
        else:
            _HELD.pop(identity, None)


def held_here(path: Path) -> bool:
    """Whether a store in this process has the file open (see :func:`hold_sqlite_file`)."""
    with _HELD_LOCK:
        return _identity(path) in _HELD


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode, or None when there is no such file."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


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


def check_sqlite_file(path: Path, key: Any = FROM_ENV) -> None:
    """Refuse a damaged, foreign or locked store file, reading it only; a missing file passes.

    Refused, each with :class:`StoreCorruptError` naming the file, what is wrong and the
    fix, and left byte for byte as it was: an empty (0-byte) file, one of only zero
    bytes, one that is not a SQLite database, one cut short or failing SQLite's quick
    check, a SQLite database without partnerkit's tables, and a missing store whose
    write-ahead log is still there. SQLite itself would take the first as a new
    database; a new store is never an empty file here (see :func:`create_sqlite_file`).
    An encrypted store (see :mod:`.keyed`; ``key`` defaults to ``$PARTNERKIT_STORE_KEY``)
    opened without its key, or with a wrong one, and a plain store opened with a key, are
    refused with :class:`~partnerkit.errors.StoreKeyError`, the file untouched.
    """
    key = keyed.store_key() if key is FROM_ENV else key
    wal = Path(f"{path}-wal")
    if _size(wal) and not path.exists():  # the log first: it is made after the store
        raise corrupt(path, f"is missing, but its write-ahead log {wal.name} is still there "
                            "(it may hold the last changes)")
    if not path.exists():
        return
    if path.is_dir():
        raise corrupt(path, "is a folder, not a store file")
    if key is not None and _size(path):
        _check_keyed(path, key)
        return
    try:
        problem = header_problem(path)
    except OSError as exc:
        raise StoreError(f"cannot be read ({exc.strerror})", value=str(path),
                         where=f"store file {path}",
                         fix="check the file's owner and permissions") from None
    if problem is not None:
        _refuse_if_encrypted(path)
        raise corrupt(path, problem)
    content_problem = read_only_check(path)
    if content_problem is not None:
        raise corrupt(path, content_problem)


def _check_keyed(path: Path, key: str) -> None:
    """An encrypted store: it must not be plain SQLite, and must open with ``key``."""
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
            raise keyed.plain_but_keyed(path)
    if read_only_check(path, key) is not None:
        raise keyed.wrong_key(path, keyed=True)


def _refuse_if_encrypted(path: Path) -> None:
    """A file that is not SQLite but looks like an encrypted store: ask for its key."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
    if keyed.looks_encrypted(head, path.stat().st_size):
        raise keyed.wrong_key(path, keyed=False)


def _size(path: Path) -> int:
    """The file's size, 0 when there is no such file."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def corrupt(path: Path, problem: str) -> StoreCorruptError:
    """The one message for a damaged store file: the file, what is wrong, the fix."""
    return StoreCorruptError(f"{problem}; it was left as it is", value=str(path),
                             where=f"store file {path}", fix=RESTORE_FIX)


def header_problem(path: Path) -> str | None:
    """What is wrong with the file's size or first bytes, or None when it starts as SQLite."""
    size = path.stat().st_size
    if size == 0:
        return ("is empty (0 bytes), so it holds no store (a full disk or a failed copy "
                "leaves a file like this)")
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
        zeros = not head.strip(b"\x00") and _only_zeros(handle)
    if zeros:
        return f"holds only zero bytes ({size} bytes), not a store"
    if not head.startswith(SQLITE_HEADER):
        return f"is not a partnerkit store: it is not a SQLite database{_looks_like(head)}"
    page = _page_size(head)
    if size < page or size % page:
        return f"is cut short ({size} bytes, not a whole number of {page}-byte pages)"
    return None


def _only_zeros(handle: Any) -> bool:
    """Whether the rest of an open file holds nothing but zero bytes."""
    while chunk := handle.read(1 << 20):
        if chunk.strip(b"\x00"):
            return False
    return True


def _page_size(head: bytes) -> int:
    """The page size a SQLite header gives (1 stands for 65536), or 512 if it is cut short."""
    if len(head) < 18:
        return 512
    size = int.from_bytes(head[16:18], "big")
    return 65536 if size == 1 else max(size, 512)


def _looks_like(head: bytes) -> str:
    """What a foreign file seems to be, for the message (a PNG, a PDF, a ZIP, text)."""
    for magic, kind in FOREIGN_MAGIC:
        if head.startswith(magic):
            return f" (it looks like {kind})"
    text = head.decode("utf-8", errors="replace")
    if all(ch.isprintable() or ch in "\t\r\n" for ch in text):
        return " (it looks like text)"
    return ""


def read_only_check(path: Path, key: str | None = None) -> str | None:
    """Open the file read-only: what is wrong with its contents, or None for a store.

    SQLite's quick check must pass and the file must hold partnerkit's ``meta`` table
    with a schema version (every release writes one). A refused file keeps no
    ``-wal``/``-shm`` file this check made beside it.
    """
    sidecars = [Path(f"{path}{end}") for end in ("-wal", "-shm")]
    made = [s for s in sidecars if not s.exists()]
    problem = None
    module = keyed.dbapi(key)
    try:
        with closing(keyed.connect(f"file:{quote(str(path))}?mode=ro", key, uri=True,
                                   timeout=BUSY_TIMEOUT_MS / 1000)) as conn:
            problem = _contents_problem(conn)
    except module.DatabaseError as exc:
        problem = f"is damaged and cannot be read ({str(exc).strip()})"
    if problem is not None:
        for sidecar in made:
            sidecar.unlink(missing_ok=True)
    return problem


def _contents_problem(conn: sqlite3.Connection) -> str | None:
    """SQLite's quick check, then partnerkit's tables: what is wrong, or None."""
    result = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    if result != ["ok"]:
        return f"is damaged ({'; '.join(result)})"
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    if "meta" in tables and _has_schema_version(conn):
        return None
    if not tables:
        return "is a SQLite database with no tables, not a partnerkit store"
    shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
    return f"is a SQLite database but not a partnerkit store (its tables: {shown})"


def _has_schema_version(conn: sqlite3.Connection) -> bool:
    """Whether the ``meta`` table is partnerkit's: it holds the schema version."""
    try:
        return conn.execute("SELECT 1 FROM meta WHERE key = 'schema_version'").fetchone() \
            is not None
    except sqlite3.OperationalError:  # another program's table called meta
        return False


def create_sqlite_file(path: Path, build: Callable[[Engine], None]) -> None:
    """Make a new store file whole or not at all: built beside it, then linked into place.

    ``build`` makes the schema through the engine it is given. The file appears under
    its name only when complete, so an empty or half-made file is never a new store, and
    processes opening a new store at once all end with the same one (the first to link
    it wins; the others' copies are removed).
    """
    temp = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    leftovers = [temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")]
    try:
        paths.private_file(temp)
        engine = make_engine(sa.make_url(f"sqlite:///{temp}"))
        try:
            build(engine)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            engine.dispose()
        _link_new(temp, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def make_engine(url: sa.URL) -> Engine:
    """An engine for a SQLite file or a PostgreSQL URL; any other database is refused."""
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1,
                                  max_overflow=4, **_sqlite_driver(url))
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        engine = sa.create_engine(url, pool_size=2, max_overflow=4)
        _ping_when_idle(engine)
        return engine
    raise StoreError("is not a supported database", value=url.render_as_string(),
                     where="store URL", fix="use a SQLite file or a postgresql:// URL")


def _sqlite_driver(url: sa.URL) -> dict[str, Any]:
    """How to connect: plain sqlite3, or SQLCipher keyed before anything else runs."""
    key, path = keyed.store_key(), sqlite_path(url)
    if key is None or path is None:
        return {"connect_args": {"check_same_thread": False}}
    return {"module": keyed.dbapi(key),
            "creator": lambda: keyed.connect(path, key, check_same_thread=False)}


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
        return corrupt(path, f"is damaged and cannot be read ({text.strip()})")
    return StoreError(f"cannot be opened ({text.strip().splitlines()[0]})",
                      value=url.render_as_string(), where="store",
                      fix="check the data folder or database URL")


def _link_new(temp: Path, path: Path) -> None:
    """Give the finished file the store's name, unless another process gave it one first."""
    try:
        os.link(temp, path)
    except FileExistsError:
        pass  # another process made the store first; it is as new as this one
    except OSError:  # a file system without hard links: a rename, if the name is still free
        if not path.exists():
            os.replace(temp, path)
