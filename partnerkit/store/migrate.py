"""Schema versions with Alembic: opening a store brings it to the newest revision.

The revisions live in ``migrations/versions/``; Alembic is configured here, in code
(``script_location`` points into the package; no ``alembic.ini`` is needed). Revision
ids are sequence numbers (``0001``, ``0002`` ...), so a revision's number is its schema
version. Opening a store:

* at :data:`HEAD_REVISION` already: one small read, and Alembic is not even imported;
* stamped with a revision this release does not know, or a ``meta.schema_version``
  above it: :class:`StoreTooNewError`, and nothing is changed;
* otherwise, under the write lock (SQLite's ``BEGIN IMMEDIATE``, a PostgreSQL advisory
  lock), in one transaction: a SQLite file with data is first copied aside to
  ``<file>.before-v<N>`` (N: the version it is brought to); a store made before
  Alembic (``meta.schema_version`` but no ``alembic_version``) is stamped with the
  revision of its version; Alembic upgrades it to head; ``meta.schema_version`` is set
  to the head's number, so releases from before Alembic still refuse a newer store.

An upgrade only adds: no revision drops a table or a column that holds data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from partnerkit.errors import StoreTooNewError
from partnerkit.store import keyed
from partnerkit.store.engine import WRITE_OPTION
from partnerkit.store.tables import meta_table

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).parent / "migrations"
"""The Alembic migration environment shipped inside the package."""

HEAD_REVISION = "0003"
"""The newest revision this release knows (a test checks it against the versions folder)."""

LEGACY_REVISIONS: dict[int, str] = {1: "0001"}
"""Stores made before Alembic: their ``meta.schema_version`` → the revision it equals."""

VERSION_KEY = "schema_version"
PG_LOCK_ID = 424242
UPGRADE_FIX = "upgrade partnerkit (pip install -U partnerkit)"


def schema_number(revision: str) -> int:
    """The schema version a revision stands for: its sequence number (``0002`` → 2)."""
    return int(revision)


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's configuration for the store, built in code.

    Pass the ``connection`` to migrate through (the env.py uses it and its transaction),
    or a ``url`` for Alembic's own commands (``command.revision(config, ...,
    autogenerate=True)`` when writing a new revision).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def stamped_revision(conn: Connection) -> str | None:
    """The Alembic revision the store is stamped with, or None (new, or made before Alembic)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def legacy_version(conn: Connection) -> int | None:
    """``meta.schema_version``, the number every release writes; None in a new database."""
    if not sa.inspect(conn).has_table("meta"):
        return None
    value = conn.execute(sa.select(meta_table.c.value)
                         .where(meta_table.c.key == VERSION_KEY)).scalar()
    return int(value) if value is not None else None


def prepare(engine: Engine, path: Path | None, where: str) -> None:
    """Bring the store to the head revision, or refuse a newer one; see the module doc."""
    with engine.connect() as conn:
        found = stamped_revision(conn), legacy_version(conn)
    if found == (HEAD_REVISION, schema_number(HEAD_REVISION)):
        return
    with engine.connect() as conn:
        _refuse_unknown(conn, where)
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_ID})")
        _upgrade(conn, path, where)


def _known_revisions() -> tuple[str, list[str]]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None, "the store's migrations have no head revision"
    return head, [s.revision for s in script.walk_revisions()]


def _refuse_unknown(conn: Connection, where: str) -> tuple[str | None, str]:
    """Raise StoreTooNewError for a store newer than this release; else (current, head)."""
    from alembic.runtime.migration import MigrationContext

    head, known = _known_revisions()
    stamped = MigrationContext.configure(conn).get_current_revision()
    legacy = legacy_version(conn)
    if stamped is not None and stamped not in known:
        raise _too_new(f"schema revision {stamped}", head, stamped, where)
    if legacy is not None and legacy > schema_number(head):
        raise _too_new(f"schema {legacy}", head, legacy, where)
    if stamped is None and legacy is not None and legacy not in LEGACY_REVISIONS:
        raise _too_new(f"schema {legacy}", head, legacy, where)
    current = stamped or (LEGACY_REVISIONS[legacy] if legacy is not None else None)
    return current, head


def _too_new(found: str, head: str, value: Any, where: str) -> StoreTooNewError:
    return StoreTooNewError(
        f"was written by a newer partnerkit ({found}; this one knows up to schema "
        f"{schema_number(head)}, revision {head}); nothing was changed",
        value=value, where=where, fix=UPGRADE_FIX)


def _upgrade(conn: Connection, path: Path | None, where: str) -> None:
    """Stamp, copy aside and upgrade, inside the caller's locked transaction."""
    from alembic import command

    current, head = _refuse_unknown(conn, where)
    stamped = stamped_revision(conn)
    if stamped == head and legacy_version(conn) == schema_number(head):
        return  # another process upgraded it while this one waited for the lock
    if path is not None and current is not None:
        copy_aside(path, schema_number(head))
    config = alembic_config(conn)
    if stamped is None and current is not None:
        command.stamp(config, current)
    command.upgrade(config, "head")
    conn.execute(sa.delete(meta_table).where(meta_table.c.key == VERSION_KEY))
    conn.execute(sa.insert(meta_table).values(key=VERSION_KEY,
                                              value=str(schema_number(head))))


def copy_aside(path: Path, version: int) -> Path:
    """Copy a SQLite store to ``<file>.before-v<version>``, owner-only, before an upgrade.

    SQLite's backup API copies what is committed, including what still sits in the
    write-ahead log, so the copy is the store as it was; an encrypted store's copy is
    encrypted with the same key (:func:`.keyed.copy_store`).
    """
    target = path.with_name(f"{path.name}.before-v{version}")
    for old in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        old.unlink(missing_ok=True)
    keyed.copy_store(path, target, keyed.store_key())
    return target
