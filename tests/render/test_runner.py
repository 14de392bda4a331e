"""Running targets on warm kernels: failures reported, kernels reused and replaced."""

from __future__ import annotations

import json

from partnerkit import render
from tests.helpers.left_on_disk import files_naming
from tests.render.conftest import DEMO_PUPILS, by_name, mode


def test_one_target_failing_does_not_stop_the_others(demo_data, tmp_path, fixtures):
    out = tmp_path / "reports"
    summary = render.render(fixtures["fails_for_one_pupil"], DEMO_PUPILS, "html", out, jobs=2,
                            data_dir=demo_data, progress=False)
    results = by_name(summary)
    assert [r.target.name for r in summary.results] == DEMO_PUPILS
    assert {n: r.status for n, r in results.items()} == {
        "P-1001": "written", "P-1002": "written", "P-1003": "failed", "P-1004": "written",
        "P-1005": "written"}
    failure = results["P-1003"].error
    assert failure.startswith("cell 7 ('if pupil == \"P-1003\":')")
    assert failure.endswith("ValueError: no map can be drawn for P-1003")
    assert summary.exit_status == 1
    for pupil in DEMO_PUPILS:
        notebook = out / "notebooks" / f"fails_for_one_pupil-{pupil}.ipynb"
        assert mode(notebook) == 0o600
        report = out / "html" / f"fails_for_one_pupil-{pupil}.html"
        assert report.exists() == (pupil != "P-1003")
    page = (out / "html" / "fails_for_one_pupil-P-1002.html").read_text(encoding="utf-8")
    assert "Pupil P-1002" in page and "Stage S1" in page
    assert mode(out / "html" / "fails_for_one_pupil-P-1002.html") == 0o600
    assert mode(out / "html") == 0o700 and mode(out / "notebooks") == 0o700
    assert mode(out / render.MANIFEST) == 0o600
    failed = json.loads((out / "notebooks" / "fails_for_one_pupil-P-1003.ipynb").read_text())
    errors = [o for c in failed["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors[0]["ename"] == "ValueError"
    assert failed["metadata"]["papermill"]["exception"] is True


def test_parameters_are_injected_after_the_parameters_cell(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    render.render(fixtures["clean_namespace"], ["P-1002"], "html", out, data_dir=demo_data,
                  workspace="demo", author="Ms Test", progress=False)
    nb = json.loads((out / "notebooks" / "clean_namespace-P-1002.ipynb").read_text())
    tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
    injected = tags.index(["injected-parameters"])
    assert tags[injected - 1] == ["parameters"]
    source = "".join(nb["cells"][injected]["source"])
    assert 'pupil = "P-1002"' in source and 'author = "Ms Test"' in source
    assert f'data_dir = "{demo_data}"' in source
    assert nb["metadata"]["papermill"]["parameters"]["pupil"] == "P-1002"
    assert all(c["metadata"]["papermill"]["status"] == "completed" for c in nb["cells"])


def test_a_report_that_fails_for_one_target_is_reported(demo_data, tmp_path, fixtures):
    notebook = tmp_path / "report_fails_for_one_pupil.ipynb"
    notebook.write_bytes(fixtures["clean_namespace"].read_bytes())
    summary = render.render(notebook, DEMO_PUPILS[2:], "html", tmp_path / "r",
                            data_dir=demo_data, progress=False)
    results = by_name(summary)
    assert results["P-1004"].status == "failed"
    assert results["P-1004"].error == ("the report could not be made: RuntimeError: the "
                                       "drawing for P-1004 is broken")
    assert results["P-1003"].status == results["P-1005"].status == "written"


def test_a_kernel_that_dies_is_restarted_for_the_next_targets(demo_data, tmp_path, fixtures):
    summary = render.render(fixtures["kernel_dies_for_one_pupil"], DEMO_PUPILS[:3], "html",
                            tmp_path / "r", jobs=1, data_dir=demo_data, progress=False)
    results = by_name(summary)
    assert results["P-1002"].status == "failed"
    assert results["P-1002"].error.startswith("the kernel stopped while running cell 6")
    assert results["P-1001"].status == results["P-1003"].status == "written"


def test_kernels_are_reused_with_a_clean_namespace(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    summary = render.render(fixtures["clean_namespace"], DEMO_PUPILS[:3], "html", out, jobs=1,
                            data_dir=demo_data, progress=False)
    assert [r.status for r in summary.results] == ["written"] * 3, summary.describe()
    pids = set()
    for pupil in DEMO_PUPILS[:3]:
        nb = json.loads((out / "notebooks" / f"clean_namespace-{pupil}.ipynb").read_text())
        pids.add(nb["cells"][-1]["outputs"][0]["data"]["text/plain"])
    assert len(pids) == 1  # one kernel ran all three, and saw no leftovers


def test_a_render_leaves_no_history_of_its_cells_on_disk(demo_data, tmp_path, fixtures,
                                                         monkeypatch):
    ipython = tmp_path / "ipython"
    monkeypatch.setenv("IPYTHONDIR", str(ipython))
    summary = render.render(fixtures["clean_namespace"], ["P-1002"], "html", tmp_path / "r",
                            data_dir=demo_data, workspace="demo", progress=False)
    assert summary.failed == []
    assert files_naming(ipython, "P-1002") == []
