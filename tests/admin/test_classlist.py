"""A class list in: the whole file or nothing, every problem by row, codes owner-only."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from partnerkit import accounts
from partnerkit.admin.classlist import import_class_list, read_class_list
from partnerkit.errors import InputFileError
from partnerkit.store import Store

GOOD = """Username,Full name,E-mail,Role,Cohort,Organisation
jo.smith,Jo Smith,jo@school.example,practitioner,cohort-1,
kim.lee,Kim Lee,,school-lead,school,
pat.youth,Pat Youth,pat@youth.example,practitioner,cohort-1,Eastfield Youth Project
ada,Ada Admin,,trainer,cohort-1,
"""


def write(tmp_path: Path, text: str, name: str = "class.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_good_class_list_adds_accounts_with_one_time_codes(school: Store, tmp_path):
    codes = tmp_path / "codes" / "cohort-1.csv"
    result = import_class_list(school, write(tmp_path, GOOD), by="cli:me", codes_file=codes)
    assert [p.username for p in result.added] == ["jo.smith", "kim.lee", "pat.youth"]
    assert [p.username for p in result.joined] == ["ada"] and result.unchanged == []
    assert result.codes_file == codes
    lines = codes.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "username,name,one-time code"
    assert lines[1:] == [f"{u},{n},{result.codes[u]}" for u, n in
                         [("jo.smith", "Jo Smith"), ("kim.lee", "Kim Lee"),
                          ("pat.youth", "Pat Youth")]]
    signed = accounts.sign_in(school, "jo.smith", result.codes["jo.smith"],
                              dt.datetime.now(dt.UTC))
    assert signed.must_change_password
    member = {m.workspace: m for m in school.memberships(username="pat.youth")}["cohort-1"]
    assert (member.role, member.organisation) == ("practitioner", "Eastfield Youth Project")
    assert {m.workspace for m in school.memberships(username="ada")} == {"school", "cohort-1"}
    assert school.account_row("jo.smith").email == "jo@school.example"
    assert {e.key for e in school.audit_entries(account="cli:me", action="account-add")} == {
        "jo.smith", "kim.lee", "pat.youth"}


def test_the_codes_file_is_owner_only_in_an_owner_only_folder(school: Store, tmp_path):
    codes = tmp_path / "deep" / "er" / "codes.csv"
    import_class_list(school, write(tmp_path, GOOD), by="t", codes_file=codes)
    assert mode(codes) == 0o600
    assert mode(codes.parent) == 0o700 and mode(codes.parent.parent) == 0o700


def test_importing_the_same_list_again_adds_nothing_and_writes_no_codes(school: Store,
                                                                       tmp_path):
    source = write(tmp_path, GOOD)
    import_class_list(school, source, by="t", codes_file=tmp_path / "first.csv")
    again = import_class_list(school, source, by="t", codes_file=tmp_path / "second.csv")
    assert again.added == [] and again.joined == [] and len(again.unchanged) == 4
    assert again.codes_file is None and not (tmp_path / "second.csv").exists()


BAD_ROWS = [
    # (row text, row number, column, words in the message)
    ("ok.person,Ok Person,ok@x.example,practitioner,school", None, None, None),
    ("Bad Name!,Bad Username,,practitioner,school", 3, "username", "is not a username"),
    ("dup.one,Dup One,,practitioner,school", None, None, None),
    ("dup.one,Dup One,,practitioner,school", 5, "username", "listed twice (first in row 4)"),
    ("ada,Not Ada,,practitioner,school", 6, "username", "already the username of 'Ada Admin'"),
    ("r.role,Role Person,,wizard,school", 7, "role", "is not a role"),
    ("w.space,Work Space,,practitioner,nowhere", 8, "workspace", "is not a workspace"),
    ("e.mail,Bad Email,not-an-email,practitioner,school", 9, "email",
     "is not an email address"),
    ("n.name,,,practitioner,school", 10, "name", "is not a name"),
    ("p.path,Path Person,,practitioner,../x", 11, "workspace", "is not a workspace name"),
    ("ada,Ada Admin,,practitioner,school", 12, "role",
     "is already admin in workspace 'school'"),
]


def test_one_bad_row_of_each_kind_refuses_the_whole_file_listing_every_row(school: Store,
                                                                          tmp_path):
    text = "username,name,email,role,workspace\n" + "\n".join(r[0] for r in BAD_ROWS) + "\n"
    before = [r.username for r in school.account_rows()]
    with pytest.raises(InputFileError) as refused:
        import_class_list(school, write(tmp_path, text), by="t", codes_file=tmp_path / "c.csv")
    wanted = [(row, column, words) for _, row, column, words in BAD_ROWS if row]
    found = refused.value.problems
    assert [(p.row, p.column) for p in found] == [(row, column) for row, column, _ in wanted]
    for problem, (_, _, words) in zip(found, wanted, strict=True):
        assert words in str(problem) and problem.fix
    assert "9 problems in 9 rows, so nothing was imported" in str(refused.value)
    assert [r.username for r in school.account_rows()] == before
    assert not (tmp_path / "c.csv").exists()


def test_a_missing_column_names_it(school: Store, tmp_path):
    text = "username,name,role,workspace\njo,Jo,practitioner,school\n"
    with pytest.raises(InputFileError, match="the column 'email' is missing"):
        read_class_list(school, write(tmp_path, text))


def test_an_xlsx_class_list_is_read_too(school: Store, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Login", "Participant", "Email address", "Role", "Workspace"])
    sheet.append(["jo.smith", "Jo Smith", "jo@school.example", "Practitioner", "cohort-1"])
    book.save(tmp_path / "cohort.xlsx")
    checked = read_class_list(school, tmp_path / "cohort.xlsx")
    assert [(p.username, p.name, p.role, p.row) for p in checked.people] == [
        ("jo.smith", "Jo Smith", "practitioner", 2)]


def test_a_name_that_looks_like_a_formula_is_written_as_text(school: Store, tmp_path):
    text = "username,name,email,role,workspace\nf.x,=HYPERLINK(\"x\"),,practitioner,school\n"
    codes = tmp_path / "codes.csv"
    import_class_list(school, write(tmp_path, text), by="t", codes_file=codes)
    assert "'=HYPERLINK" in codes.read_text(encoding="utf-8-sig")
    assert school.account_row("f.x").name == '=HYPERLINK("x")'
