from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from partnerkit import __version__
from partnerkit.cli import main
from partnerkit.store import Store


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "partnerkit", *args], capture_output=True,
                          text=True, timeout=120)


def test_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "demo" in result.stdout


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_fills_a_data_folder(tmp_path):
    result = run_cli("demo", "--data", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert "P-1001" in result.stdout
    store = Store(data=tmp_path / "d")
    assert store.workspaces() == {"demo": "Glenbrae High School (fictional)"}
    assert len(store.list("demo", "pupil_profile")) == 5


def test_demo_reads_the_data_folder_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PARTNERKIT_DATA", str(tmp_path / "env"))
    assert main(["demo"]) == 0
    assert (tmp_path / "env" / "partnerkit.sqlite").exists()


@pytest.mark.parametrize("args,expected", [
    (["demo", "--bogus"], "unrecognized arguments: --bogus"),
    (["nonsense"], "invalid choice: 'nonsense'"),
])
def test_a_bad_argument_is_one_line_with_status_2(args, expected):
    result = run_cli(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "--help" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_data_folder_that_cannot_be_written_is_one_line_with_status_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("demo", "--data", str(blocker / "sub"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(blocker / "sub") in lines[0] and "--data" in lines[0]


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.close()


def _newer_store(path: Path) -> None:
    Store(data=path.parent).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.close()


DAMAGE = {
    "empty": (lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    "zeroed": (lambda p: p.write_bytes(b"\x00" * 16384), "holds only zero bytes"),
    "truncated": (lambda p: p.write_bytes(b"SQLite format 3\x00\x10\x00" + b"\x01" * 300),
                  "is cut short"),
    "png": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 500), "a PNG image"),
    "text": (lambda p: p.write_text("hello\n" * 100), "it looks like text"),
    "foreign sqlite": (_foreign_sqlite, "not a partnerkit store (its tables: photos)"),
    "newer": (_newer_store, "was written by a newer partnerkit"),
}


def _damaged(tmp_path: Path, kind: str) -> tuple[Path, Path, tuple[bytes, int]]:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    store = folder / "partnerkit.sqlite"
    DAMAGE[kind][0](store)
    os.utime(store, (1_600_000_000, 1_600_000_000))
    return folder, store, (store.read_bytes(), store.stat().st_mtime_ns)


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_store_is_one_line_with_status_2_and_left_untouched(tmp_path, capsys, kind):
    folder, store, before = _damaged(tmp_path, kind)
    assert main(["demo", "--data", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"partnerkit: error: store {'file ' if kind != 'newer' else ''}"
                          f"{store}")
    assert DAMAGE[kind][1] in err
    assert ("restore it from a backup" if kind != "newer" else "upgrade partnerkit") in err
    assert (store.read_bytes(), store.stat().st_mtime_ns) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


COMMANDS = {
    "demo": ["demo"],
    "render": ["render", "mapping_tool", "--pupil", "P-1001"],
    "serve": ["serve", "--port", "PORT"],
    "lab": ["lab"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_that_opens_the_store_refuses_a_damaged_one(tmp_path, command):
    folder, store, before = _damaged(tmp_path, "empty")
    args = [str(_free_port()) if a == "PORT" else a for a in COMMANDS[command]]
    result = run_cli(*args, "--data", str(folder))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0] == (f"partnerkit: error: store file {store}: is empty (0 bytes), so it "
                        "holds no store (a full disk or a failed copy leaves a file like "
                        "this); it was left as it is; restore it from a backup, or move it "
                        "aside to start a new store")
    assert (store.read_bytes(), store.stat().st_mtime_ns) == before
    assert sorted(p.name for p in folder.iterdir()) == ["partnerkit.sqlite"]


def test_no_command_prints_help_and_status_2(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("partnerkit") is None, reason="console script not installed")
def test_the_console_script_is_installed(tmp_path):
    result = subprocess.run(["partnerkit", "--version"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout
