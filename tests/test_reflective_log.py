"""Tests for partnerkit.reflective_log: entries with history, long entries, DOCX/PDF export."""

from __future__ import annotations

import random
import re
import stat
from io import BytesIO
from pathlib import Path

import docx
import pypdf
import pytest

from partnerkit import reflective_log
from partnerkit.collaborative_working import module
from partnerkit.errors import PartnerkitError
from partnerkit.records.base import load_record, save_record
from partnerkit.records.module import LogEntry, SelfRating
from partnerkit.session import Session
from partnerkit.store import Store
from tests.helpers.notebook_text import notebook_text as _texts

REPO = Path(__file__).resolve().parents[1]
WHO = "Pat Practitioner"
WORDS = ("partnership parents learner support review agency collaboration trust plan "
         "communication inclusion attendance wellbeing").split()


def long_text(length: int = 50_000, seed: int = 7) -> str:
    """Prose of exactly ``length`` characters, with paragraphs, starting and ending marked."""
    rng = random.Random(seed)
    words = ["START-OF-LONG-ENTRY"]
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS) + ("." if rng.random() < 0.08 else ""))
    text = " ".join(words)
    text = re.sub(r"\. ", lambda m: ".\n" if rng.random() < 0.2 else ". ", text)
    return text[: length - len(" END-OF-LONG-ENTRY")] + " END-OF-LONG-ENTRY"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def session_for(store: Store, tmp_path: Path, who: str = WHO) -> Session:
    return Session(store=store, workspace="school", author=who, data_dir=tmp_path)


def write(store: Store, task: str, text: str, who: str = WHO) -> None:
    save_record(store, "school", LogEntry(practitioner=who, task=task, text=text), who)


@pytest.fixture
def log_store(store: Store, clock) -> Store:
    """A practitioner with a short entry edited twice, a long one, and self-ratings."""
    write(store, "module6.task_6_2", "First thoughts about <parents> & carers.")
    clock.advance(hours=2)
    write(store, "module6.task_6_2", "Second thoughts: welcome, agenda, seat parents first.")
    clock.advance(days=1)
    write(store, "module6.task_effective_collaboration.2", long_text())
    write(store, "module6.activity17.2", "I share strategies with families now.")
    save_record(store, "school", SelfRating(practitioner=WHO, moment="start", rating=2), WHO)
    save_record(store, "school", SelfRating(practitioner=WHO, moment="end", rating=4), WHO)
    write(store, "module6.task_6_2", "Someone else's entry", who="Other Person")
    return store


def test_long_text_helper_is_50000_characters():
    assert len(long_text()) == 50_000


def test_a_50000_character_entry_is_kept_whole(store: Store, tmp_path: Path):
    text = long_text()
    box = module.log_entry_form(session_for(store, tmp_path),
                                "module6.task_effective_collaboration.1")
    box.children[1].editors["text"].input.value = text
    stored = load_record(store, "school", LogEntry,
                         f"{WHO}/module6.task_effective_collaboration.1")
    assert stored.text == text and len(stored.text) == 50_000
    assert "✓ Saved" in box.children[1].status.value
    entries = reflective_log.log_entries(store, "school", WHO)
    assert entries[0].text == text


def test_log_lists_entries_in_module_order_with_timestamps_and_history(log_store: Store,
                                                                       clock):
    entries = reflective_log.log_entries(log_store, "school", WHO)
    assert [e.task_id for e in entries] == ["module6.task_6_2",
                                            "module6.task_effective_collaboration.2",
                                            "module6.activity17.2"]
    first = entries[0]
    assert first.text.startswith("Second thoughts")
    assert first.versions == 2
    assert first.history[0].text.startswith("First thoughts")
    assert (first.last_saved - first.first_saved).total_seconds() == 2 * 3600
    assert first.task_title == "Reflective Task 6.2: Collaborative partnerships"
    assert entries[1].prompt.startswith("2. How could the reciprocal flow")
    frame = reflective_log.log_frame(log_store, "school", WHO)
    assert list(frame.columns) == reflective_log.LOG_COLUMNS
    assert frame["characters"].tolist()[1] == 50_000
    assert frame["versions"].tolist() == [2, 1, 1]


def test_log_html_escapes_text_and_shows_history_on_screen(log_store: Store, tmp_path: Path):
    page = reflective_log.log_html(log_store, "school", WHO, show_history=True)
    assert "First thoughts about &lt;parents&gt; &amp; carers." in page
    assert "<parents>" not in page
    assert "Someone else" not in page
    assert "2 versions" in page and "Earlier versions" in page
    view = reflective_log.log_view(session_for(log_store, tmp_path))
    assert "srcdoc=" in view.value and "Second thoughts" in view.value


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


def no_space(text: str) -> str:
    """Text without any whitespace: a PDF's lines break inside words such as home-school."""
    return "".join(text.split())


PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
"""The page furniture a PDF page adds; removed so an entry running over pages reads whole."""


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


def test_export_widget_defaults_to_the_data_folders_reports(log_store: Store, tmp_path: Path):
    shown = reflective_log.export(session_for(log_store, tmp_path))
    assert (tmp_path / "reports" / "reflective-log-pat-practitioner.pdf").exists()
    assert "download" in shown.value and "DOCX" in shown.value


# ------------------------------------------------------------------ the workbook






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
