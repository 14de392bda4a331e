"""The reflective log workbook run by papermill on demo data."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf

from partnerkit import reflective_log
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts
from tests.reflective_log.texts import PAGE_NUMBER, no_space, squash


def test_reflective_log_workbook_runs_with_its_defaults(demo_data: Path, run_workbook,
                                                        kernel_env):
    text = _texts(run_workbook("reflective_log"))
    assert "Test Practitioner" in text
    assert (demo_data / "reports" / "reflective-log-test-practitioner.docx").exists()
    assert (demo_data / "reports" / "reflective-log-test-practitioner.pdf").exists()


def test_reflective_log_workbook_exports_a_demo_practitioners_whole_log(
        demo_data: Path, run_workbook, kernel_env, tmp_path: Path):
    out = tmp_path / "exports"
    text = _texts(run_workbook("reflective_log", author="Aisha Rahman", out_dir=str(out)))
    assert "Phoning with good news first" in text
    document = docx.Document(str(out / "reflective-log-aisha-rahman.docx"))
    body = squash("\n".join(p.text for p in document.paragraphs))
    pdf = squash(" ".join(PAGE_NUMBER.sub(" ", p.extract_text()) for p in
                          pypdf.PdfReader(str(out / "reflective-log-aisha-rahman.pdf")).pages))
    store = Store(data=demo_data)
    try:
        entries = reflective_log.log_entries(store, "demo", "Aisha Rahman")
    finally:
        store.close()
    assert len(entries) >= 5
    for entry in entries:
        assert squash(entry.text) in body and no_space(entry.text) in no_space(pdf)
