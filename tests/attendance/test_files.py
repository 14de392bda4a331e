"""Which files the attendance workbook reads: those given, or the workspace's own."""

from __future__ import annotations

import pytest

from partnerkit import attendance as A
from partnerkit.errors import InputFileError


def test_files_given_by_path_are_used_as_given(tmp_path):
    files = A.input_files(tmp_path, "school", tmp_path / "x.csv")
    assert files == {"attendance": tmp_path / "x.csv", "pupils": None, "stretch_aims": None}


def test_the_workspace_folder_is_used_and_optional_files_may_be_missing(tmp_path):
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "attendance_marks.csv").write_text("pupil,possible,attended\nA,1,1\n")
    files = A.input_files(tmp_path, "school")
    assert files == {"attendance": folder / "attendance_marks.csv", "pupils": None,
                     "stretch_aims": None}
    (folder / "pupils.csv").write_text("pupil\nA\n")
    assert A.input_files(tmp_path, "school")["pupils"] == folder / "pupils.csv"
    assert A.input_files(tmp_path, "school", pupils_file="mine.csv")["pupils"].name == \
        "mine.csv"


def test_no_export_names_every_file_looked_for(tmp_path):
    with pytest.raises(InputFileError) as info:
        A.input_files(tmp_path, "school")
    for name in A.FILES.values():
        assert str(tmp_path / "school" / name) in str(info.value)


@pytest.mark.parametrize("workspace", ["../etc", "..", "a/b", "", ".hidden"])
def test_a_workspace_name_that_is_no_folder_name_is_refused(tmp_path, workspace):
    with pytest.raises(InputFileError, match="attendance_file="):
        A.input_files(tmp_path, workspace)
