"""The reflective log as GTCS / CLD / SSSC professional-learning records, and sign-off."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from partnerkit.access import GuardedStore
from partnerkit.errors import AccessDeniedError, CpdRecordError, RecordValidationError
from partnerkit.reflective_log import cpd
from tests.collaborative_working.cohort import enrol
from tests.collaborative_working.work import TEXT, seed_activities


@pytest.fixture
def cohort(store):
    return enrol(store)


def test_an_empty_log_exported_as_a_record_says_so(store, cohort, tmp_path):
    ann = GuardedStore(store, cohort["ann"])
    with pytest.raises(CpdRecordError, match="no entries yet, so there is nothing to file"):
        cpd.export_cpd(ann, "school", "ann", "gtcs", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_unknown_framework_is_named(store, cohort):
    with pytest.raises(CpdRecordError, match="'hcpc'.*use one of gtcs, cld, sssc"):
        cpd.cpd_html(GuardedStore(store, cohort["ann"]), "school", "ann", "hcpc")


@pytest.mark.parametrize(("framework", "heading"), [
    ("gtcs", "What impact has it had on my practice and on learners?"),
    ("cld", "How it has changed my practice"),
    ("sssc", "How has it affected your practice?")])
def test_each_record_has_its_bodys_headings_hours_and_activities(store, cohort, framework,
                                                                 heading):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann")
    html = cpd.cpd_html(ann, "school", "ann", framework)
    assert heading in html and cpd.SHAPES[framework].name in html
    assert "Hours</th><td>3</td>" in html and "Reflective Task 6.2" in html
    assert "Not signed off" in html


def test_word_and_pdf_hold_the_entries_and_the_sign_off(store, cohort, tmp_path):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann")
    tom = GuardedStore(store, cohort["tom"])
    cpd.sign_off(tom, "school", "ann", "gtcs", signer="Tom Trainer", signer_role="mentor",
                 comment="Thoughtful entries.", author="tom")
    written = cpd.export_cpd(ann, "school", "ann", "gtcs", tmp_path)
    word = "\n".join(p.text for p in Document(io.BytesIO(written["docx"].read_bytes())).paragraphs)
    assert "Signed off by Tom Trainer (mentor)" in word and TEXT[:40] in word
    pdf = "\n".join(p.extract_text() for p in PdfReader(written["pdf"]).pages)
    assert "Signed off by Tom Trainer" in pdf


def test_only_a_mentor_or_line_manager_signs_off_not_the_writer(store, cohort):
    ann = GuardedStore(store, cohort["ann"])
    with pytest.raises(AccessDeniedError, match="not by its writer"):
        cpd.sign_off(ann, "school", "ann", "gtcs", signer="Ann", signer_role="mentor",
                     author="ann")
    with pytest.raises(RecordValidationError):
        cpd.sign_off(GuardedStore(store, cohort["tom"]), "school", "ann", "gtcs", signer="",
                     signer_role="mentor", author="tom")


def test_the_page_makes_the_record_or_says_the_log_is_empty(store, cohort, tmp_path):
    from partnerkit.reflective_log.views_cpd import CpdExport
    from tests.collaborative_working.cohort import session_as

    panel = CpdExport(session_as(store, cohort["ann"], tmp_path), tmp_path / "out")
    assert panel.export() is None and "nothing to file" in panel.result.value
    seed_activities(GuardedStore(store, cohort["ann"]), "ann")
    panel.framework.value = "sssc"
    written = panel.export()
    assert set(written) == {"docx", "pdf"} and "SSSC record was written" in panel.result.value


def test_the_sign_off_form_records_and_a_participant_sees_only_a_note(store, cohort, tmp_path):
    from partnerkit.reflective_log.views_cpd import SignOffForm, sign_off_form
    from tests.collaborative_working.cohort import session_as

    assert "signs off your record here" in sign_off_form(
        session_as(store, cohort["ann"], tmp_path)).value
    form = sign_off_form(session_as(store, cohort["tom"], tmp_path))
    assert isinstance(form, SignOffForm)
    form.who.value = "ann"
    form.role.value = "line manager"
    done = form.sign()
    assert done.signer == "Tom Trainer" and "now shows your sign-off" in form.message.value
    seed_activities(GuardedStore(store, cohort["ann"]), "ann")
    html = cpd.cpd_html(GuardedStore(store, cohort["ann"]), "school", "ann", "gtcs")
    assert "Signed off by <strong><bdi>Tom Trainer</bdi></strong> (line manager)" in html
