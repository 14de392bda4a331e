"""``partnerkit verify`` and the verification page's values: genuine, altered, unknown."""

from __future__ import annotations

import pytest

from partnerkit.access import GuardedStore
from partnerkit.cli import main
from partnerkit.collaborative_working import certificate as cert
from partnerkit.serve.verify_page import check
from tests.collaborative_working.cohort import enrol
from tests.collaborative_working.work import complete


@pytest.fixture
def issued(store, tmp_path):
    cohort = enrol(store)
    ann = GuardedStore(store, cohort["ann"])
    complete(ann, "ann")
    return cert.issue_certificate(ann, "school", "ann", tmp_path / "data")


def test_verify_says_genuine_for_an_issued_code(issued, tmp_path, capsys):
    assert main(["verify", issued.code, "--data", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("GENUINE:") and "Ann Example" in out


def test_verify_checks_a_pdf_and_refuses_an_altered_one(issued, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(cert.certificate_pdf(issued))
    assert main(["verify", issued.code, "--pdf", str(good), "--data", str(tmp_path / "data")]) == 0
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(cert.certificate_pdf(issued.model_copy(update={"hours": 30.0})))
    assert main(["verify", issued.code, "--pdf", str(forged),
                 "--data", str(tmp_path / "data")]) == 1
    assert "NOT GENUINE" in capsys.readouterr().out


def test_verify_says_plainly_when_a_code_is_unknown_or_malformed(issued, tmp_path, capsys):
    unknown = issued.code[:-4] + ("AAAA" if not issued.code.endswith("AAAA") else "BBBB")
    assert main(["verify", unknown, "--data", str(tmp_path / "data")]) == 1
    assert "No certificate has the code" in capsys.readouterr().out
    assert main(["verify", "12345", "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "'12345'" in err and "is not a verification code" in err and "Traceback" not in err
    assert main(["verify", issued.code, "--pdf", str(tmp_path / "nope.pdf"),
                 "--data", str(tmp_path / "data")]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_the_page_values_show_the_text_as_issued(issued, tmp_path):
    values = check(tmp_path / "data", issued.code)
    assert values["result"].genuine and "Participant: Ann Example" in values["lines"]
    bad = check(tmp_path / "data", "not a code")
    assert "is not a verification code" in bad["errors"][0][1]
    notpdf = check(tmp_path / "data", issued.code, b"this is not a pdf")
    assert "cannot be read as a PDF" in notpdf["errors"][0][1]
