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


class Started(list):
    """The JupyterLab commands started, and the environment of the last one."""

    env: dict[str, str] | None = None


@pytest.fixture
def no_jupyterlab(monkeypatch):
    """Record the JupyterLab command (and its environment, as ``.env``) instead of running it."""
    started = Started()

    def call(cmd, env, **options):
        started.append(cmd)
        started.env = env
        return 0

    monkeypatch.setattr(lab.subprocess, "call", call)
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


# ---------------------------------------------------------- who the notebooks act as


@pytest.fixture
def with_accounts(tmp_path, monkeypatch, fast_hashing):
    """A store with one account (ann, practitioner), no login linked, no account set."""
    from partnerkit import accounts

    monkeypatch.delenv("PARTNERKIT_ACCOUNT", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = Store(data=tmp_path / "data")
    store.ensure_workspace("school")
    accounts.add_user(store, "ann", "Ann Practitioner", "practitioner", "school", by="test",
                      password="a long enough password")
    store.close()
    return tmp_path / "data"


def test_lab_as_an_account_gives_its_kernels_that_account(with_accounts, shipped, no_jupyterlab,
                                                          capsys):
    assert main(["lab", "--data", str(with_accounts), "--as", "ann"]) == 0
    assert no_jupyterlab.env["PARTNERKIT_ACCOUNT"] == "ann"
    assert "act as ann (Ann Practitioner)" in capsys.readouterr().out


def test_lab_as_an_unknown_account_stops_before_jupyterlab(with_accounts, shipped,
                                                           no_jupyterlab, capsys):
    assert main(["lab", "--data", str(with_accounts), "--as", "ghost"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "'ghost': there is no such account" in err
    assert no_jupyterlab == []


def test_lab_without_an_account_says_how_to_choose_one(with_accounts, shipped, no_jupyterlab,
                                                       capsys, monkeypatch):
    assert main(["lab", "--data", str(with_accounts)]) == 2
    assert "partnerkit users link" in capsys.readouterr().err and no_jupyterlab == []
    monkeypatch.setenv("PARTNERKIT_ACCOUNT", "ann")
    assert main(["lab", "--data", str(with_accounts)]) == 0
    assert no_jupyterlab.env["PARTNERKIT_ACCOUNT"] == "ann"


def test_lab_on_a_store_without_accounts_is_the_login_users(tmp_path, shipped, no_jupyterlab,
                                                            capsys, monkeypatch):
    from partnerkit.accounts import login_name

    monkeypatch.delenv("PARTNERKIT_ACCOUNT", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert main(["lab", "--data", str(tmp_path / "data")]) == 0
    assert f"act as {login_name()}" in capsys.readouterr().out
    assert "PARTNERKIT_ACCOUNT" not in no_jupyterlab.env
