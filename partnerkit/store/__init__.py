"""One Store for everything practitioners enter: a SQLite file by default, PostgreSQL by URL.

A record is a JSON document addressed by (workspace, kind, key). Every save is one
transaction that writes the record and a history row (who, when, before, after), so
nothing typed is lost and a record can be read as it was at any moment. Several
processes (several Voilà kernels) can save at once: SQLite takes its write lock at the
start of each transaction (``BEGIN IMMEDIATE``) and waits for it; PostgreSQL locks the
row. The later save is current; both are in the history.

The schema is versioned in the ``meta`` table and upgraded by :data:`MIGRATIONS`; a
SQLite file is copied aside before an upgrade, and a store written by a newer
partnerkit, or a file that is not a readable database, is refused and left untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from partnerkit import paths
from partnerkit.errors import RecordExistsError, StoreCorruptError, StoreError, StoreTooNewError

SCHEMA_VERSION = 1
STORE_FILENAME = "partnerkit.sqlite"
URL_ENV = "PARTNERKIT_DATABASE_URL"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000

Clock = Callable[[], datetime]

metadata = sa.MetaData()

meta_table = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

workspaces_table = sa.Table(
    "workspaces", metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)

records_table = sa.Table(
    "records", metadata,
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("kind", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(400), primary_key=True),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
)

history_table = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workspace", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("op", sa.String(10), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Index("ix_history_record", "workspace", "kind", "key", "id"),
)

pupil_names_table = sa.Table(
    "pupil_names", metadata,
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("pupil", sa.String(100), primary_key=True),
    sa.Column("real_name", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)


def _migrate_to_1(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_to_1}
"""Schema upgrades: ``MIGRATIONS[n]`` takes a store at version n-1 to version n."""


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored: its address, data, owner and version."""

    workspace: str
    kind: str
    key: str
    data: dict[str, Any]
    author: str
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Change:
    """One entry of a record's history: who changed it, when, and the data before and after."""

    workspace: str
    kind: str
    key: str
    version: int
    op: str
    author: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _dump(data: dict[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(data, sort_keys=True, ensure_ascii=False,
                                                default=str)


def _load(text: str | None) -> dict[str, Any] | None:
    return None if text is None else json.loads(text)


def resolve_url(url: str | None = None, data: str | os.PathLike[str] | None = None) -> str:
    """Pick the database: ``url``, else ``$PARTNERKIT_DATABASE_URL``, else the SQLite file."""
    chosen = url or os.environ.get(URL_ENV)
    if chosen:
        if chosen.startswith("postgresql://") or chosen.startswith("postgres://"):
            chosen = "postgresql+psycopg://" + chosen.split("://", 1)[1]
        return chosen
    return f"sqlite:///{paths.data_dir(data) / STORE_FILENAME}"


def _sqlite_path(url: sa.URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _check_sqlite_file(path: Path) -> None:
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
            "as it is", value=str(path), where="store file",
            fix="restore it from a backup, or move it aside to start a new store")


def _create_private_file(path: Path) -> None:
    """Create the store file owner-only before SQLite opens it; tighten an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)


def _configure_sqlite(engine: Engine) -> None:
    """WAL journal, a long busy timeout, and BEGIN IMMEDIATE so writers queue, not fail."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("partnerkit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class Store:
    """The one interface to stored records, over SQLite or PostgreSQL.

    Args:
        url: a SQLAlchemy URL; ``None`` uses ``$PARTNERKIT_DATABASE_URL`` or the SQLite
            file in the data folder.
        data: the data folder for the SQLite file (see :func:`partnerkit.paths.data_dir`).
        clock: a function returning the current time (tests pass a settable clock).
    """

    def __init__(self, url: str | None = None, *, data: str | os.PathLike[str] | None = None,
                 clock: Clock | None = None) -> None:
        self.url = sa.make_url(resolve_url(url, data))
        self.clock: Clock = clock or utc_now
        self.path = _sqlite_path(self.url)
        if self.path is not None:
            _check_sqlite_file(self.path)
            _create_private_file(self.path)
        self.engine = self._make_engine()
        self._writer = self.engine.execution_options(partnerkit_write=True)
        self._prepare_schema()

    def _make_engine(self) -> Engine:
        if self.url.get_backend_name() == "sqlite":
            engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
            _configure_sqlite(engine)
            return engine
        if self.url.get_backend_name() == "postgresql":
            return sa.create_engine(self.url, pool_pre_ping=True, pool_size=2, max_overflow=4)
        raise StoreError("is not a supported database", value=self.url.render_as_string(),
                         where="store URL", fix="use a SQLite file or a postgresql:// URL")

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # ---------------------------------------------------------------- schema

    def _prepare_schema(self) -> None:
        try:
            version = self._read_version()
        except (DBAPIError, OperationalError) as exc:
            raise self._open_error(exc) from None
        if version > SCHEMA_VERSION:
            raise StoreTooNewError(
                f"was written by a newer partnerkit (schema {version}; this one knows up to "
                f"{SCHEMA_VERSION}); nothing was changed", value=version,
                where=self._describe(), fix="upgrade partnerkit (pip install -U partnerkit)")
        if version < SCHEMA_VERSION:
            self._upgrade(version)
        if self.path is not None:
            self._quick_check()

    def _describe(self) -> str:
        return f"store {self.path}" if self.path else f"store {self.url.render_as_string()}"

    def _open_error(self, exc: Exception) -> StoreError:
        text = str(getattr(exc, "orig", exc))
        if self.path is not None and ("not a database" in text or "malformed" in text):
            return StoreCorruptError(
                "is damaged and cannot be read; it was left as it is", value=str(self.path),
                where="store file",
                fix="restore it from a backup, or move it aside to start a new store")
        return StoreError(f"cannot be opened ({text.strip().splitlines()[0]})",
                          value=self.url.render_as_string(), where="store",
                          fix="check the data folder or database URL")

    def _quick_check(self) -> None:
        try:
            with self.engine.connect() as conn:
                result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        except DBAPIError as exc:
            raise self._open_error(exc) from None
        if result != "ok":
            raise StoreCorruptError(f"is damaged ({result}); it was left as it is",
                                    value=str(self.path), where="store file",
                                    fix="restore it from a backup, or move it aside")

    def _read_version(self) -> int:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("meta"):
                return 0
            value = conn.execute(sa.select(meta_table.c.value)
                                 .where(meta_table.c.key == "schema_version")).scalar()
        return int(value) if value is not None else 0

    def _upgrade(self, version: int) -> None:
        if version > 0 and self.path is not None:
            shutil.copy2(self.path, self.path.with_name(f"{self.path.name}.before-v{version + 1}"))
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._writer.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(424242)")
                current = self._version_in(conn)
                if current >= target:
                    continue
                MIGRATIONS[target](conn)
                self._set_version(conn, target)

    @staticmethod
    def _version_in(conn: Connection) -> int:
        if not sa.inspect(conn).has_table("meta"):
            return 0
        value = conn.execute(sa.select(meta_table.c.value)
                             .where(meta_table.c.key == "schema_version")).scalar()
        return int(value) if value is not None else 0

    @staticmethod
    def _set_version(conn: Connection, version: int) -> None:
        conn.execute(sa.delete(meta_table).where(meta_table.c.key == "schema_version"))
        conn.execute(sa.insert(meta_table).values(key="schema_version", value=str(version)))

    def schema_version(self) -> int:
        """The schema version of the open store."""
        return self._read_version()

    # ------------------------------------------------------------ transactions

    def _run(self, work: Callable[[Connection], Any]) -> Any:
        """Run ``work`` in one transaction, retrying a lost insert race; wrap DB errors."""
        for attempt in range(6):
            try:
                with self._writer.begin() as conn:
                    return work(conn)
            except IntegrityError:
                if attempt == 5:
                    raise
                time.sleep(0.01 * (attempt + 1))
            except OperationalError as exc:
                raise StoreError(f"could not save ({str(exc.orig).strip()})",
                                 where=self._describe(),
                                 fix="try again; if it persists check the disk and the "
                                     "data folder") from None
        raise AssertionError("unreachable")

    # ------------------------------------------------------------- workspaces

    def ensure_workspace(self, workspace: str, name: str | None = None,
                         author: str = "partnerkit") -> None:
        """Create a workspace (a school or a training cohort) if it does not exist."""
        def work(conn: Connection) -> None:
            exists = conn.execute(sa.select(workspaces_table.c.id)
                                  .where(workspaces_table.c.id == workspace)).first()
            if exists is None:
                conn.execute(sa.insert(workspaces_table).values(
                    id=workspace, name=name or workspace, created_at=_stamp(self.clock()),
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
             *, coalesce: timedelta | None = None, only_if_new: bool = False) -> StoredRecord:
        """Save a record in one transaction and add its change to the history.

        With ``only_if_new`` the save is refused (:class:`RecordExistsError`) when the
        record already exists, checked inside the transaction, so of two processes
        writing the same new record at once exactly one succeeds. With ``coalesce``, a
        save by the same author within that time of their previous save to the same
        record amends that history entry (its ``before`` stays), so a
        form saving as someone types keeps one entry per sitting, not per keystroke.
        """
        _require_author(author)
        payload = _dump(data)
        now = _stamp(self.clock())

        def work(conn: Connection) -> StoredRecord:
            current = self._locked_row(conn, workspace, kind, key)
            if only_if_new and current is not None and not current.deleted:
                raise RecordExistsError("was saved already and cannot be saved again",
                                        value=key, where=f"{kind} record",
                                        fix="it stands as it was first saved")
            before = None if current is None or current.deleted else current.data
            version = 1 if current is None else current.version + 1
            if current is None:
                conn.execute(sa.insert(records_table).values(
                    workspace=workspace, kind=kind, key=key, author=author, data=payload,
                    version=version, created_at=now, updated_at=now, updated_by=author,
                    deleted=False))
            else:
                conn.execute(sa.update(records_table).where(
                    *self._address(workspace, kind, key)).values(
                    data=payload, version=version, updated_at=now, updated_by=author,
                    deleted=False))
            op = "create" if before is None else "update"
            self._log(conn, workspace, kind, key, version, op, author, now, before, payload,
                      coalesce)
            created = now if current is None else current.created_at
            owner = author if current is None else current.author
            return StoredRecord(workspace, kind, key, json.loads(payload), owner, version,
                                _parse_stamp(created), _parse_stamp(now), author)

        return self._run(work)

    def delete(self, workspace: str, kind: str, key: str, author: str) -> bool:
        """Mark a record deleted (its history keeps every version); False if absent."""
        _require_author(author)
        now = _stamp(self.clock())

        def work(conn: Connection) -> bool:
            current = self._locked_row(conn, workspace, kind, key)
            if current is None or current.deleted:
                return False
            version = current.version + 1
            conn.execute(sa.update(records_table).where(*self._address(workspace, kind, key))
                         .values(version=version, updated_at=now, updated_by=author,
                                 deleted=True))
            self._log(conn, workspace, kind, key, version, "delete", author, now,
                      current.data, None, None)
            return True

        return self._run(work)

    @staticmethod
    def _address(workspace: str, kind: str, key: str) -> tuple[Any, ...]:
        return (records_table.c.workspace == workspace, records_table.c.kind == kind,
                records_table.c.key == key)

    def _locked_row(self, conn: Connection, workspace: str, kind: str, key: str) -> Any:
        query = sa.select(records_table).where(*self._address(workspace, kind, key))
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return conn.execute(query).first()

    def _log(self, conn: Connection, workspace: str, kind: str, key: str, version: int,
             op: str, author: str, now: str, before: str | None, after: str | None,
             coalesce: timedelta | None) -> None:
        if coalesce is not None and op == "update":
            last = conn.execute(
                sa.select(history_table.c.id, history_table.c.author, history_table.c.at,
                          history_table.c.op)
                .where(history_table.c.workspace == workspace, history_table.c.kind == kind,
                       history_table.c.key == key)
                .order_by(history_table.c.id.desc()).limit(1)).first()
            if (last is not None and last.author == author and last.op != "delete"
                    and _parse_stamp(now) - _parse_stamp(last.at) <= coalesce):
                conn.execute(sa.update(history_table).where(history_table.c.id == last.id)
                             .values(after=after, at=now, version=version))
                return
        conn.execute(sa.insert(history_table).values(
            workspace=workspace, kind=kind, key=key, version=version, op=op, author=author,
            at=now, before=before, after=after))

    def get(self, workspace: str, kind: str, key: str,
            as_of: datetime | None = None) -> StoredRecord | None:
        """Return the record now, or as it was at ``as_of``; None if it did not exist then."""
        if as_of is not None:
            return self._get_as_of(workspace, kind, key, as_of)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(records_table)
                               .where(*self._address(workspace, kind, key))).first()
        if row is None or row.deleted:
            return None
        return _stored(row)

    def _get_as_of(self, workspace: str, kind: str, key: str,
                   as_of: datetime) -> StoredRecord | None:
        changes = [c for c in self.history(workspace, kind, key) if c.at <= _aware(as_of)]
        if not changes or changes[-1].after is None:
            return None
        first, last = changes[0], changes[-1]
        return StoredRecord(workspace, kind, key, last.after, first.author, last.version,
                            first.at, last.at, last.author)

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
        return [_stored(row) for row in rows]

    def history(self, workspace: str, kind: str, key: str) -> list[Change]:
        """Every change to one record, oldest first."""
        query = (sa.select(history_table)
                 .where(history_table.c.workspace == workspace, history_table.c.kind == kind,
                        history_table.c.key == key)
                 .order_by(history_table.c.id))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Change(r.workspace, r.kind, r.key, r.version, r.op, r.author,
                       _parse_stamp(r.at), _load(r.before), _load(r.after)) for r in rows]

    def count_history(self, workspace: str | None = None) -> int:
        """How many changes the history holds (for one workspace, or all)."""
        query = sa.select(sa.func.count()).select_from(history_table)
        if workspace is not None:
            query = query.where(history_table.c.workspace == workspace)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def change_counts(self, workspace: str, *, names: bool = False
                      ) -> list[tuple[str, str, int]]:
        """For each record key of a workspace: (key, latest change, number of changes).

        With ``names``, each pupil's real name counts as one more key, ``<pupil>/~name``,
        so a report that prints names knows when a name changed.
        """
        head = sa.func.max(history_table.c.at)
        query = (sa.select(history_table.c.key, head, sa.func.count())
                 .where(history_table.c.workspace == workspace)
                 .group_by(history_table.c.key))
        with self.engine.connect() as conn:
            rows = [(str(k), str(at), int(n)) for k, at, n in conn.execute(query).all()]
            if names:
                rows += [(f"{pupil}/~name", str(at), 1) for pupil, at in conn.execute(
                    sa.select(pupil_names_table.c.pupil, pupil_names_table.c.updated_at)
                    .where(pupil_names_table.c.workspace == workspace)).all()]
        return rows

    # -------------------------------------------------------------- real names

    def set_real_name(self, workspace: str, pupil: str, real_name: str | None,
                      author: str) -> None:
        """Keep a pupil's real name apart from their records; None or blank removes it."""
        _require_author(author)
        now = _stamp(self.clock())

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


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stored(row: Any) -> StoredRecord:
    return StoredRecord(row.workspace, row.kind, row.key, json.loads(row.data), row.author,
                        row.version, _parse_stamp(row.created_at),
                        _parse_stamp(row.updated_at), row.updated_by)


def _require_author(author: str) -> None:
    if not author or not str(author).strip():
        raise StoreError("no author given for a save", value=author, where="store",
                         fix="say who is entering the answers (the practitioner's name)")


def open_store(data: str | os.PathLike[str] | None = None, url: str | None = None,
               clock: Clock | None = None) -> Store:
    """Open the store for a data folder (or URL): the one call workbooks and the CLI make."""
    return Store(url, data=data, clock=clock)
