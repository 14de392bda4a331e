"""Erasure: records, history, real name, report files and attendance rows go, and the bytes too.

The byte scans read the SQLite file (and its write-ahead log) and every file in the data
folder for each piece of the pupil's text after the erasure.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from partnerkit.data_protection import erasure
from partnerkit.data_protection.holds import set_hold
from partnerkit.errors import AccessDeniedError, LegalHoldError, PartnerkitError
from tests.data_protection.conftest import (
    OTHER,
    OTHER_TEXT,
    PUPIL,
    REAL_NAME,
    SECRETS,
    WORKSPACE,
    as_account,
)


def _bytes_of_folder(data: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}


def _erase(dpo, data, reason="the pupil asked for erasure (article 17)"):
    return erasure.erase(dpo, erasure.plan(dpo, WORKSPACE, PUPIL, data), reason)


def test_the_plan_says_what_will_go(dpo, data):
    text = erasure.plan(dpo, WORKSPACE, PUPIL, data).describe()
    for line in ("2 connection records", "1 pupil profile record", "7 history entries",
                 "the real name", f"report file reports/map-summary-{PUPIL}.html",
                 "6 rows of school/attendance_marks.csv"):
        assert line in text
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL) is not None  # nothing went yet


def test_after_erasure_no_byte_of_the_pupil_is_left_in_the_store_or_the_data_folder(dpo, data):
    before = _bytes_of_folder(data)
    assert any(SECRETS[1].encode() in b for b in before.values())  # the scan can find it
    said = _erase(dpo, data)
    assert said.startswith(f"Erased pupil {PUPIL}: 6 records, 7 history entries, the real "
                           "name, 1 report files, 6 attendance rows")
    after = _bytes_of_folder(data)
    for secret in SECRETS:
        found = [p.name for p, content in after.items() if secret.encode() in content]
        assert not found, f"{secret!r} is still in {found}"
    assert not (data / "reports" / f"map-summary-{PUPIL}.html").exists()
    csv = (data / WORKSPACE / "attendance_marks.csv").read_text()
    assert PUPIL not in csv and csv.count(OTHER) == 6


def test_no_table_but_the_audit_names_the_pupil_and_the_audit_says_who_and_why(dpo, data):
    _erase(dpo, data)
    with sqlite3.connect(dpo.store.path) as conn:
        for table, column in (("records", "key"), ("history", "key"), ("pupil_names", "pupil")):
            count = conn.execute(f"SELECT count(*) FROM {table} WHERE {column} LIKE ?",
                                 (f"{PUPIL}%",)).fetchone()[0]
            assert count == 0, table
    [entry] = dpo.store.audit_entries(workspace=WORKSPACE, action="erase")
    assert (entry.account, entry.key, entry.allowed) == ("dpo", PUPIL, True)
    assert entry.detail.startswith("reason: the pupil asked for erasure (article 17); removed")
    assert not any(s in entry.detail for s in SECRETS)


def test_another_pupil_is_left_as_it_was(dpo, data):
    _erase(dpo, data)
    assert dpo.store.get(WORKSPACE, "connection", f"{OTHER}/c9").data["name"] == OTHER_TEXT
    assert (data / "reports" / f"map-summary-{OTHER}.html").exists()


def test_a_legal_hold_blocks_erasure_until_lifted_with_a_reason(dpo, data):
    set_hold(dpo, WORKSPACE, PUPIL, "tribunal case 2026/14")
    with pytest.raises(LegalHoldError) as caught:
        erasure.plan(dpo, WORKSPACE, PUPIL, data)
    assert str(caught.value) == (
        "pupil 'P-1001': is under a legal hold (tribunal case 2026/14), so its records may "
        "not be erased; lift the hold first, with a reason: partnerkit pupil release "
        "P-1001 --reason \"...\"")
    assert dpo.store.get(WORKSPACE, "pupil_profile", PUPIL) is not None
    set_hold(dpo, WORKSPACE, PUPIL, "tribunal closed", held=False)
    assert [c.after["reason"] for c in dpo.store.history(WORKSPACE, "legal_hold", PUPIL)] == [
        "tribunal case 2026/14", "tribunal closed"]
    _erase(dpo, data)
    assert dpo.store.get(WORKSPACE, "legal_hold", PUPIL) is None


def test_a_hold_set_after_the_plan_still_blocks_the_erasure(dpo, data):
    chosen = erasure.plan(dpo, WORKSPACE, PUPIL, data)
    set_hold(dpo, WORKSPACE, PUPIL, "police request")
    with pytest.raises(LegalHoldError):
        erasure.erase(dpo, chosen, "asked")


def test_lifting_a_hold_that_is_not_there_is_refused(dpo):
    with pytest.raises(LegalHoldError, match="has no legal hold to lift"):
        set_hold(dpo, WORKSPACE, PUPIL, "nothing", held=False)


def test_an_erasure_needs_a_reason(dpo, data):
    with pytest.raises(PartnerkitError, match="no reason was given"):
        _erase(dpo, data, reason="  ")
    assert dpo.store.real_name(WORKSPACE, PUPIL) == REAL_NAME


def test_only_the_data_protection_lead_erases(school, data):
    with pytest.raises(AccessDeniedError, match="as school lead you may not erase"):
        erasure.plan(as_account(school, "lead"), WORKSPACE, PUPIL, data)


def test_the_cli_shows_the_plan_and_erases_only_when_the_reference_is_typed(
        school, data, capsys, monkeypatch):
    from partnerkit.cli import main

    school.close()
    args = ["pupil", "erase", PUPIL, "--workspace", WORKSPACE, "--data", str(data), "--as",
            "dpo", "--reason", "asked"]
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "2 connection records" in out and out.rstrip().endswith("Nothing was erased.")
    monkeypatch.setattr("builtins.input", lambda prompt: PUPIL)
    assert main(args) == 0
    assert "Erased pupil P-1001" in capsys.readouterr().out
    assert main(args) == 2  # now unknown
    assert "is not a pupil of workspace" in capsys.readouterr().err


def test_the_cli_erases_without_asking_with_yes_and_refuses_under_a_hold(school, data, capsys):
    from partnerkit.cli import main

    school.close()
    common = ["--workspace", WORKSPACE, "--data", str(data), "--as", "dpo"]
    assert main(["pupil", "hold", PUPIL, *common, "--reason", "court order"]) == 0
    assert main(["pupil", "erase", PUPIL, *common, "--reason", "asked", "--yes"]) == 2
    assert "is under a legal hold (court order)" in capsys.readouterr().err
    assert main(["pupil", "release", PUPIL, *common, "--reason", "order ended"]) == 0
    assert main(["pupil", "erase", PUPIL, *common, "--reason", "asked", "--yes"]) == 0
