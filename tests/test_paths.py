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


def test_a_private_file_is_made_owner_only_in_an_owner_only_folder(tmp_path):
    path = paths.private_file(tmp_path / "new" / "store.sqlite")
    assert path.read_bytes() == b""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_readable_file_is_tightened_and_kept(tmp_path):
    path = tmp_path / "shared.sqlite"
    path.write_bytes(b"kept")
    path.chmod(0o644)
    paths.private_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b"kept"
