"""The attendance workbook runs on the demo data folder."""

from __future__ import annotations

from partnerkit.demo.attendance import write_demo_files


def test_the_workbook_runs_on_the_demo_files(tmp_path, monkeypatch, kernel_env):
    import nbformat
    import papermill as pm

    from partnerkit.paths import workbooks_dir

    write_demo_files(tmp_path / "data" / "demo", ["P-1001", "P-1002"])
    monkeypatch.setenv("PARTNERKIT_DATA", str(tmp_path / "data"))
    source = workbooks_dir() / "attendance.ipynb"
    committed = nbformat.read(source, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in committed.cells if c.cell_type == "code")
    out = tmp_path / "attendance-out.ipynb"
    pm.execute_notebook(str(source), str(out), parameters={"threshold": 0.9},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    done = nbformat.read(out, as_version=4)
    outputs = [o for c in done.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 5
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "mapping_tool.ipynb?pupil=P-1001&amp;workspace=demo" in html


