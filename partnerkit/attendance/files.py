"""Which files the attendance workbook and its report read: those given, or the workspace's own.

A workspace keeps its attendance files in its own folder of the data folder::

    <data folder>/<workspace>/attendance_marks.csv   the export (marks or totals)
    <data folder>/<workspace>/pupils.csv             characteristics (optional)
    <data folder>/<workspace>/stretch_aims.csv       the trajectory (optional)

``partnerkit demo`` writes a fictional school's files into the demo workspace's folder
(``<data folder>/demo/``), so the demo workspace shows the demo school and no other
workspace ever does. Files given by path always win; when no export is given and the
workspace has none, :func:`input_files` says so plainly, naming the files it looked for,
instead of showing anything else.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from partnerkit.errors import InputFileError
from partnerkit.paths import data_dir as resolve_data_dir

PathLike = str | os.PathLike[str]
#: The file names of a workspace's attendance files, by role.
FILES = {"attendance": "attendance_marks.csv", "pupils": "pupils.csv",
         "stretch_aims": "stretch_aims.csv"}
_FOLDER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def workspace_folder(data_dir: PathLike | None, workspace: str) -> Path:
    """The folder of the data folder that holds a workspace's attendance files.

    Raises :class:`InputFileError` when the workspace's name cannot be a folder name
    (then its files must be given by path).
    """
    if not _FOLDER_NAME.fullmatch(workspace or "") or set(workspace) == {"."}:
        raise InputFileError("the workspace name cannot be used as a folder name, so its "
                             "attendance files cannot be found by name", value=workspace,
                             fix="pass attendance_file= (and pupils_file=) with the paths "
                                 "of your export and pupils file")
    return resolve_data_dir(data_dir) / workspace


def input_files(data_dir: PathLike | None, workspace: str,
                attendance_file: PathLike | None = None, pupils_file: PathLike | None = None,
                stretch_aims_file: PathLike | None = None) -> dict[str, Path | None]:
    """The files to read: keys ``attendance``, ``pupils``, ``stretch_aims``.

    Files given by path are used as given. When no attendance export is given, the
    workspace's own files are used (see the module notes): the export must be there, the
    pupils file and stretch aims are used when present (``None`` when not). Raises
    :class:`InputFileError` naming every file looked for when the export is not there.
    """
    given = {"attendance": attendance_file, "pupils": pupils_file,
             "stretch_aims": stretch_aims_file}
    if attendance_file is not None:
        return {key: Path(value) if value else None for key, value in given.items()}
    folder = workspace_folder(data_dir, workspace)
    own = {key: folder / name for key, name in FILES.items()}
    if not own["attendance"].is_file():
        raise InputFileError(
            f"no attendance export was given, and workspace {workspace!r} has none in the "
            f"data folder (looked for {own['attendance']})", file=FILES["attendance"],
            value=str(own["attendance"]),
            fix=f"pass attendance_file= (and pupils_file=, stretch_aims_file=) with your "
                f"files' paths, or save them as {own['attendance']}, {own['pupils']} and "
                f"{own['stretch_aims']}; for the fictional demo school run 'partnerkit demo' "
                "and use the workspace 'demo'")
    return {key: Path(given[key]) if given[key] else
            (own[key] if own[key].is_file() else None) for key in FILES}
