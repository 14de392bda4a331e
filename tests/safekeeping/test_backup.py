"""Encrypted backups: a consistent copy while writers save, and every bad file refused."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest

from partnerkit.cli import main
from partnerkit.errors import BackupError
from partnerkit.safekeeping import crypto
from partnerkit.safekeeping.backup import check_file, make_backup, restore
from partnerkit.safekeeping.passphrase import BACKUP_ENV, read_passphrase
from partnerkit.store import Store
from tests.helpers.backends import BACKENDS, backend_url

PHRASE = "correct horse battery staple"
SECRET = "Morag-lives-at-7-Glenbrae-Road"


def _never() -> str:
    raise AssertionError("the passphrase was asked for a file that should be refused first")


def _store_with_secret(folder: Path) -> Store:
    store = Store(data=folder)
    store.save("school", "pupil_profile", "P-1001", {"notes": SECRET}, "ann")
    return store


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_taken_while_writers_save_restores_everything_committed(backend, tmp_path):
    with backend_url(backend, tmp_path / "a") as url, backend_url(backend, tmp_path / "b") as to:
        store = Store(url)
        committed: list[str] = []
        stop = threading.Event()

        def write(n: int) -> None:
            writer = Store(url)
            i = 0
            while not stop.is_set():
                key = f"P-{n}/{i}"
                writer.save("school", "connection", key, {"i": i}, f"w{n}")
                writer.audit(f"w{n}", "write", allowed=True, kind="connection", key=key)
                committed.append(key)
                i += 1
            writer.close()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        while len(committed) < 20:
            threading.Event().wait(0.01)
        before = set(committed)
        made = make_backup(store, PHRASE, tmp_path / "backups", "dpo")
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        after = set(committed)
        store.close()

        restore(made, lambda: PHRASE, data=tmp_path / "b" / "data", url=to if backend != "sqlite"
                else None, by="dpo")
        back = Store(to)
        keys = {r.key for r in back.list("school", "connection")}
        assert before <= keys <= after
        for record in back.list("school", "connection"):
            assert len(back.history("school", "connection", record.key)) == record.version
        assert back.verify_audit().intact
        back.close()


def test_the_backup_is_owner_only_sealed_and_names_the_store_version(tmp_path: Path):
    store = _store_with_secret(tmp_path / "data")
    made = make_backup(store, PHRASE, None, "dpo")
    assert made.parent == tmp_path / "data" / "backups" and made.stat().st_mode & 0o077 == 0
    data = made.read_bytes()
    assert SECRET.encode() not in data and b"P-1001" not in data
    header, _ = check_file(made)
    assert header["schema"] == store.schema_version() and header["revision"] == store.revision()
    assert [e.action for e in store.audit_entries(limit=1)] == ["backup"]
    store.close()


def _made(tmp_path: Path) -> Path:
    store = _store_with_secret(tmp_path / "data")
    try:
        return make_backup(store, PHRASE, tmp_path / "backups", "dpo")
    finally:
        store.close()


def test_a_wrong_passphrase_restores_nothing(tmp_path: Path):
    made = _made(tmp_path)
    target = tmp_path / "new"
    with pytest.raises(BackupError, match="cannot be opened with this passphrase"):
        restore(made, lambda: "not the passphrase", data=target, by="dpo")
    assert not (target / "partnerkit.sqlite").exists()


def test_a_truncated_or_tampered_backup_is_refused_before_the_passphrase(tmp_path: Path):
    made = _made(tmp_path)
    data = made.read_bytes()
    made.write_bytes(data[:-100])
    with pytest.raises(BackupError, match="is cut short"):
        restore(made, _never, data=tmp_path / "new", by="dpo")
    made.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    with pytest.raises(BackupError, match="was changed after it was written"):
        restore(made, _never, data=tmp_path / "new", by="dpo")
    made.write_bytes(b"hello")
    with pytest.raises(BackupError, match="is not a partnerkit backup"):
        restore(made, _never, data=tmp_path / "new", by="dpo")
    assert not (tmp_path / "new" / "partnerkit.sqlite").exists()


def test_a_backup_from_a_newer_partnerkit_is_refused(tmp_path: Path):
    newer = tmp_path / "newer.pkbackup"
    newer.write_bytes(crypto.seal(b"x", PHRASE, {"schema": 99, "partnerkit": "9.0",
                                                  "backend": "sqlite"}))
    with pytest.raises(BackupError, match="made by a newer partnerkit") as info:
        restore(newer, _never, data=tmp_path / "new", by="dpo")
    assert "upgrade partnerkit" in str(info.value)


def test_restoring_over_a_store_needs_replace_and_copies_it_aside(tmp_path: Path):
    made = _made(tmp_path)
    other = Store(data=tmp_path / "other")
    other.save("school", "pupil_profile", "P-2002", {"notes": "kept aside"}, "bob")
    other.close()
    with pytest.raises(BackupError, match="already holds a store"):
        restore(made, lambda: PHRASE, data=tmp_path / "other", by="dpo")
    said = restore(made, lambda: PHRASE, data=tmp_path / "other", replace=True, by="dpo")
    aside = next((tmp_path / "other").glob("partnerkit.sqlite.before-restore-*"))
    assert str(aside) in said and aside.stat().st_mode & 0o077 == 0
    back = Store(data=tmp_path / "other")
    assert back.get("school", "pupil_profile", "P-1001").data == {"notes": SECRET}
    assert back.get("school", "pupil_profile", "P-2002") is None
    assert back.audit_entries(limit=1)[0].action == "restore"
    back.close()
    assert Store(f"sqlite:///{aside}").get("school", "pupil_profile", "P-2002") is not None


def test_backup_and_restore_from_the_command_line(tmp_path: Path, capsys, monkeypatch):
    _store_with_secret(tmp_path / "data").close()
    monkeypatch.setenv(BACKUP_ENV, PHRASE)
    assert main(["backup", "--data", str(tmp_path / "data"), "--to", str(tmp_path / "b")]) == 0
    made = next((tmp_path / "b").glob("*.pkbackup"))
    assert str(made) in capsys.readouterr().out
    monkeypatch.delenv(BACKUP_ENV)
    monkeypatch.setattr("sys.stdin", io.StringIO(PHRASE + "\n"))
    status = main(["restore", str(made), "--data", str(tmp_path / "new"), "--passphrase-stdin"])
    assert status == 0 and "Restored" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong passphrase\n"))
    status = main(["restore", str(made), "--data", str(tmp_path / "new2"), "--passphrase-stdin"])
    err = capsys.readouterr().err
    assert status == 2 and "cannot be opened with this passphrase" in err
    assert "Traceback" not in err
    status = main(["restore", str(tmp_path / "nope.pkbackup"), "--data", str(tmp_path / "n")])
    assert status == 2 and "does not exist" in capsys.readouterr().err


def test_a_new_passphrase_is_asked_twice_and_must_be_long_enough(monkeypatch):
    monkeypatch.delenv(BACKUP_ENV, raising=False)
    answers = iter(["a long passphrase", "a different one!"])
    with pytest.raises(BackupError, match="two passphrases typed differ"):
        read_passphrase(new=True, ask=lambda _prompt: next(answers))
    with pytest.raises(BackupError, match="too short"):
        read_passphrase(new=True, ask=lambda _prompt: "short")
    with pytest.raises(BackupError, match="standard input is empty"):
        read_passphrase(new=True, from_stdin=True, stdin=io.StringIO(""))
    assert read_passphrase(new=False, ask=lambda _prompt: "typed once") == "typed once"


def test_the_header_is_json_naming_what_the_backup_holds(tmp_path: Path):
    made = _made(tmp_path)
    header = json.loads(made.read_bytes().split(b"\n")[1])
    assert header["backend"] == "sqlite" and header["cipher"] == "AES-256-GCM"
    assert header["kdf"]["name"] == "scrypt" and len(header["sha256"]) == 64


@pytest.mark.postgres
def test_restoring_over_a_postgres_store_seals_the_old_one_aside(tmp_path: Path):
    from tests.helpers.backends import fresh_postgres_database

    with fresh_postgres_database() as url:
        store = Store(url)
        store.save("school", "pupil_profile", "P-1001", {"notes": SECRET}, "ann")
        made = make_backup(store, PHRASE, tmp_path / "b", "dpo")
        store.save("school", "pupil_profile", "P-2002", {"notes": "after the backup"}, "ann")
        store.close()
        with pytest.raises(BackupError, match="already holds a store"):
            restore(made, lambda: PHRASE, data=tmp_path / "d", url=url, by="dpo")
        said = restore(made, lambda: PHRASE, data=tmp_path / "d", url=url, replace=True,
                       by="dpo")
        aside = next((tmp_path / "d" / "backups").glob("before-restore-*.pkbackup"))
        assert str(aside) in said and SECRET.encode() not in aside.read_bytes()
        back = Store(url)
        assert back.get("school", "pupil_profile", "P-2002") is None
        assert back.get("school", "pupil_profile", "P-1001").data == {"notes": SECRET}
        assert back.verify_audit().intact
        back.close()
        header, _ = check_file(aside)
        assert header["backend"] == "postgresql" and header["schema"] >= 3
