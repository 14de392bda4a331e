"""The reflective log workbook run by papermill on demo data."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from partnerkit import reflective_log
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts
from tests.reflective_log.texts import PAGE_NUMBER, no_space, squash


@pytest.mark.parametrize("kernel_account", ["demo-teacher"])
def test_reflective_log_workbook_runs_with_its_defaults(demo_data: Path, run_workbook,
                                                        kernel_env):
    text = _texts(run_workbook("reflective_log"))
    assert "Ross Mackay" in text
    assert (demo_data / "reports" / "reflective-log-demo-teacher.docx").exists()
    assert (demo_data / "reports" / "reflective-log-demo-teacher.pdf").exists()


@pytest.mark.parametrize("kernel_account", ["aisha.rahman"])
def test_reflective_log_workbook_exports_a_demo_practitioners_whole_log(
        demo_data: Path, run_workbook, kernel_env, tmp_path: Path):
    out = tmp_path / "exports"
    text = _texts(run_workbook("reflective_log", out_dir=str(out)))
    assert "Phoning with good news first" in text
    document = docx.Document(str(out / "reflective-log-aisha-rahman.docx"))
    body = squash("\n".join(p.text for p in document.paragraphs))
    pdf = squash(" ".join(PAGE_NUMBER.sub(" ", p.extract_text()) for p in
                          pypdf.PdfReader(str(out / "reflective-log-aisha-rahman.pdf")).pages))
    store = Store(data=demo_data)
    try:
        entries = reflective_log.log_entries(store, "demo", "aisha.rahman")
    finally:
        store.close()
    assert len(entries) >= 5
    for entry in entries:
        assert squash(entry.text) in body and no_space(entry.text) in no_space(pdf)


def test_a_trainer_running_the_workbook_reads_only_what_a_participant_shared(
        tmp_path: Path, run_workbook, monkeypatch):
    from partnerkit.access import GuardedStore, load_account
    from partnerkit.records.base import save_record
    from partnerkit.records.module import LogEntry
    from tests.collaborative_working.cohort import act_as, cohort_folder

    folder = tmp_path / "cohort"
    store = cohort_folder(folder)
    try:
        ann = GuardedStore(store, load_account(store, "ann"))
        for task, text, shared in (("module6.task_6_2", "Shared with my trainer", True),
                                   ("module6.activity17.2", "Kept to myself", False)):
            save_record(ann, "school", LogEntry(practitioner="ann", task=task, text=text,
                                                shared=shared), "ann")
    finally:
        store.close()
    act_as(monkeypatch, folder, "tom")
    text = _texts(run_workbook("reflective_log", workspace="school", author="ann",
                               out_dir=str(tmp_path / "out")))
    assert "Shared with my trainer" in text and "Kept to myself" not in text
    assert "Reflective log: Ann Example" in text and "Ann Example (1 shared)" in text
    assert "Kept to myself" not in (tmp_path / "out" / "reflective-log-ann.html").read_text()
