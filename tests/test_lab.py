import json
import sys

import pytest

from partnerkit import lab, paths


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
