"""Damaged stores: every kind refused with the one clear message and left byte for byte.

A 0-byte, truncated, zeroed, foreign (a PNG, text, another program's SQLite database)
or newer store is refused; its bytes, its modification time and the folder around it
stay as they were. A missing file is a new store, made whole or not at all.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from partnerkit.errors import StoreCorruptError, StoreError, StoreTooNewError
from partnerkit.store import Store, engine, migrate

PAGE = 4096
PAST = 1_600_000_000
"""A modification time long ago, so a write during the test would show."""

RESTORE = "restore it from a backup, or move it aside to start a new store"


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    """The bytes of a closed store with some records (several pages)."""
    folder = tmp_path_factory.mktemp("good")
    st = Store(data=folder)
    for i in range(200):
        st.save("w", "note", f"k{i}", {"text": "x" * 200}, "Ann")
    st.close()
    data = (folder / "partnerkit.sqlite").read_bytes()
    assert len(data) > 20 * PAGE and not list(folder.glob("*-wal"))
    return data


def _foreign_sqlite(path: Path, wal: bool = False, extra: str | None = None) -> None:
    with sqlite3.connect(path) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        if extra:
            conn.execute(extra)
        conn.execute("INSERT INTO photos (name) VALUES ('beach.jpg')")
    conn.close()


def _no_tables_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 7")  # a valid database with no table at all
    conn.close()


def _edited_store(good: bytes, sql: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(good)
        with sqlite3.connect(path) as conn:
            conn.execute(sql)
        conn.close()
    return make


DAMAGE: dict[str, tuple[Callable[[bytes], Callable[[Path], None]], str]] = {
    "empty": (lambda g: lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    "header only": (lambda g: lambda p: p.write_bytes(g[:100]), "is cut short (100 bytes"),
    "half a page": (lambda g: lambda p: p.write_bytes(g[:2000]), "is cut short (2000 bytes"),
    "one page": (lambda g: lambda p: p.write_bytes(g[:PAGE]), "is damaged"),
    "half the pages": (lambda g: lambda p: p.write_bytes(g[:len(g) // 2 // PAGE * PAGE]),
                       "is damaged"),
    "last page missing": (lambda g: lambda p: p.write_bytes(g[:-PAGE]), "is damaged"),
    "one byte short": (lambda g: lambda p: p.write_bytes(g[:-1]), "is cut short"),
    "zeroed": (lambda g: lambda p: p.write_bytes(b"\x00" * len(g)), "holds only zero bytes"),
    "zeroed middle": (lambda g: lambda p: p.write_bytes(g[:PAGE] + b"\x00" * 3 * PAGE
                                                        + g[4 * PAGE:]), "is damaged"),
    "png": (lambda g: lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
            "not a SQLite database (it looks like a PNG image)"),
    "text": (lambda g: lambda p: p.write_text("name,offer\nAnn,reading\n" * 300),
             "not a SQLite database (it looks like text)"),
    "foreign sqlite": (lambda g: _foreign_sqlite, "not a partnerkit store (its tables: photos)"),
    "foreign sqlite in WAL": (lambda g: lambda p: _foreign_sqlite(p, wal=True),
                              "not a partnerkit store (its tables: photos)"),
    "sqlite without tables": (lambda g: _no_tables_sqlite, "with no tables"),
    "foreign sqlite with a meta table": (
        lambda g: lambda p: _foreign_sqlite(p, extra="CREATE TABLE meta (name TEXT)"),
        "not a partnerkit store (its tables: meta, photos)"),
    "meta without a version": (lambda g: _edited_store(g, "DELETE FROM meta"),
                               "not a partnerkit store (its tables: accounts, alembic_version"),
}

TOO_NEW = {
    "newer schema number": ("UPDATE meta SET value = '99' WHERE key = 'schema_version'", "99"),
    "unknown revision": ("UPDATE alembic_version SET version_num = '0099'", "0099"),
}


def _store_files(folder: Path) -> list[str]:
    """The files of a data folder but the writers' queue file (``partnerkit.sqlite-lock``)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith("-lock"))


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file of the folder: its bytes, modification time and mode."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns, stat.S_IMODE(p.stat().st_mode))
            for p in sorted(folder.iterdir())}


def _damaged_folder(tmp_path: Path, make: Callable[[Path], None]) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    path = folder / "partnerkit.sqlite"
    make(path)
    for leftover in folder.glob("*-*"):
        leftover.unlink()  # a closed store keeps no -wal/-shm beside it
    path.chmod(0o644)  # not tightened either: the file is left exactly as it is
    os.utime(path, (PAST, PAST))
    return folder


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_store_is_refused_with_the_message_and_left_untouched(
        tmp_path: Path, good_bytes: bytes, kind: str):
    make, what = DAMAGE[kind]
    folder = _damaged_folder(tmp_path, make(good_bytes))
    before = _snapshot(folder)
    with pytest.raises(StoreCorruptError) as info:
        Store(data=folder)
    message = str(info.value)
    path = folder / "partnerkit.sqlite"
    assert message.startswith(f"store file {path}: ")
    assert what in message
    assert message.endswith(f"it was left as it is; {RESTORE}")
    assert _snapshot(folder) == before


@pytest.mark.parametrize("kind", list(TOO_NEW))
def test_a_newer_store_is_refused_with_the_message_and_left_untouched(
        tmp_path: Path, good_bytes: bytes, kind: str):
    sql, found = TOO_NEW[kind]
    folder = _damaged_folder(tmp_path, _edited_store(good_bytes, sql))
    before = _snapshot(folder)
    with pytest.raises(StoreTooNewError) as info:
        Store(data=folder)
    message = str(info.value)
    assert str(folder / "partnerkit.sqlite") in message
    assert "newer partnerkit (schema" in message and found in message
    assert "nothing was changed" in message and "upgrade partnerkit" in message
    after = _snapshot(folder)
    assert {n: v[:2] for n, v in after.items()} == {n: v[:2] for n, v in before.items()}
    # partnerkit's own store is kept owner-only, as every store is; nothing else changed
    assert after["partnerkit.sqlite"][2] == 0o600


def test_the_same_damage_gives_the_same_message_each_time(tmp_path: Path):
    folder = _damaged_folder(tmp_path, lambda p: p.write_bytes(b""))
    messages = set()
    for _ in range(3):
        with pytest.raises(StoreCorruptError) as info:
            Store(data=folder)
        messages.add(str(info.value))
    assert len(messages) == 1


def test_a_folder_in_the_store_s_place_is_refused(tmp_path: Path):
    (tmp_path / "partnerkit.sqlite").mkdir()
    with pytest.raises(StoreCorruptError, match="is a folder, not a store file"):
        Store(data=tmp_path)


def test_a_store_that_cannot_be_read_is_named_with_its_permissions(tmp_path: Path,
                                                                     monkeypatch):
    def denied(_path: Path) -> None:
        raise PermissionError(13, "Permission denied")  # as for a file of another owner

    path = tmp_path / "partnerkit.sqlite"
    path.write_bytes(b"x")
    monkeypatch.setattr(engine, "header_problem", denied)
    with pytest.raises(StoreError) as info:
        Store(data=tmp_path)
    assert str(info.value) == (f"store file {path}: cannot be read (Permission denied); "
                               "check the file's owner and permissions")
    assert path.read_bytes() == b"x"


def test_a_missing_store_with_its_write_ahead_log_left_is_refused(tmp_path: Path):
    wal = tmp_path / "partnerkit.sqlite-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\x00" * 60)
    before = _snapshot(tmp_path)
    with pytest.raises(StoreCorruptError, match="write-ahead log partnerkit.sqlite-wal"):
        Store(data=tmp_path)
    assert _snapshot(tmp_path) == before


# ------------------------------------------------------------------ a new store


def test_a_missing_file_is_a_new_store_made_whole(tmp_path: Path):
    st = Store(data=tmp_path)
    st.save("w", "note", "k", {"text": "kept"}, "Ann")
    st.close()
    path = tmp_path / "partnerkit.sqlite"
    assert path.stat().st_size > 0 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _store_files(tmp_path) == ["partnerkit.sqlite"]
    assert Store(data=tmp_path).get("w", "note", "k").data == {"text": "kept"}


def test_a_new_store_that_fails_half_way_leaves_no_file(tmp_path: Path, monkeypatch):
    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(migrate, "prepare", fail)
    with pytest.raises(OSError, match="disk full"):
        Store(data=tmp_path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    Store(data=tmp_path).close()
    assert (tmp_path / "partnerkit.sqlite").stat().st_size > 0


def _open_and_save(folder: str, key: str, start) -> None:
    start.wait(timeout=120)
    st = Store(data=folder)
    st.save("w", "note", key, {"text": key}, "Ann")
    st.close()


def test_processes_making_a_new_store_at_once_all_open_the_same_one(tmp_path: Path):
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(4)
    procs = [ctx.Process(target=_open_and_save, args=(str(tmp_path), f"k{i}", start))
             for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    st = Store(data=tmp_path)
    assert sorted(r.key for r in st.list("w", "note")) == ["k0", "k1", "k2", "k3"]
    st.close()
    assert _store_files(tmp_path) == ["partnerkit.sqlite"]


def test_without_hard_links_a_new_store_is_renamed_into_place(tmp_path: Path, monkeypatch):
    def no_links(*_args):
        raise OSError(1, "Operation not permitted")  # as on some network file systems

    monkeypatch.setattr(os, "link", no_links)
    st = Store(data=tmp_path)
    st.save("w", "note", "k", {"text": "kept"}, "Ann")
    st.close()
    assert _store_files(tmp_path) == ["partnerkit.sqlite"]

