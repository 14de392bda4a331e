"""Opening a database: which one, the owner-only SQLite file, refusing a damaged file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from partnerkit.errors import DataFolderError, StoreCorruptError, StoreError
from partnerkit.store import Store, resolve_url


def test_the_url_wins_then_the_environment_then_the_data_folder(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PARTNERKIT_DATABASE_URL", "postgres://u:p@db/pk")
    assert resolve_url("postgresql://u:p@h/x") == "postgresql+psycopg://u:p@h/x"
    assert resolve_url() == "postgresql+psycopg://u:p@db/pk"
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL")
    assert resolve_url(data=tmp_path) == f"sqlite:///{tmp_path / 'partnerkit.sqlite'}"


def test_store_file_and_data_folder_are_owner_only(tmp_path: Path):
    st = Store(data=tmp_path / "data")
    st.save("w", "note", "a", {"t": 1}, "Ann")
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    for path in (tmp_path / "data").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_an_existing_world_readable_store_is_tightened(tmp_path: Path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    os.chmod(path, 0o644)
    Store(data=tmp_path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_data_folder_that_cannot_be_made_is_named_in_the_message(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataFolderError) as info:
        Store(data=blocker / "data")
    assert str(blocker / "data") in str(info.value)
    assert "--data" in str(info.value)


def test_a_file_given_as_data_folder_is_refused(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DataFolderError, match="is a file"):
        Store(data=blocker)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-middle"])
def test_a_damaged_store_file_is_refused_and_not_overwritten(tmp_path: Path, damage: str):
    st = Store(data=tmp_path)
    for i in range(300):
        st.save("w", "note", f"k{i}", {"text": "x" * 200}, "Ann")
    st.close()
    path = tmp_path / "partnerkit.sqlite"
    data = path.read_bytes()
    if damage == "garbage":
        data = b"this is not a database at all" * 100
    elif damage == "truncated":
        data = data[:300]
    else:
        middle = len(data) // 2
        data = data[:4096] + b"\x00" * 4096 * 3 + data[4096 * 4:]
        assert middle
    path.write_bytes(data)
    with pytest.raises(StoreCorruptError) as info:
        Store(data=tmp_path)
    assert str(path) in str(info.value) and "backup" in str(info.value)
    assert path.read_bytes() == data


def test_an_unsupported_database_url_is_refused():
    with pytest.raises(StoreError, match="not a supported database"):
        Store("mysql://localhost/x")
