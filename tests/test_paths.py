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


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    """Run with the commonest umask, which lets mkdir make folders others can read."""
    import os

    old = os.umask(0o022)
    yield
    os.umask(old)


def test_every_missing_level_of_a_private_folder_is_owner_only(tmp_path, umask_022):
    tmp_path.chmod(0o755)
    folder = paths.private_dir(tmp_path / "a" / "b" / "c")
    assert [_mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", folder)] == [0o700] * 3
    assert _mode(tmp_path) == 0o755, "a folder that was already there is not partnerkit's"


def test_a_private_folder_that_exists_is_returned_as_it_is(tmp_path):
    (tmp_path / "kept").mkdir(mode=0o750)
    assert paths.private_dir(tmp_path / "kept") == tmp_path / "kept"
    assert _mode(tmp_path / "kept") == 0o750


def test_a_file_in_the_way_of_a_private_folder_is_an_error(tmp_path):
    (tmp_path / "a").write_text("")
    with pytest.raises(FileExistsError):
        paths.private_dir(tmp_path / "a" / "b")


def test_a_private_file_in_missing_folders_makes_them_all_owner_only(tmp_path, umask_022):
    path = paths.private_file(tmp_path / "x" / "y" / "f.csv")
    assert (_mode(tmp_path / "x"), _mode(path.parent), _mode(path)) == (0o700, 0o700, 0o600)


def test_a_data_folder_others_can_read_is_tightened_and_said_once(tmp_path, caplog):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    with caplog.at_level("WARNING", logger="partnerkit.paths"):
        paths.data_dir(folder)
        paths.data_dir(folder)
    assert _mode(folder) == 0o700
    notes = [r.getMessage() for r in caplog.records]
    assert len(notes) == 1 and str(folder) in notes[0]
    assert "drwxr-xr-x" in notes[0] and "owner-only" in notes[0]


def test_a_data_folder_of_another_user_that_others_can_read_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "theirs"
    folder.mkdir()
    folder.chmod(0o755)
    monkeypatch.setattr(paths.os, "getuid", lambda: folder.stat().st_uid + 1)
    with pytest.raises(DataFolderError) as caught:
        paths.data_dir(folder, create=False)
    message = str(caught.value)
    assert message.startswith(f"data folder '{folder}': can be read by other users (drwxr")
    assert "belongs to someone else" in message and f"chmod 700 {folder}" in message
    assert _mode(folder) == 0o755, "another user's folder is left as it was"


def test_a_data_folder_on_a_disk_without_permissions_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "fat32"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setattr(paths.os, "chmod", lambda *_args, **_kw: None)
    with pytest.raises(DataFolderError, match="does not keep permissions"):
        paths.data_dir(folder)


def test_an_owner_only_data_folder_is_left_alone(tmp_path, caplog, monkeypatch):
    folder = paths.data_dir(tmp_path / "mine")
    monkeypatch.setattr(paths.os, "chmod", lambda *_a, **_k: pytest.fail("chmod again"))
    with caplog.at_level("WARNING", logger="partnerkit.paths"):
        assert paths.data_dir(folder) == folder
    assert caplog.records == []
