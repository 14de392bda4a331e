"""The DPIA starter and the privacy notice: Word documents built from what the store holds."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from docx import Document

from partnerkit import access
from partnerkit.cli import main
from partnerkit.records import RECORD_TYPES
from partnerkit.safekeeping import paperwork
from partnerkit.store import open_store
from tests.reports.test_libreoffice import soffice


def _text(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _rows(path: Path, heading: str) -> list[list[str]]:
    for table in Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == "Kind of record" and heading in rows[0]:
            return rows
    raise AssertionError(f"no table headed {heading!r}")


def test_the_access_table_is_what_the_permission_check_allows():
    assert paperwork.who_may("pupil_profile") == {
        "practitioner": "read and change", "school_lead": "read and change",
        "trainer": "read", "dp_lead": "read", "admin": "read and change"}
    assert paperwork.who_may("log_entry")["practitioner"] == "their own only"
    assert paperwork.who_may("pupil_name")["practitioner"] == "no access"
    assert set(paperwork.retention_schedule()) >= access.PUPIL_KINDS


def test_the_dpia_is_built_from_the_demo_store(demo_data: Path, capsys, tmp_path: Path):
    out = tmp_path / "dpia.docx"
    assert main(["paperwork", "dpia", "--data", str(demo_data), "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o077 == 0 and str(out) in capsys.readouterr().out
    text = _text(out)
    assert str(demo_data / "partnerkit.sqlite") in text and "Ethnicity" in text
    store = open_store(demo_data)
    held = paperwork.stored_counts(store)
    store.close()
    rows = {row[0]: row for row in _rows(out, "Held now")[1:]}
    assert set(rows) == {kind.replace("_", " ") for kind in RECORD_TYPES} | {
        "pupil's real name"}
    assert rows["pupil profile"][3] == str(held["pupil_profile"]) != "0"
    access_rows = {row[0]: row[1:] for row in _rows(out, "trainer")[1:]}
    assert access_rows["pupil's real name"] == ["no access", "read and change", "no access", "read",
                                         "read and change"]


def test_the_privacy_notice_speaks_of_pupils_records_only(demo_data: Path, tmp_path: Path):
    out = tmp_path / "notice.docx"
    assert main(["paperwork", "privacy-notice", "--data", str(demo_data), "--out",
                 str(out)]) == 0
    text = _text(out)
    assert "Request for assistance" in text and "Reflective" not in text
    assert "5 years after the pupil leaves school" in text
    assert str(demo_data) not in text


@pytest.mark.parametrize("document", sorted(paperwork.DOCUMENTS))
def test_each_document_opens_in_libreoffice(document: str, demo_data: Path, tmp_path: Path):
    office = soffice()
    out = tmp_path / f"{document}.docx"
    store = open_store(demo_data)
    paperwork.write(store, document, str(out))
    store.close()
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    assert (tmp_path / f"{document}.pdf").stat().st_size > 5000
