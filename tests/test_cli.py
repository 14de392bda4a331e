from __future__ import annotations

import shutil
import subprocess
import sys

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


def test_a_corrupt_store_is_one_line_and_left_untouched(tmp_path):
    (tmp_path / "partnerkit.sqlite").write_bytes(b"garbage" * 200)
    result = run_cli("demo", "--data", str(tmp_path))
    assert result.returncode == 2
    assert "backup" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "partnerkit.sqlite").read_bytes() == b"garbage" * 200


def test_no_command_prints_help_and_status_2(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("partnerkit") is None, reason="console script not installed")
def test_the_console_script_is_installed(tmp_path):
    result = subprocess.run(["partnerkit", "--version"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 0 and __version__ in result.stdout
