"""Encryption at rest: a SQLCipher store shows no pupil text, and is refused without its key."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from partnerkit.cli import main
from partnerkit.errors import StoreKeyError
from partnerkit.safekeeping.backup import make_backup, restore
from partnerkit.store import Store
from partnerkit.store.keyed import KEY_ENV

KEY = "glenbrae store key 2026"
SECRET = "Morag-lives-at-7-Glenbrae-Road"


@pytest.fixture
def keyed_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(KEY_ENV, KEY)
    return KEY


def _fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _encrypted(folder: Path) -> Path:
    store = Store(data=folder)
    store.save("school", "pupil_profile", "P-1001", {"notes": SECRET}, "ann")
    store.set_real_name("school", "P-1001", "Morag Grant", "ann")
    store.close()
    return folder / "partnerkit.sqlite"


def test_a_copied_file_shows_no_pupil_text(keyed_env, tmp_path: Path):
    path = _encrypted(tmp_path / "data")
    store = Store(data=tmp_path / "data")  # open, with its log, while the bytes are scanned
    store.save("school", "pupil_profile", "P-1002", {"notes": SECRET + "-again"}, "ann")
    for file in (tmp_path / "data").iterdir():
        if file.is_file():
            data = file.read_bytes()
            for text in (SECRET, "Morag Grant", "P-1001", "pupil_profile", "SQLite format 3"):
                assert text.encode() not in data, (file.name, text)
    assert store.get("school", "pupil_profile", "P-1001").data == {"notes": SECRET}
    assert store.real_name("school", "P-1001") == "Morag Grant"
    store.close()
    assert path.stat().st_mode & 0o077 == 0


def test_opened_without_its_key_it_is_refused_and_untouched(keyed_env, tmp_path: Path,
                                                             monkeypatch):
    _encrypted(tmp_path / "data")
    before = _fingerprint(tmp_path / "data")
    monkeypatch.delenv(KEY_ENV)
    with pytest.raises(StoreKeyError, match="is encrypted") as info:
        Store(data=tmp_path / "data")
    assert KEY_ENV in str(info.value)
    monkeypatch.setenv(KEY_ENV, "not the key at all")
    with pytest.raises(StoreKeyError, match="cannot be opened with the key"):
        Store(data=tmp_path / "data")
    assert _fingerprint(tmp_path / "data") == before


def test_a_plain_store_opened_with_a_key_is_refused(tmp_path: Path, monkeypatch):
    Store(data=tmp_path / "data").close()
    before = _fingerprint(tmp_path / "data")
    monkeypatch.setenv(KEY_ENV, KEY)
    with pytest.raises(StoreKeyError, match="is not encrypted"):
        Store(data=tmp_path / "data")
    assert _fingerprint(tmp_path / "data") == before


def test_the_same_commands_work_on_an_encrypted_store(keyed_env, tmp_path: Path, capsys,
                                                      monkeypatch):
    _encrypted(tmp_path / "data")
    data = str(tmp_path / "data")
    assert main(["audit", "verify", "--data", data]) == 0
    assert main(["users", "list", "--data", data]) == 0
    monkeypatch.setenv("PARTNERKIT_BACKUP_PASSPHRASE", "backup passphrase 1")
    assert main(["backup", "--data", data, "--to", str(tmp_path / "b")]) == 0
    capsys.readouterr()
    monkeypatch.delenv(KEY_ENV)
    assert main(["audit", "verify", "--data", data]) == 2
    err = capsys.readouterr().err
    assert "is encrypted" in err and KEY_ENV in err and "Traceback" not in err


def test_a_backup_of_an_encrypted_store_restores_encrypted(keyed_env, tmp_path: Path):
    _encrypted(tmp_path / "data")
    store = Store(data=tmp_path / "data")
    made = make_backup(store, "backup passphrase 1", tmp_path / "b", "dpo")
    store.close()
    assert SECRET.encode() not in made.read_bytes()
    restore(made, lambda: "backup passphrase 1", data=tmp_path / "new", by="dpo")
    assert SECRET.encode() not in (tmp_path / "new" / "partnerkit.sqlite").read_bytes()
    back = Store(data=tmp_path / "new")
    assert back.get("school", "pupil_profile", "P-1001").data == {"notes": SECRET}
    back.close()
    restore(made, lambda: "backup passphrase 1", data=tmp_path / "data", replace=True,
            by="dpo")
    aside = next((tmp_path / "data").glob("*.before-restore-*"))
    assert SECRET.encode() not in aside.read_bytes()
