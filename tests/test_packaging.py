"""``pip install .`` (not only editable) ships the workbooks, templates and content."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
                    str(ROOT)], check=True, timeout=600)
    (built,) = out.glob("partnerkit-*.whl")
    return built


def test_the_wheel_ships_workbooks_templates_and_content(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_workbooks = {p.name for p in (ROOT / "workbooks").glob("*.ipynb")}
    assert shipped_workbooks, "no workbooks in the repository"
    for name in shipped_workbooks:
        assert f"partnerkit/workbooks/{name}" in names
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"partnerkit/templates/{template.name}" in names
    for data in (ROOT / "partnerkit" / "content").glob("*.yaml"):
        assert f"partnerkit/content/{data.name}" in names
    for guide in (ROOT / "docs").glob("*.md"):
        assert f"partnerkit/docs/{guide.name}" in names
    assert not any("conftest" in n or n.startswith("tests/") for n in names)


def test_the_installed_cli_works_from_any_folder(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--quiet", str(wheel)],
                   check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "from partnerkit import paths; print(paths.workbooks_dir()); "
                            "print(paths.templates_dir())"],
        capture_output=True, text=True, cwd=elsewhere, check=True, timeout=120)
    workbooks, templates = where.stdout.split()
    assert workbooks.startswith(str(venv)) and templates.startswith(str(venv))
    demo = subprocess.run([str(venv / "bin" / "partnerkit"), "demo", "--data", "d"],
                          capture_output=True, text=True, cwd=elsewhere, timeout=300)
    assert demo.returncode == 0, demo.stderr
    assert (elsewhere / "d" / "partnerkit.sqlite").exists()
