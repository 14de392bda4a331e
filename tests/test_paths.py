import stat

import pytest

from partnerkit import paths
from partnerkit.errors import DataFolderError


def test_the_argument_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERKIT_DATA", str(tmp_path / "env"))
    assert paths.data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert paths.data_dir() == tmp_path / "env"


def test_a_new_data_folder_is_owner_only(tmp_path):
    folder = paths.data_dir(tmp_path / "new")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_missing_folder_is_reported_when_not_to_be_created(tmp_path):
    with pytest.raises(DataFolderError, match="does not exist"):
        paths.data_dir(tmp_path / "missing", create=False)


def test_shipped_folders_are_found():
    assert (paths.templates_dir() / "base.html.j2").exists()
    assert paths.workbooks_dir().is_dir()
