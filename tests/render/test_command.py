"""``partnerkit render`` from the command line, and real workbooks rendered end to end."""

from __future__ import annotations

import dataclasses
import io

import docx
import pytest
from pypdf import PdfReader

from partnerkit import catalog, render
from partnerkit.cli import main
from partnerkit.demo import DEMO_AUTHOR, DEMO_SCHOOL, DEMO_WORKSPACE
from partnerkit.errors import NotFoundError, PupilReferenceError, StepError
from partnerkit.records.sharing import sharing_log
from partnerkit.store import open_store
from tests.render.conftest import DEMO_PUPILS, mode

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
    (["mapping_tool", "--pupil", "Jan Kowalski"],
     ["--pupil 'Jan Kowalski': is not a pupil reference", "pseudonymous"]),
    (["six_steps", "--step", "9"], ["--step '9': is not one of the six steps", "1 to 6"]),
    (["six_steps", "--step", "abc"], ["--step 'abc': is not one of the six steps", "1 to 6"]),
    (["six_steps", "--step", "0"], ["--step '0': is not one of the six steps"]),
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


@pytest.mark.parametrize("kwargs,error", [
    ({"pupils": ["Jan Kowalski"]}, PupilReferenceError),
    ({"pupils": ["P-9999"]}, NotFoundError),
])
def test_a_bad_pupil_raises_the_class_every_door_raises(demo_data, tmp_path, kwargs, error):
    with pytest.raises(error, match="--pupil"):
        render.run_command("mapping_tool", data=str(demo_data), out=str(tmp_path), **kwargs)


def test_a_bad_step_raises_the_step_error(demo_data, tmp_path):
    with pytest.raises(StepError, match="--step"):
        render.run_command("six_steps", data=str(demo_data), steps=["7"], out=str(tmp_path))


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
    rows = tuple(dataclasses.replace(w, builder="partnerkit.mapping_tool:not_yet")
                 if w.name == "mapping_tool" else w for w in catalog.WORKBOOKS)
    monkeypatch.setattr(catalog, "WORKBOOKS", rows)
    status = main(["render", "mapping_tool", "--all-pupils", "--data", str(demo_data),
                   "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert "workbook 'mapping_tool' cannot be rendered: the pupil partnership pack" in err
    assert "partnerkit.mapping_tool has no function not_yet() yet" in err


def _damaged_data(tmp_path):
    folder = tmp_path / "damaged"
    folder.mkdir(mode=0o700)
    store = folder / "partnerkit.sqlite"
    store.write_bytes(b"")  # what a full disk or a failed copy leaves
    return folder, store, store.stat().st_mtime_ns


def test_a_damaged_store_stops_the_command_with_its_one_line(tmp_path, capsys):
    folder, store, mtime = _damaged_data(tmp_path)
    status = main(["render", "mapping_tool", "--pupil", "P-1001", "--data", str(folder),
                   "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"partnerkit: error: store file {store}: is empty (0 bytes)")
    assert "restore it from a backup, or move it aside" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "notebooks").exists()
    assert store.read_bytes() == b"" and store.stat().st_mtime_ns == mtime


def test_a_damaged_store_fails_every_target_with_its_message(tmp_path):
    folder, store, mtime = _damaged_data(tmp_path)
    summary = render.render("mapping_tool", ["P-1001", "P-1002"], out_dir=tmp_path / "o",
                            data_dir=folder, workspace="demo", progress=False)
    assert summary.exit_status == 1 and not summary.written
    assert [r.target.name for r in summary.failed] == ["P-1001", "P-1002"]
    for result in summary.failed:
        assert result.error.startswith(f"store file {store}: is empty (0 bytes)")
        assert result.error.endswith("move it aside to start a new store")
    described = summary.describe()
    assert "0 written, 2 failed" in described
    assert f"FAILED     P-1001: store file {store}: is empty" in described
    assert store.read_bytes() == b"" and store.stat().st_mtime_ns == mtime
    assert not (tmp_path / "o" / "html").exists()


def test_help_says_where_the_files_go(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "OUT/<format>/<workbook>-<target>.<ext>" in out and "--changed-only" in out


# ------------------------------------------------------------ real workbooks


def test_every_demo_pupil_gets_a_pack_in_every_format(demo_data, tmp_path):
    out = tmp_path / "reports"
    summary = render.run_command("mapping_tool", data=str(demo_data), all_pupils=True,
                                 formats=["html,docx,pdf"], out=str(out), progress=False)
    assert summary.exit_status == 0, summary.describe()
    assert [r.target.name for r in summary.written] == DEMO_PUPILS
    for pupil in DEMO_PUPILS:
        html = (out / "html" / f"mapping_tool-{pupil}.html").read_text(encoding="utf-8")
        assert pupil in html
        document = docx.Document(out / "docx" / f"mapping_tool-{pupil}.docx")
        text = "\n".join(p.text for p in document.paragraphs)
        assert pupil in text and DEMO_SCHOOL in text  # the school, not "Workspace: demo"
        assert len(document.inline_shapes) >= 1  # the ecomap
        reader = PdfReader(io.BytesIO((out / "pdf" / f"mapping_tool-{pupil}.pdf").read_bytes()))
        assert pupil in reader.pages[0].extract_text().replace("\x00", "")
        for fmt in ("html", "docx", "pdf"):
            assert mode(out / fmt / f"mapping_tool-{pupil}.{fmt}") == 0o600
    assert "Mum" in (out / "html" / "mapping_tool-P-1001.html").read_text(encoding="utf-8")
    # Each kernel logged its pupil's pack in the sharing log, and no entry was lost: the
    # kernels write beside one another to one SQLite file.
    store = open_store(demo_data)
    try:
        for pupil in DEMO_PUPILS:
            logged = [row["what"] for row in sharing_log(store, DEMO_WORKSPACE, pupil)
                      if f"mapping_tool-{pupil}.pdf" in row["what"]]
            assert len(logged) == 1, (pupil, logged)
    finally:
        store.close()


def test_a_step_workbook_renders_per_step(demo_data, tmp_path):
    summary = render.run_command("six_steps", data=str(demo_data), steps=["2"],
                                 out=str(tmp_path / "r"), progress=False)
    assert summary.exit_status == 0, summary.describe()
    assert [r.target.name for r in summary.written] == ["step-2"]
    assert (tmp_path / "r" / "html" / "six_steps-step-2.html").exists()


def test_real_names_appear_only_when_asked_for(demo_data, tmp_path):
    store = open_store(demo_data)
    store.set_real_name("demo", "P-1002", "Jan Kowalski-Test", DEMO_AUTHOR)
    store.close()
    plain = render.run_command("mapping_tool", data=str(demo_data), pupils=["P-1002"],
                               out=str(tmp_path / "plain"), progress=False)
    named = render.run_command("mapping_tool", data=str(demo_data), pupils=["P-1002"],
                               names=True, out=str(tmp_path / "named"), progress=False)
    assert plain.exit_status == named.exit_status == 0
    assert "Jan Kowalski-Test" not in (tmp_path / "plain" / "html" /
                                       "mapping_tool-P-1002.html").read_text(encoding="utf-8")
    assert "Jan Kowalski-Test" in (tmp_path / "named" / "html" /
                                   "mapping_tool-P-1002.html").read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "named" / "html").iterdir()] == [
        "mapping_tool-P-1002.html"]  # file names keep the reference
