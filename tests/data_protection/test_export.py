"""Subject access: everything held about one pupil, as owner-only JSON and PDF, and who may ask."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from partnerkit.data_protection.bundle import export
from partnerkit.data_protection.holdings import PARENT, gather
from partnerkit.data_protection.report import bundle_html
from partnerkit.errors import AccessDeniedError, NotFoundError, PupilReferenceError
from tests.data_protection.conftest import (
    OTHER_TEXT,
    PUPIL,
    REAL_NAME,
    SECRETS,
    WORKSPACE,
    as_account,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_bundle_holds_every_record_its_history_name_attendance_sharing_and_audit(dpo, data):
    as_account(dpo.store, "teacher").get(WORKSPACE, "pupil_profile", PUPIL)  # an audited read
    bundle = gather(dpo, WORKSPACE, PUPIL, data)
    kinds = sorted({r["kind"] for r in bundle["records"]})
    assert kinds == ["answer", "connection", "pupil_profile", "request_for_assistance",
                     "staged_support_plan"]
    assert bundle["real_name"] == REAL_NAME
    profile = next(r for r in bundle["records"] if r["kind"] == "pupil_profile")
    assert [h["op"] for h in profile["history"]] == ["create", "update"]
    assert profile["history"][0]["after"]["current_challenges"] == "first draft"
    assert [len(t["rows"]) for t in bundle["attendance"]] == [6]
    assert {row["Pupil Ref"] for row in bundle["attendance"][0]["rows"]} == {PUPIL}
    assert bundle["report_files"] == [f"reports/map-summary-{PUPIL}.html"]
    [shared] = bundle["sharing"]
    assert shared["basis"] == f"child protection exception: {SECRETS[4]}"
    assert ("teacher", "read") in {(a["account"], a["action"]) for a in bundle["audit"]}
    text = json.dumps(bundle)
    assert all(secret in text for secret in SECRETS) and OTHER_TEXT not in text


def test_export_writes_owner_only_json_and_pdf_and_logs_the_handover(dpo, data, tmp_path):
    made = export(dpo, WORKSPACE, PUPIL, tmp_path / "out", data)
    assert _mode(made.folder) == 0o700
    assert _mode(made.json_file) == _mode(made.pdf_file) == 0o600
    assert made.pdf_file.read_bytes().startswith(b"%PDF")
    assert json.loads(made.json_file.read_text())["pupil"] == PUPIL
    assert made.records == 6 and made.history == 7
    log = gather(dpo, WORKSPACE, PUPIL, data)["sharing"]
    assert [(row["with_whom"], row["basis"]) for row in log][-1] == (
        "the pupil", "subject access request (UK GDPR article 15)")
    exports = dpo.store.audit_entries(workspace=WORKSPACE, action="export")
    assert exports and exports[0].account == "dpo" and exports[0].key == PUPIL


def test_the_readable_page_shows_records_history_and_the_sharing_log(dpo, data):
    page = bundle_html(gather(dpo, WORKSPACE, PUPIL, data))
    for text in (*SECRETS, "History of changes", "Sharing log", "Who looked at or changed"):
        assert text in page
    assert "current challenges: first draft → " in page


def test_a_parents_request_is_the_same_bundle_without_the_audit(dpo, data):
    bundle = gather(dpo, WORKSPACE, PUPIL, data, audience=PARENT)
    assert "audit" not in bundle and len(bundle["records"]) == 6
    assert "Who looked at" not in bundle_html(bundle)


def test_an_unknown_reference_is_refused_naming_pupils_there_are(dpo, data, tmp_path):
    with pytest.raises(NotFoundError) as caught:
        export(dpo, WORKSPACE, "P-9999", tmp_path, data)
    assert str(caught.value).startswith("pupil 'P-9999': is not a pupil of workspace 'school'")
    assert "P-1001" in str(caught.value)
    assert not list(tmp_path.glob("subject-access-*"))


def test_a_malformed_reference_gets_the_reference_rule(dpo, data, tmp_path):
    with pytest.raises(PupilReferenceError, match="not a pupil reference; use 2-40"):
        export(dpo, WORKSPACE, "Ishbel Q", tmp_path, data)


@pytest.mark.parametrize("username", ["teacher", "lead"])
def test_only_the_data_protection_lead_exports_and_a_refusal_is_audited(school, data,
                                                                        tmp_path, username):
    with pytest.raises(AccessDeniedError, match="may not export everything held"):
        export(as_account(school, username), WORKSPACE, PUPIL, tmp_path, data)
    refused = school.audit_entries(workspace=WORKSPACE, action="export-refused")
    assert refused[0].account == username and not refused[0].allowed


def test_the_cli_exports_and_says_where(school, data, tmp_path, capsys):
    from partnerkit.cli import main

    school.close()
    status = main(["pupil", "export", PUPIL, "--workspace", WORKSPACE, "--data", str(data),
                   "--as", "dpo", "--out", str(tmp_path / "out"), "--for", "parent"])
    out = capsys.readouterr().out
    assert status == 0 and "readable by you only" in out
    [written] = (tmp_path / "out").glob("subject-access-P-1001-*/P-1001.json")
    assert "audit" not in json.loads(written.read_text())
    status = main(["pupil", "export", "P-4040", "--workspace", WORKSPACE, "--data", str(data),
                   "--as", "dpo"])
    assert status == 2
    assert "pupil 'P-4040': is not a pupil of workspace 'school'" in capsys.readouterr().err


def test_the_readable_copy_counts_audit_entries_per_person_action_and_record():
    from partnerkit.data_protection.report import audit_summary

    entries = [{"at": f"2026-09-0{d}T10:00", "account": who, "action": "read",
                "kind": "pupil_profile", "key": PUPIL, "allowed": True, "detail": None}
               for d, who in ((1, "teacher"), (2, "teacher"), (3, "lead"), (4, "teacher"))]
    rows = audit_summary(entries)
    assert [(r["account"], r["count"], r["first"][:10], r["last"][:10]) for r in rows] == [
        ("teacher", 3, "2026-09-01", "2026-09-04"), ("lead", 1, "2026-09-03", "2026-09-03")]
    assert audit_summary(None) is None
