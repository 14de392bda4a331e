"""Certificates: issued only when the module is done, signed, verified; altered text fails."""

from __future__ import annotations

import stat

import pytest

from partnerkit.access import GuardedStore
from partnerkit.collaborative_working import certificate as cert
from partnerkit.errors import CertificateError
from tests.collaborative_working.cohort import enrol
from tests.collaborative_working.work import complete, seed_activities


@pytest.fixture
def cohort(store):
    return enrol(store)


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def test_a_certificate_before_completion_says_what_is_left(store, cohort, data):
    ann = GuardedStore(store, cohort["ann"])
    seed_activities(ann, "ann", skip=("module6.activity14",))
    with pytest.raises(CertificateError) as caught:
        cert.issue_certificate(ann, "school", "ann", data)
    message = str(caught.value)
    assert "Activity 14: the CIRCLE Framework (film)" in message
    assert "End-of-module quiz" in message and "complete these" in message
    assert store.list("school", "certificate") == []


def test_a_certificate_states_who_what_when_hours_trainer_and_verifies(store, cohort, data):
    ann = GuardedStore(store, cohort["ann"])
    complete(ann, "ann")
    issued = cert.issue_certificate(ann, "school", "ann", data)
    assert (issued.participant, issued.trainer, issued.hours) == ("Ann Example", "Tom Trainer", 3.0)
    assert issued.module == "Collaborative partnership working" or issued.module
    found = cert.verify(store, issued.code, data)
    assert found.genuine and "Ann Example" in found.message
    key = data / "secrets" / "certificate.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700


def test_the_pdf_text_verifies_and_altered_text_fails(store, cohort, data):
    ann = GuardedStore(store, cohort["ann"])
    complete(ann, "ann")
    issued = cert.issue_certificate(ann, "school", "ann", data)
    text = cert.pdf_text(cert.certificate_pdf(issued))
    assert issued.code in text
    assert cert.verify(store, issued.code, data, text=text).genuine
    altered = text.replace("Hours: 3", "Hours: 30")
    result = cert.verify(store, issued.code, data, text=altered)
    assert not result.genuine and "altered" in result.message


def test_a_certificate_altered_in_the_store_fails(store, cohort, data):
    ann = GuardedStore(store, cohort["ann"])
    complete(ann, "ann")
    issued = cert.issue_certificate(ann, "school", "ann", data)
    changed = {**issued.model_dump(mode="json"), "participant": "Someone Else"}
    store.save("school", "certificate", "ann/module6", changed, "intruder")
    result = cert.verify(store, issued.code, data)
    assert not result.genuine and "altered" in result.message


def test_a_code_that_does_not_exist_or_is_malformed_is_said_plainly(store, data):
    missing = cert.verify(store, "PK-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", data)
    assert not missing.genuine and "No certificate has the code" in missing.message
    with pytest.raises(CertificateError, match="is not a verification code"):
        cert.verify(store, "hello", data)
    assert cert.clean_code(" pk-aaaa-bbbb-cccc-dddd-eeee-ffff ") == \
        "PK-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"


def test_a_different_secret_makes_a_different_code():
    text = "Certificate of completion\nParticipant: A"
    assert cert.sign(b"k" * 32, text) != cert.sign(b"j" * 32, text)
    assert cert.sign(b"k" * 32, text) == cert.sign(b"k" * 32, text.replace("\n", "  "))
