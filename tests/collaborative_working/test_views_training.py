"""The participant's progress and certificate panels, and the trainer's live board."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from partnerkit.access import GuardedStore
from partnerkit.collaborative_working.views_cohort import CohortBoard, item_statistics_view
from partnerkit.collaborative_working.views_completion import CertificatePanel, ProgressPanel
from partnerkit.records.base import load_records
from partnerkit.records.module import QuizLockLift
from tests.collaborative_working.attempts import fail
from tests.collaborative_working.cohort import enrol, session_as
from tests.collaborative_working.work import complete, seed_activities


@pytest.fixture
def cohort(store):
    return enrol(store)


def test_progress_lists_what_is_left_and_a_film_tick_counts(store, cohort, tmp_path):
    panel = ProgressPanel(session_as(store, cohort["ann"], tmp_path))
    assert "0 of 12" in panel.list.value and "Still to do:" in panel.list.value
    assert "at least 20 words" in panel.list.value
    panel.ticks["module6.activity14"].value = True
    assert "1 of 12" in panel.list.value
    again = ProgressPanel(session_as(store, cohort["ann"], tmp_path))
    assert again.ticks["module6.activity14"].value is True


def test_the_certificate_panel_says_what_is_left_then_offers_the_pdf(store, cohort, tmp_path):
    s = session_as(store, cohort["ann"], tmp_path)
    panel = CertificatePanel(s)
    assert panel.issue() is None
    assert "Not yet" in panel.message.value and "End-of-module quiz" in panel.message.value
    complete(s.store, "ann")
    issued = panel.issue()
    assert issued.code in panel.message.value
    assert 'download="certificate-ann.pdf"' in panel.message.value


def test_the_board_redraws_only_when_the_cohort_changed(store, cohort, tmp_path):
    board = CohortBoard(session_as(store, cohort["tom"], tmp_path), watch=False)
    assert "Ann Example" in board.table.value
    assert board.refresh() is False  # nothing changed: nothing read again
    seed_activities(GuardedStore(store, cohort["ann"]), "ann")
    assert board.refresh() is True


def test_the_board_filters_locked_and_lifts_with_a_reason(store, cohort, tmp_path):
    ann = GuardedStore(store, cohort["ann"])
    for _ in range(3):
        fail(ann, "ann")
    board = CohortBoard(session_as(store, cohort["tom"], tmp_path), watch=False)
    board.filter.value = "locked"
    assert "Ann Example" in board.table.value and "Bob Sample" not in board.table.value
    board.filter.value = "not started"
    assert "Bob Sample" in board.table.value and "Ann Example" not in board.table.value
    board.who.value = "ann"
    assert board.act() is None and "no reason was given" in board.message.value
    assert load_records(store, "school", QuizLockLift) == []
    board.reason.value = "Locked out by a power cut"
    board.grant.value = "one_attempt"
    done = board.act()
    assert done.grant == "one_attempt" and "one more attempt" in board.message.value
    assert board.who.options == ()


def test_the_board_exports_csv_xlsx_and_pdf_formula_safe(store, cohort, tmp_path):
    store.add_account("eve", "=HYPERLINK(\"http://x\")", created_by="test")
    store.set_membership("eve", "school", "practitioner", added_by="test")
    complete(GuardedStore(store, cohort["ann"]), "ann")
    board = CohortBoard(session_as(store, cohort["tom"], tmp_path), watch=False)
    written = board.export(tmp_path / "out")
    rows = list(csv.reader(written["csv"].read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "Participant" and "Quiz passed" in rows[0]
    names = [r[0] for r in rows[1:]]
    assert "Ann Example" in names and not any(n.startswith("=") for n in names)
    sheet = load_workbook(written["xlsx"]).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "s" for c in cells)
    assert written["pdf"].read_bytes().startswith(b"%PDF")
    assert "download" in board.exports.value


def test_item_statistics_wait_for_twenty_attempts(store, cohort, tmp_path):
    view = item_statistics_view(session_as(store, cohort["tom"], tmp_path))
    assert "0 attempts so far" in view.value
