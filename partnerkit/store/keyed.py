"""Encryption at rest: a SQLite store encrypted with SQLCipher, keyed by a passphrase.

An option: with ``$PARTNERKIT_STORE_KEY`` set, the SQLite store is opened through
SQLCipher (the ``sqlcipher3`` binding, installed by the ``[encrypted]`` extra) with that
passphrase as its key, and a new store is made encrypted, so a copied file shows
nothing but noise. The same commands work on it. Opened without its key (or with a
wrong one) the store is refused with :class:`~partnerkit.errors.StoreKeyError` and left
untouched. PostgreSQL keeps its own encryption (the server's disk), so the key applies
to SQLite only.

Copies between an encrypted store and a plain SQLite file (a backup, a restore, the copy
made before an upgrade) go through ``sqlcipher_export`` in one read transaction, so
they are consistent while others write; plain stores use SQLite's backup API.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

from partnerkit import paths
from partnerkit.errors import StoreKeyError

KEY_ENV = "PARTNERKIT_STORE_KEY"
EXTRA_FIX = "install the binding: pip install 'partnerkit[encrypted]' (sqlcipher3-binary)"


def store_key() -> str | None:
    """The store's key: ``$PARTNERKIT_STORE_KEY``, or None for a plain store."""
    return os.environ.get(KEY_ENV) or None


def dbapi(key: str | None) -> ModuleType:
    """The DB-API module for a store: SQLCipher's when keyed, else the standard sqlite3."""
    if key is None:
        return sqlite3
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise StoreKeyError("is set, but SQLCipher is not installed", value=KEY_ENV,
                            where=f"${KEY_ENV}", fix=EXTRA_FIX) from None
    return dbapi2


def _literal(text: str) -> str:
    """A SQL string literal (the key cannot be a bound parameter in PRAGMA or ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def connect(path: str | os.PathLike[str], key: str | None = None, *, uri: bool = False,
            **kwargs: Any) -> Any:
    """A DB-API connection to a store file, keyed first when ``key`` is given."""
    conn = dbapi(key).connect(str(path), uri=uri, **kwargs)
    if key is not None:
        conn.execute(f"PRAGMA key = {_literal(key)}")
    return conn


def looks_encrypted(head: bytes, size: int) -> bool:
    """Whether a file that is not plain SQLite could be an encrypted store.

    A SQLCipher file is whole 1024-byte pages of noise from its first byte: no text, no
    run of zeros at its start.
    """
    return size >= 1024 and size % 1024 == 0 and len(set(head[:32])) > 16


def wrong_key(path: Path, keyed: bool) -> StoreKeyError:
    """The one message for an encrypted store opened without its key, or a wrong one."""
    if keyed:
        return StoreKeyError(f"cannot be opened with the key in ${KEY_ENV} (a wrong key, "
                             "or a file that is not a store); it was left as it is",
                             value=str(path), where=f"store file {path}",
                             fix=f"set ${KEY_ENV} to the store's key")
    return StoreKeyError("is encrypted (or is not a SQLite database) and no key was given; "
                         "it was left as it is", value=str(path), where=f"store file {path}",
                         fix=f"set ${KEY_ENV} to the store's key")


def plain_but_keyed(path: Path) -> StoreKeyError:
    """A plain store opened with a key set: refused, so nobody thinks it is encrypted."""
    return StoreKeyError(f"is not encrypted, but ${KEY_ENV} is set; it was left as it is",
                         value=str(path), where=f"store file {path}",
                         fix=f"unset ${KEY_ENV} to open it, or encrypt it: partnerkit backup, "
                             "then partnerkit restore into a new data folder with the key set")


def export_plain(source: Any, target_path: Path, key: str | None) -> None:
    """Copy the open store ``source`` to a plain SQLite file, consistently."""
    if key is None:
        with closing(sqlite3.connect(target_path)) as target:
            source.backup(target)
        return
    _export(source, target_path, "")


def import_plain(plain: Path, target: Path, key: str | None) -> None:
    """Make ``target`` hold the plain SQLite file ``plain`` (encrypted when keyed).

    Plain: SQLite's backup API into ``target`` (it need not exist). Keyed: exported into
    a new encrypted file beside it, then moved into place (its old log removed).
    """
    if key is None:
        paths.private_file(target)
        _backup(plain, target)
        return
    fresh = target.with_name(f".{target.name}.restoring")
    fresh.unlink(missing_ok=True)
    with closing(dbapi(key).connect(str(plain), isolation_level=None)) as source:
        _export(source, fresh, key)
    paths.private_file(fresh)
    for sidecar in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        sidecar.unlink(missing_ok=True)
    os.replace(fresh, target)


def copy_store(source_path: Path, target_path: Path, key: str | None) -> None:
    """Copy a store file as it is (encrypted stays encrypted, with the same key), owner-only."""
    if key is None:
        paths.private_file(target_path)
        _backup(source_path, target_path)
        return
    target_path.unlink(missing_ok=True)
    with closing(connect(source_path, key, isolation_level=None)) as source:
        _export(source, target_path, key)
    paths.private_file(target_path)


def _backup(source_path: Path, target_path: Path) -> None:
    """SQLite's backup API from one plain file to another (what the log holds included)."""
    with closing(sqlite3.connect(source_path)) as source, \
            closing(sqlite3.connect(target_path)) as target:
        source.backup(target)


def _export(source: Any, target_path: Path, target_key: str) -> None:
    """``sqlcipher_export`` from ``source`` into a new file keyed ``target_key`` ('' = plain)."""
    source.isolation_level = None
    source.execute(f"ATTACH DATABASE {_literal(str(target_path))} AS copy "
                   f"KEY {_literal(target_key)}")
    try:
        source.execute("BEGIN")
        source.execute("SELECT sqlcipher_export('copy')")
        source.execute("COMMIT")
    finally:
        source.execute("DETACH DATABASE copy")
