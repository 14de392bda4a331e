"""Owner-only everywhere: every folder partnerkit makes is 0700, every file it writes 0600.

Each door runs under umask 022 (the commonest, which lets a plain ``mkdir`` make folders
anyone on the machine can list), then the data folder and the door's output folders are
walked. Output folders are asked for two levels deep, so missing parents are made too.
The doors share one demo data folder, made once by ``partnerkit demo`` for this module.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from partnerkit import cli
from partnerkit.demo import DEMO_AUTHOR, DEMO_WORKSPACE

OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600


def loose_entries(*folders: Path) -> list[str]:
    """Every folder (the given ones included) not 0700 and file not 0600, with its mode."""
    found = []
    for top in folders:
        for dirpath, _dirs, files in os.walk(top):
            entries = [(Path(dirpath), OWNER_ONLY_DIR)]
            entries += [(Path(dirpath) / f, OWNER_ONLY_FILE) for f in files]
            for path, wanted in entries:
                mode = stat.S_IMODE(path.lstat().st_mode)
                if mode != wanted:
                    found.append(f"{path} is {mode:o}, not {wanted:o}")
    assert found or any(Path(t).is_dir() for t in folders), "nothing was walked"
    return found


@pytest.fixture(scope="module", autouse=True)
def umask_022():
    """The doors run, and their kernels start, under umask 022."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("doors")
    folder.chmod(0o755)  # a shared parent: not partnerkit's, left as it is
    return folder


@pytest.fixture(scope="module")
def data(root: Path) -> Path:
    """``partnerkit demo`` into a data folder two missing levels deep."""
    folder = root / "school" / "data"
    assert cli.main(["demo", "--data", str(folder)]) == 0
    return folder


def test_partnerkit_demo_writes_owner_only(root: Path, data: Path):
    demo_files = {p.name for p in (data / DEMO_WORKSPACE).iterdir()}
    assert demo_files >= {"attendance_marks.csv", "pupils.csv", "stretch_aims.csv"}
    assert (data / "partnerkit.sqlite").is_file()
    assert loose_entries(root / "school") == []
    assert stat.S_IMODE(root.stat().st_mode) == 0o755


RENDERS = {
    "pupil": ["mapping_tool", "--pupil", "P-1001"],
    "step": ["six_steps", "--step", "2"],
    "author": ["reflective_log", "--author", DEMO_AUTHOR],
    "workspace": ["principles"],
}


@pytest.mark.parametrize("kind", list(RENDERS))
def test_partnerkit_render_writes_owner_only(root: Path, data: Path, kind: str, capsys):
    out = root / f"out-{kind}" / "reports"
    status = cli.main(["render", *RENDERS[kind], "--data", str(data), "--format",
                       "html,pdf,docx", "--out", str(out), "--jobs", "1"])
    assert status == 0, capsys.readouterr()
    assert {p.suffix for p in out.rglob("*.*")} >= {".html", ".pdf", ".docx", ".ipynb"}
    assert loose_entries(root / f"out-{kind}", data) == []


def test_a_workbook_run_by_papermill_writes_owner_only(root: Path, data: Path, run_workbook,
                                                      monkeypatch):
    monkeypatch.setenv("PARTNERKIT_DATA", str(data))
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL", raising=False)
    _remove(data / "reports")
    run_workbook("mapping_tool", pupil="P-1002")
    assert (data / "reports" / "map-summary-P-1002.html").exists()
    assert loose_entries(data) == []


def test_the_lab_working_copy_is_owner_only_and_so_is_what_lab_saves(data: Path,
                                                                      monkeypatch):
    from partnerkit import lab

    started = {}
    monkeypatch.setattr(lab.subprocess, "call",
                        lambda command, **options: started.update(options) or 0)
    assert lab.launch_lab(data) == 0  # syncs the working copy; the server is not started
    assert (data / "workbooks" / "mapping_tool.ipynb").is_file()
    assert loose_entries(data) == []
    assert started["umask"] == 0o077, "JupyterLab saves notebooks and folders owner-only"


def test_the_exports_and_the_summary_download_write_owner_only(root: Path, data: Path):
    from partnerkit.mapping_tool.directory_export import export_directory_csv
    from partnerkit.mapping_tool.views import summary_download
    from partnerkit.reflective_log.report import export_log
    from partnerkit.session import Session
    from partnerkit.store import open_store

    exports = root / "exports" / "spring"
    _remove(data / "reports")
    store = open_store(data)
    try:
        export_directory_csv(store, DEMO_WORKSPACE, exports / "directory" / "directory.csv")
        written = export_log(store, DEMO_WORKSPACE, DEMO_AUTHOR, exports / "log")
        session = Session(store=store, workspace=DEMO_WORKSPACE, author=DEMO_AUTHOR,
                          data_dir=data, params={"pupil": "P-1003"})
        summary_download(session)
    finally:
        store.close()
    assert sorted(written) == ["docx", "html", "pdf"]
    assert (data / "reports" / "map-summary-P-1003.html").exists()
    assert loose_entries(root / "exports", data) == []


def test_the_cli_tightens_a_data_folder_others_can_read_and_says_so_once(data: Path, caplog,
                                                                         tmp_path):
    data.chmod(0o755)
    command = ["render", "mapping_tool", "--data", str(data), "--pupil", "P-9999",
               "--out", str(tmp_path / "r")]
    notes = []
    for _ in range(2):
        caplog.clear()
        with caplog.at_level("WARNING", logger="partnerkit.paths"):
            assert cli.main(command) == 2  # no such pupil: stops before any notebook runs
        notes.append([r.getMessage() for r in caplog.records if r.name == "partnerkit.paths"])
    assert [len(n) for n in notes] == [1, 0]
    assert str(data) in notes[0][0] and "drwxr-xr-x" in notes[0][0]
    assert "owner-only" in notes[0][0]
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def _remove(folder: Path) -> None:
    """Remove a folder an earlier door made, so this door has to make it again."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
