"""Backups and restores: a consistent copy of the store, sealed with a passphrase.

``partnerkit backup`` copies the store while the server runs and pages save: a SQLite
store through SQLite's online backup API (one step, so the copy is the store at one
moment, what the write-ahead log holds included), a PostgreSQL store through ``pg_dump``
(one snapshot transaction). The copy is sealed (:mod:`.crypto`) and written owner-only
as ``partnerkit-backup-<time>.pkbackup``, under ``backups/`` in the data folder unless
``--to`` says where. ``partnerkit restore FILE`` checks the file whole before asking
for the passphrase, refuses a backup from a newer partnerkit, a truncated or changed
file and a wrong passphrase (nothing is touched), then restores. A store that is
already there is replaced only with ``--replace``, and copied aside first
(``<store>.before-restore-<time>``), so a restore never loses the store it replaces.
Both are written to the audit trail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from partnerkit import __version__, paths
from partnerkit.errors import BackupError
from partnerkit.safekeeping import crypto
from partnerkit.store import Store, keyed, migrate
from partnerkit.store import engine as opening

SUFFIX = ".pkbackup"
PG_TIMEOUT_S = 3600


def make_backup(store: Store, passphrase: str, to: str | os.PathLike[str] | None,
                by: str) -> Path:
    """Write a sealed, owner-only backup of ``store``; return its path."""
    made = datetime.now(UTC)
    payload = snapshot(store)
    about = {"partnerkit": __version__, "schema": store.schema_version(),
             "revision": store.revision(), "backend": store.url.get_backend_name(),
             "made_at": made.isoformat(timespec="seconds"), "store": repr(store)}
    sealed = crypto.seal(payload, passphrase, about)
    folder = Path(to) if to else _default_folder(store)
    target = folder / f"partnerkit-backup-{made.strftime('%Y%m%dT%H%M%S%f')}{SUFFIX}"
    _write_private(target, sealed)
    store.audit(by, "backup", allowed=True, detail=f"{target.name} ({len(sealed)} bytes)")
    return target


def snapshot(store: Store) -> bytes:
    """The store's bytes at one moment: a SQLite database file, or a ``pg_dump`` archive."""
    if store.path is None:
        return _pg_dump(store.url)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=store.path.parent) as folder:
        copy = Path(folder) / "snapshot.sqlite"
        key = keyed.store_key()
        with closing(keyed.connect(store.path, key, isolation_level=None)) as source:
            keyed.export_plain(source, copy, key)
        return copy.read_bytes()


def _pg_dump(url: sa.URL) -> bytes:
    """``pg_dump`` of the store's database in its custom format (one consistent snapshot)."""
    result = _run_tool(["pg_dump", "--format=custom", "--no-owner", "--dbname",
                        libpq_url(url)], "pg_dump")
    return result.stdout


def libpq_url(url: sa.URL) -> str:
    """The URL as PostgreSQL's own tools take it (no ``+psycopg``)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run_tool(command: list[str], name: str) -> subprocess.CompletedProcess[bytes]:
    """Run a PostgreSQL tool; a missing tool or a failure is one clear message."""
    if shutil.which(command[0]) is None:
        raise BackupError("is not installed", value=name, where="PostgreSQL tools",
                          fix="install the postgresql-client package (apt install "
                              "postgresql-client)")
    result = subprocess.run(command, capture_output=True, timeout=PG_TIMEOUT_S, check=False)
    if result.returncode != 0:
        said = result.stderr.decode(errors="replace").strip().splitlines()
        raise BackupError(f"failed ({said[-1] if said else 'no message'})", value=name,
                          where="PostgreSQL", fix="check the database URL and the server")
    return result


def _default_folder(store: Store) -> Path:
    base = store.path.parent if store.path is not None else paths.data_dir()
    return base / "backups"


def _write_private(target: Path, data: bytes) -> None:
    """Write owner-only beside the name, then move into place (never half a file)."""
    temp = target.with_name(f".{target.name}.part")
    paths.private_file(temp)
    temp.write_bytes(data)
    os.replace(temp, target)


# ----------------------------------------------------------------- restore


def check_file(path: Path) -> tuple[dict[str, Any], bytes]:
    """Read a backup and check it whole (not its passphrase); refuse one too new."""
    where = f"backup {path}"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BackupError("does not exist", value=str(path), where=where,
                          fix="give the path of a file partnerkit backup wrote") from None
    header, _ = crypto.read_header(data, where)
    head = migrate.schema_number(migrate.HEAD_REVISION)
    if int(header.get("schema", 0)) > head:
        raise BackupError(
            f"was made by a newer partnerkit ({header.get('partnerkit')}, schema "
            f"{header.get('schema')}; this one knows up to schema {head}); nothing was restored",
            where=where, fix=migrate.UPGRADE_FIX)
    return header, data


def check_backup(path: Path, passphrase: str) -> str:
    """Check a backup without restoring it: whole, not too new, and the passphrase opens it.

    Raises :class:`~partnerkit.errors.BackupError` naming what is wrong (a truncated or
    changed file, a newer partnerkit, a wrong passphrase); says what the backup holds.
    """
    header, sealed = check_file(path)
    opened = crypto.unseal(sealed, passphrase, f"backup {path.name}")
    return (f"The backup {path.name} is whole (its checksum matches) and the passphrase "
            f"opens it: made {header.get('made_at')} by partnerkit {header.get('partnerkit')}, "
            f"schema {header.get('schema')}, a {header.get('backend')} store of "
            f"{len(opened.payload):,} bytes. Nothing was restored.")


def backups_in(folder: Path) -> list[Path]:
    """The backups in a folder, newest first."""
    return sorted(folder.glob(f"*{SUFFIX}"), reverse=True) if folder.is_dir() else []


def restore(path: Path, passphrase: Callable[[], str], *, data: Any = None,
            url: str | None = None, replace: bool = False, by: str) -> str:
    """Restore a backup into the store of ``data``/``url``; return what was done."""
    header, sealed = check_file(path)
    folder = paths.data_dir(data)
    target_url = sa.make_url(opening.resolve_url(url, folder))
    backend = target_url.get_backend_name()
    if header.get("backend") != backend:
        raise BackupError(f"holds a {header.get('backend')} store, not a {backend} one",
                          where=f"backup {path}",
                          fix="restore it into the same kind of store it was made from")
    phrase = passphrase()
    opened = crypto.unseal(sealed, phrase, f"backup {path}")
    target = opening.sqlite_path(target_url)
    aside = (_restore_sqlite(opened.payload, target, replace) if target is not None
             else _restore_pg(opened.payload, target_url, replace, phrase, folder))
    store = Store(target_url.render_as_string(hide_password=False))
    try:
        store.audit(by, "restore", allowed=True,
                    detail=f"{path.name} made {header.get('made_at')}")
    finally:
        store.close()
    kept = f"; the store it replaced was copied to {aside}" if aside else ""
    return (f"Restored {path.name} (made {header.get('made_at')} by partnerkit "
            f"{header.get('partnerkit')}, schema {header.get('schema')}){kept}.")


def _restore_sqlite(payload: bytes, target: Path, replace: bool) -> Path | None:
    """Check the restored file, then put it in place (the old store copied aside first)."""
    paths.private_dir(target.parent)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=target.parent) as folder:
        temp = Path(folder) / "restored.sqlite"
        paths.private_file(temp)
        temp.write_bytes(payload)
        opening.check_sqlite_file(temp, key=None)
        key = keyed.store_key()
        if not target.exists():
            keyed.import_plain(temp, target, key)
            return None
        _refuse_unless(replace, str(target))
        opening.check_sqlite_file(target)  # the store it replaces opens with the key
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        keyed.copy_store(target, aside, key)
        keyed.import_plain(temp, target, key)
        return aside


def _refuse_unless(replace: bool, where: str) -> None:
    if not replace:
        raise BackupError("already holds a store; nothing was restored", where=where,
                          fix="add --replace to replace it (it is copied aside first), or "
                              "restore into another data folder with --data")


def _restore_pg(payload: bytes, url: sa.URL, replace: bool, phrase: str,
                folder: Path) -> Path | None:
    """``pg_restore`` into the database (cleaning what is there only with ``replace``).

    The database it replaces is first dumped and sealed with the same passphrase, as
    ``backups/before-restore-<time>.pkbackup`` in the data folder ``folder``.
    """
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            schema = migrate.legacy_version(conn)
            revision = migrate.stamped_revision(conn)
    finally:
        engine.dispose()
    aside = None
    if schema is not None:
        _refuse_unless(replace, f"database {url.render_as_string()}")
        made = datetime.now(UTC)
        aside = (folder / "backups"
                 / f"before-restore-{made.strftime('%Y%m%dT%H%M%S%f')}{SUFFIX}")
        about = {"partnerkit": __version__, "schema": schema, "revision": revision,
                 "backend": "postgresql", "made_at": made.isoformat(timespec="seconds"),
                 "store": url.render_as_string()}
        _write_private(aside, crypto.seal(_pg_dump(url), phrase, about))
    with tempfile.NamedTemporaryFile(suffix=".dump") as dump:
        dump.write(payload)
        dump.flush()
        _run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                   "--dbname", libpq_url(url), dump.name], "pg_restore")
    return aside
