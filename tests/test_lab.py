import json
import sys

import pytest

from partnerkit import lab, paths
from partnerkit.cli import main
from partnerkit.store import Store


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    folder = tmp_path / "shipped"
    folder.mkdir()
    (folder / "a.ipynb").write_text(json.dumps({"v": 1}))
    (folder / "b.ipynb").write_text(json.dumps({"v": 1}))
    monkeypatch.setattr(paths, "workbooks_dir", lambda: folder)
    return folder


def test_a_first_sync_copies_every_workbook(tmp_path, shipped):
    report = lab.sync_workbooks(tmp_path / "data")
    assert report.copied == ["a.ipynb", "b.ipynb"]
    assert (tmp_path / "data" / "workbooks" / "a.ipynb").read_text() == '{"v": 1}'


def test_a_newer_version_updates_unedited_copies_and_keeps_edited_ones(tmp_path, shipped):
    lab.sync_workbooks(tmp_path / "data")
    copy = tmp_path / "data" / "workbooks"
    (copy / "b.ipynb").write_text('{"v": "my edits"}')
    (shipped / "a.ipynb").write_text('{"v": 2}')
    (shipped / "b.ipynb").write_text('{"v": 2}')
    report = lab.sync_workbooks(tmp_path / "data")
    assert report.updated == ["a.ipynb"] and report.kept_edited == ["b.ipynb"]
    assert (copy / "a.ipynb").read_text() == '{"v": 2}'
    assert (copy / "b.ipynb").read_text() == '{"v": "my edits"}'
    assert (copy / "b.updated.ipynb").read_text() == '{"v": 2}'
    assert "b.updated.ipynb" in report.describe()


def test_edits_never_touch_the_shipped_workbooks(tmp_path, shipped):
    lab.sync_workbooks(tmp_path / "data")
    (tmp_path / "data" / "workbooks" / "a.ipynb").write_text("changed")
    assert (shipped / "a.ipynb").read_text() == '{"v": 1}'


def test_the_lab_command_opens_the_working_copy(tmp_path):
    command = lab.lab_command(tmp_path)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in command


@pytest.fixture
def no_jupyterlab(monkeypatch):
    """Record the JupyterLab command instead of running it."""
    started: list[list[str]] = []
    monkeypatch.setattr(lab.subprocess, "call",
                        lambda cmd, env, **options: started.append(cmd) or 0)
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL", raising=False)
    return started


@pytest.mark.parametrize("damage,what", [
    (b"", "is empty (0 bytes)"),
    (b"\x00" * 8192, "holds only zero bytes"),
    (b"\x89PNG\r\n\x1a\n" + b"\x01" * 300, "a PNG image"),
])
def test_a_damaged_store_stops_lab_before_it_starts(tmp_path, shipped, no_jupyterlab, capsys,
                                                    damage, what):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    store = data / "partnerkit.sqlite"
    store.write_bytes(damage)
    mtime = store.stat().st_mtime_ns
    assert main(["lab", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"partnerkit: error: store file {store}: ") and what in err
    assert "restore it from a backup, or move it aside" in err
    assert no_jupyterlab == [] and not (data / "workbooks").exists()
    assert store.read_bytes() == damage and store.stat().st_mtime_ns == mtime


def test_a_good_store_lets_lab_start(tmp_path, shipped, no_jupyterlab):
    Store(data=tmp_path / "data").close()
    assert lab.launch_lab(tmp_path / "data") == 0
    assert len(no_jupyterlab) == 1 and (tmp_path / "data" / "workbooks" / "a.ipynb").exists()
