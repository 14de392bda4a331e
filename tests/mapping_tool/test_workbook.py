"""Tests of the mapping_tool workbook run as a notebook, for each demo pupil."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from partnerkit import mapping_tool
from partnerkit.paths import workbooks_dir
from partnerkit.store import Store


def outputs_of(nb, call: str):
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and call in c.source]
    return cell.outputs


def test_the_workbook_is_committed_thin_and_stripped():
    nb = nbformat.read(workbooks_dir() / "mapping_tool.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("data_dir = None", 'workspace = "demo"', "author = None", 'pupil = "P-1001"',
                 "names = False"):
        assert name in params[0].source
    assert nb.cells[0].cell_type == "markdown"


@pytest.mark.parametrize("pupil", ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"])
def test_the_workbook_draws_every_stored_connection_for_each_demo_pupil(
        demo_data: Path, run_workbook, kernel_env, pupil: str):
    nb = run_workbook("mapping_tool", pupil=pupil)
    store = Store(data=demo_data)
    count = len(mapping_tool.pupil_connections(store, "demo", pupil))
    store.close()
    (drawing,) = outputs_of(nb, "mapping_tool.ecomap_view(s)")
    assert drawing.data["image/png"]
    plural = "connection" if count == 1 else "connections"
    assert drawing.data["text/plain"] == f"<Ecomap of {pupil}: {count} {plural} drawn>"
    (words,) = outputs_of(nb, "mapping_tool.ecomap_text(s)")
    assert f"Ecomap for {pupil}: {count} {plural}" in words.data["text/html"]
    (table,) = outputs_of(nb, "mapping_tool.gaps_view(s)")
    assert "What is missing" in table.data["text/html"]
    assert "gap_type" not in table.data["text/html"]
    (summary,) = outputs_of(nb, "mapping_tool.summary_download(s)")
    encoded = re.search(r"base64,([^\"]+)\"", summary.data["text/html"]).group(1)
    page = base64.b64decode(encoded).decode("utf-8")
    assert page.count('id="connection-') == count
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert output.get("name") != "stderr" or "Warning" not in output.get("text", "")


def test_the_workbook_with_names_shows_the_real_name_only_then(demo_data: Path, run_workbook,
                                                               kernel_env):
    store = Store(data=demo_data)
    store.set_real_name("demo", "P-1001", "Jamie Example", "Ann")
    store.close()
    plain = run_workbook("mapping_tool")
    named = run_workbook("mapping_tool", names=True)

    def page(nb):
        (out,) = outputs_of(nb, "mapping_tool.summary_download(s)")
        encoded = re.search(r"base64,([^\"]+)\"", out.data["text/html"]).group(1)
        return base64.b64decode(encoded).decode("utf-8")

    assert "Jamie Example" not in page(plain)
    assert "Jamie Example" in page(named)
    (drawing,) = outputs_of(plain, "mapping_tool.ecomap_view(s)")
    assert "Jamie" not in drawing.data["text/plain"]


def test_the_workbook_gives_a_friendly_error_for_an_unknown_pupil(demo_data: Path,
                                                                  run_workbook, kernel_env):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        run_workbook("mapping_tool", pupil="P-4242")
    error = caught.value
    assert error.ename == "NotFoundError"
    assert "there is no pupil 'P-4242'" in error.evalue
    assert "P-1001, P-1002, P-1003, P-1004, P-1005" in error.evalue
    assert "partnerkit demo" in error.evalue
    store = Store(data=demo_data)
    assert "P-4242" not in mapping_tool.pupils(store, "demo"), "opening the form adds nothing"
    store.close()


def test_the_workbook_imports_the_wing_and_calls_it_one_call_per_cell():
    nb = nbformat.read(workbooks_dir() / "mapping_tool.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == "from partnerkit import mapping_tool, session"
    calls = [s for s in code[3:] if not s.startswith("s.done()")]
    assert all(re.fullmatch(r"mapping_tool\.\w+\((s)?\)", s) for s in calls), calls
    assert code[-1].startswith("s.done()")
