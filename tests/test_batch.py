"""Batch rendering: kernels kept across targets, failures reported, changed-only, CLI."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from partnerkit import render as batch
from partnerkit.cli import main
from partnerkit.demo import DEMO_AUTHOR
from partnerkit.records import DirectoryEntry, PupilProfile, load_record, save_record
from partnerkit.render import registry as report_registry
from partnerkit.render.registry import ReportSpec
from partnerkit.store import open_store

NOTEBOOKS = Path(__file__).parent / "notebooks"
DEMO_PUPILS = ["P-1001", "P-1002", "P-1003", "P-1004", "P-1005"]


@pytest.fixture
def fixtures(monkeypatch):
    """Register the scenario notebooks' reports (built by tests/helpers/batch_pages.py)."""
    for name in ("fails_for_one_pupil", "clean_namespace", "kernel_dies_for_one_pupil"):
        monkeypatch.setitem(report_registry.REGISTRY, name,
                            ReportSpec(name, "pupil", "tests.helpers.batch_pages:pupil_page", "test page"))
    monkeypatch.setitem(report_registry.REGISTRY, "report_fails_for_one_pupil",
                        ReportSpec("report_fails_for_one_pupil", "pupil",
                                   "tests.helpers.batch_pages:page_fails_for_p1004", "test page"))
    return {name: NOTEBOOKS / f"{name}.ipynb"
            for name in ("fails_for_one_pupil", "clean_namespace", "kernel_dies_for_one_pupil")}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def by_name(summary: batch.RenderSummary) -> dict[str, batch.TargetResult]:
    return {r.target.name: r for r in summary.results}


# ------------------------------------------------------------------ failures


def test_one_target_failing_does_not_stop_the_others(demo_data, tmp_path, fixtures):
    out = tmp_path / "reports"
    summary = batch.render(fixtures["fails_for_one_pupil"], DEMO_PUPILS, "html", out, jobs=2,
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
    assert mode(out / batch.MANIFEST) == 0o600
    failed = json.loads((out / "notebooks" / "fails_for_one_pupil-P-1003.ipynb").read_text())
    errors = [o for c in failed["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors[0]["ename"] == "ValueError"
    assert failed["metadata"]["papermill"]["exception"] is True


def test_parameters_are_injected_after_the_parameters_cell(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    batch.render(fixtures["clean_namespace"], ["P-1002"], "html", out, data_dir=demo_data,
                 workspace="demo", author="Ms Test", progress=False)
    nb = json.loads((out / "notebooks" / "clean_namespace-P-1002.ipynb").read_text())
    tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
    injected = tags.index(["injected-parameters"])
    assert tags[injected - 1] == ["parameters"]
    source = "".join(nb["cells"][injected]["source"])
    assert 'pupil = "P-1002"' in source and 'author = "Ms Test"' in source
    assert f'data_dir = "{demo_data}"' in source
    assert nb["metadata"]["papermill"]["parameters"]["pupil"] == "P-1002"


def test_a_report_that_fails_for_one_target_is_reported(demo_data, tmp_path, fixtures):
    notebook = tmp_path / "report_fails_for_one_pupil.ipynb"
    notebook.write_bytes(fixtures["clean_namespace"].read_bytes())
    summary = batch.render(notebook, DEMO_PUPILS[2:], "html", tmp_path / "r",
                           data_dir=demo_data, progress=False)
    results = by_name(summary)
    assert results["P-1004"].status == "failed"
    assert results["P-1004"].error == ("the report could not be made: RuntimeError: the "
                                       "drawing for P-1004 is broken")
    assert results["P-1003"].status == results["P-1005"].status == "written"


def test_a_kernel_that_dies_is_restarted_for_the_next_targets(demo_data, tmp_path, fixtures):
    summary = batch.render(fixtures["kernel_dies_for_one_pupil"], DEMO_PUPILS[:3], "html",
                           tmp_path / "r", jobs=1, data_dir=demo_data, progress=False)
    results = by_name(summary)
    assert results["P-1002"].status == "failed"
    assert results["P-1002"].error.startswith("the kernel stopped while running cell 6")
    assert results["P-1001"].status == results["P-1003"].status == "written"


def test_kernels_are_reused_with_a_clean_namespace(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    summary = batch.render(fixtures["clean_namespace"], DEMO_PUPILS[:3], "html", out, jobs=1,
                           data_dir=demo_data, progress=False)
    assert [r.status for r in summary.results] == ["written"] * 3, summary.describe()
    pids = set()
    for pupil in DEMO_PUPILS[:3]:
        nb = json.loads((out / "notebooks" / f"clean_namespace-{pupil}.ipynb").read_text())
        pids.add(nb["cells"][-1]["outputs"][0]["data"]["text/plain"])
    assert len(pids) == 1  # one kernel ran all three, and saw no leftovers


# ------------------------------------------------------------- changed only


def test_changed_only_skips_what_has_not_changed(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    pupils = DEMO_PUPILS[:3]

    def run(formats="html"):
        return by_name(batch.render(fixtures["clean_namespace"], pupils, formats, out, jobs=1,
                                    changed_only=True, data_dir=demo_data, progress=False))

    assert {r.status for r in run().values()} == {"written"}
    notebook = out / "notebooks" / "clean_namespace-P-1001.ipynb"
    before = notebook.stat().st_mtime_ns
    again = run()
    assert {r.status for r in again.values()} == {"unchanged"}
    assert notebook.stat().st_mtime_ns == before

    store = open_store(demo_data)
    profile = load_record(store, "demo", PupilProfile, "P-1002")
    save_record(store, "demo", profile.model_copy(update={"stage": "S6"}), DEMO_AUTHOR)
    after_pupil_change = run()
    assert {n: r.status for n, r in after_pupil_change.items()} == {
        "P-1001": "unchanged", "P-1002": "written", "P-1003": "unchanged"}
    assert "Stage S6" in (out / "html" / "clean_namespace-P-1002.html").read_text()

    save_record(store, "demo", DirectoryEntry(organisation="New partner", offers="Help"),
                DEMO_AUTHOR)
    store.close()
    assert {r.status for r in run().values()} == {"written"}  # shared records touch all
    assert {r.status for r in run("html,docx").values()} == {"written"}  # a new format
    assert {r.status for r in run("docx").values()} == {"unchanged"}


def test_changed_only_always_retries_a_failed_target(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    for _ in range(2):
        summary = batch.render(fixtures["fails_for_one_pupil"], DEMO_PUPILS[1:3], "html", out,
                               jobs=1, changed_only=True, data_dir=demo_data, progress=False)
    assert {n: r.status for n, r in by_name(summary).items()} == {
        "P-1002": "unchanged", "P-1003": "failed"}


def test_store_changes_are_filed_under_each_pupil(store):
    save_record(store, "school", PupilProfile(pupil="P-1"), "a")
    save_record(store, "school", PupilProfile(pupil="P-2"), "a")
    before = batch.store_changes(store, "school")
    save_record(store, "school", PupilProfile(pupil="P-2", stage="S1"), "a")
    after = batch.store_changes(store, "school")
    assert before["P-1"] == after["P-1"] and before["P-2"] != after["P-2"]


# ----------------------------------------------------------------- the CLI


def test_cli_prints_the_summary_and_exits_1_when_a_target_failed(demo_data, tmp_path,
                                                                 fixtures, capsys):
    status = main(["render", str(fixtures["fails_for_one_pupil"]), "--data", str(demo_data),
                   "--all-pupils", "--out", str(tmp_path / "out"), "--jobs", "2"])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.out.startswith("fails_for_one_pupil: 4 written, 1 failed, 0 unchanged, "
                                   "of 5 (formats html;")
    assert ("FAILED     P-1003: cell 7 ('if pupil == \"P-1003\":'): ValueError: no map can be "
            "drawn for P-1003") in captured.out
    assert "written    P-1005:" in captured.out
    assert "Rendering fails_for_one_pupil" in captured.err  # the progress bar


def test_cli_exits_0_when_everything_was_written(demo_data, tmp_path, fixtures, capsys):
    status = main(["render", str(fixtures["clean_namespace"]), "--data", str(demo_data),
                   "--pupil", "P-1001", "P-1005", "--out", str(tmp_path / "out"),
                   "--format", "html,docx"])
    assert status == 0, capsys.readouterr()
    assert (tmp_path / "out" / "docx" / "clean_namespace-P-1005.docx").exists()


@pytest.mark.parametrize("args,expected", [
    (["no_such_book", "--all-pupils"],
     ["workbook 'no_such_book': is not a workbook", "mapping_tool", "six_steps"]),
    (["mapping_tool", "--pupil", "P-9999"],
     ["--pupil 'P-9999': is not a pupil in workspace 'demo'", "P-1001, P-1002"]),
    (["six_steps", "--step", "9"], ["--step 9: is not one of the six steps", "1 to 6"]),
    (["six_steps", "--step", "abc"], ["--step 'abc': is not a step number", "1 to 6"]),
    (["six_steps", "--step", "0"], ["--step 0: is not one of the six steps"]),
    (["mapping_tool", "--all-pupils", "--format", "html,odt"],
     ["--format 'odt': is not a report format", "html,docx,pdf"]),
    (["mapping_tool", "--step", "1"], ["does not apply", "--pupil REF or --all-pupils"]),
    (["mapping_tool"], ["say which", "--pupil REF or --all-pupils"]),
    (["mapping_tool", "--all-pupils", "--workspace", "nope"],
     ["--workspace 'nope': is not a workspace", "demo"]),
    (["mapping_tool", "--all-pupils", "--jobs", "0"], ["--jobs 0", "use 1 or more"]),
])
def test_bad_input_is_one_line_naming_the_value_and_the_fix(demo_data, tmp_path, capsys,
                                                           args, expected):
    status = main(["render", *args, "--data", str(demo_data), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1, err
    for text in expected:
        assert text in err
    assert not (tmp_path / "o" / "notebooks").exists()


def test_an_output_folder_that_cannot_be_written_is_refused(demo_data, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    status = main(["render", "mapping_tool", "--all-pupils", "--data", str(demo_data),
                   "--out", str(blocker / "reports")])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert f"output folder '{blocker / 'reports'}': cannot be written" in err
    assert "pass --out with a folder you can write to" in err


def test_a_missing_report_function_is_a_clear_error(demo_data, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(report_registry.REGISTRY, "mapping_tool",
                        ReportSpec("mapping_tool", "pupil", "partnerkit.mapping_tool:not_yet",
                                   "pupil partnership pack"))
    status = main(["render", "mapping_tool", "--all-pupils", "--data", str(demo_data),
                   "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2
    assert "partnerkit.mapping_tool has no function not_yet() yet" in err


def test_help_says_where_the_files_go(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "OUT/<format>/<workbook>-<target>.<ext>" in out and "--changed-only" in out


@pytest.mark.parametrize("values,expected", [
    (None, ["html"]), ("pdf", ["pdf"]), (["html,docx", "pdf", "HTML"], ["html", "docx", "pdf"]),
    (" docx , .pdf ", ["docx", "pdf"]),
])
def test_formats_are_parsed(values, expected):
    assert batch.parse_formats(values) == expected


def test_target_names_are_safe_file_names():
    assert batch.slug("P-1001") == "P-1001"
    odd = batch.slug("Ms O'Neil / ../etc")
    assert "/" not in odd and ".." not in odd and odd.startswith("Ms-O-Neil-etc-")
    assert batch.slug("Ms O'Neil") != batch.slug("Ms O Neil")


# ------------------------------------------------------------ real workbooks


def test_every_demo_pupil_gets_a_pack_in_every_format(demo_data, tmp_path):
    out = tmp_path / "reports"
    summary = batch.run_command("mapping_tool", data=str(demo_data), all_pupils=True,
                                formats=["html,docx,pdf"], out=str(out), progress=False)
    assert summary.exit_status == 0, summary.describe()
    assert [r.target.name for r in summary.written] == DEMO_PUPILS
    for pupil in DEMO_PUPILS:
        html = (out / "html" / f"mapping_tool-{pupil}.html").read_text(encoding="utf-8")
        assert pupil in html
        document = docx.Document(out / "docx" / f"mapping_tool-{pupil}.docx")
        text = "\n".join(p.text for p in document.paragraphs)
        assert pupil in text and "Workspace: demo" in text
        assert len(document.inline_shapes) >= 1  # the ecomap
        reader = PdfReader(io.BytesIO((out / "pdf" / f"mapping_tool-{pupil}.pdf").read_bytes()))
        assert pupil in reader.pages[0].extract_text().replace("\x00", "")
        for fmt in ("html", "docx", "pdf"):
            assert mode(out / fmt / f"mapping_tool-{pupil}.{fmt}") == 0o600
    assert "Mum" in (out / "html" / "mapping_tool-P-1001.html").read_text(encoding="utf-8")


def test_a_step_workbook_renders_per_step(demo_data, tmp_path):
    summary = batch.run_command("six_steps", data=str(demo_data), steps=["2"],
                                out=str(tmp_path / "r"), progress=False)
    assert summary.exit_status == 0, summary.describe()
    assert [r.target.name for r in summary.written] == ["step-2"]
    assert (tmp_path / "r" / "html" / "six_steps-step-2.html").exists()


def test_real_names_appear_only_when_asked_for(demo_data, tmp_path):
    store = open_store(demo_data)
    store.set_real_name("demo", "P-1002", "Jan Kowalski-Test", DEMO_AUTHOR)
    store.close()
    plain = batch.run_command("mapping_tool", data=str(demo_data), pupils=["P-1002"],
                              out=str(tmp_path / "plain"), progress=False)
    named = batch.run_command("mapping_tool", data=str(demo_data), pupils=["P-1002"],
                              names=True, out=str(tmp_path / "named"), progress=False)
    assert plain.exit_status == named.exit_status == 0
    assert "Jan Kowalski-Test" not in (tmp_path / "plain" / "html" /
                                       "mapping_tool-P-1002.html").read_text(encoding="utf-8")
    assert "Jan Kowalski-Test" in (tmp_path / "named" / "html" /
                                   "mapping_tool-P-1002.html").read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "named" / "html").iterdir()] == [
        "mapping_tool-P-1002.html"]  # file names keep the reference


# ------------------------------------------------------------ inside a kernel


def test_a_report_the_workbook_built_is_not_built_twice(monkeypatch, store):
    import sys
    import types

    import comm

    calls = []
    module = types.ModuleType("pk_fake_feature")

    def page(store, workspace, pupil, names=False, content=None):
        calls.append(pupil)
        return f"<p>{pupil}</p>"

    module.page = page
    monkeypatch.setitem(sys.modules, "pk_fake_feature", module)
    monkeypatch.setattr(comm, "create_comm", comm.create_comm)
    monkeypatch.setattr(batch, "_REPORT_MEMO", {})
    batch.kernel_setup("pk_fake_feature:page")
    same_store = type(store)(str(store.url))
    assert module.page(store, "school", "P-1") == "<p>P-1</p>"  # the workbook's call
    assert module.page(same_store, "school", "P-1", names=False) == "<p>P-1</p>"  # the report
    assert calls == ["P-1"]
    module.page(store, "school", "P-1", names=True)
    module.page(store, "school", "P-1", content=object())  # not a plain value: not kept
    assert calls == ["P-1", "P-1", "P-1"]
    batch.kernel_reset(str(Path.cwd()))
    module.page(store, "school", "P-1")
    assert calls == ["P-1", "P-1", "P-1", "P-1"]
    assert comm.create_comm(target_name="x").__class__.__name__ == "DummyComm"
    same_store.close()
