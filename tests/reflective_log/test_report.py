"""Tests for partnerkit.reflective_log.report: the log as HTML, DOCX and PDF, and its export."""

from __future__ import annotations

import stat
from io import BytesIO
from pathlib import Path

import docx
import pypdf
import pytest

from partnerkit import reflective_log
from partnerkit.errors import PartnerkitError
from partnerkit.store import Store
from tests.reflective_log.texts import PAGE_NUMBER, WHO, long_text, squash


def test_log_html_escapes_text_and_shows_history_on_screen(log_store: Store):
    page = reflective_log.log_html(log_store, "school", WHO, show_history=True)
    assert "First thoughts about &lt;parents&gt; &amp; carers." in page
    assert "<parents>" not in page
    assert "Someone else" not in page
    assert "2 versions" in page and "Earlier versions" in page


def test_docx_contains_every_entry_whole(log_store: Store, tmp_path: Path):
    written = reflective_log.export_log(log_store, "school", WHO, tmp_path / "out",
                                        formats=("docx",))
    document = docx.Document(str(written["docx"]))
    body = "\n".join(p.text for p in document.paragraphs)
    for entry in reflective_log.log_entries(log_store, "school", WHO):
        assert squash(entry.text) in squash(body)
        assert entry.task_title in body
    assert squash(long_text()) in squash(body)
    assert "First thoughts" not in body  # the document holds entries as last saved


def test_pdf_contains_every_entry(log_store: Store, tmp_path: Path):
    written = reflective_log.export_log(log_store, "school", WHO, tmp_path / "out",
                                        formats=("pdf",))
    reader = pypdf.PdfReader(str(written["pdf"]))
    text = squash(" ".join(PAGE_NUMBER.sub(" ", page.extract_text()) for page in reader.pages))
    for entry in reflective_log.log_entries(log_store, "school", WHO):
        assert squash(entry.text) in text
    assert len(reader.pages) > 5  # the long entry runs over many pages, not cut
    assert "END-OF-LONG-ENTRY" in text


def test_export_writes_owner_only_files_in_every_format(log_store: Store, tmp_path: Path):
    written = reflective_log.export_log(log_store, "school", WHO, tmp_path / "out")
    assert set(written) == {"docx", "pdf", "html"}
    for path in written.values():
        assert path.exists() and path.stat().st_size > 0
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.name.startswith("reflective-log-pat-practitioner")
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert docx.Document(BytesIO(written["docx"].read_bytes())).paragraphs


def test_an_empty_log_still_exports(store: Store, tmp_path: Path):
    written = reflective_log.export_log(store, "school", "Nobody Yet", tmp_path)
    assert "No entries yet." in written["html"].read_text()


def test_an_unknown_format_is_refused(store: Store, tmp_path: Path):
    with pytest.raises(PartnerkitError, match="use one of docx, pdf, html"):
        reflective_log.export_log(store, "school", WHO, tmp_path, formats=("odt",))
