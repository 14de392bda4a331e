"""``partnerkit users`` and ``workspaces``: one line per refusal, status 2, no traceback."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from partnerkit import accounts
from partnerkit.cli import main
from partnerkit.store import Store
from tests.helpers.backends import BACKENDS, backend_url

PASSWORD = "three unrelated words"


@pytest.fixture(autouse=True)
def _fast(fast_hashing):
    """Real argon2 at its lightest settings."""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with workspace 'oak' and its admin ada."""
    folder = tmp_path / "data"
    assert main(["workspaces", "add", "oak", "--title", "Oakfield Primary", "--data",
                 str(folder)]) == 0
    store = Store(data=folder)
    accounts.add_user(store, "ada", "Ada Admin", "admin", "oak", by="test", password=PASSWORD)
    store.close()
    return folder


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def opened(data: Path) -> Store:
    return Store(data=data)


def test_users_add_reads_the_password_from_stdin(data, capsys, monkeypatch):
    status, out, err = run(capsys, "users", "add", "jo.smith", "--name", "Jo Smith", "--role",
                           "school-lead", "--workspace", "oak", "--email", "jo@oak.example",
                           "--password-stdin", "--data", str(data),
                           stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert (status, err) == (0, "")
    assert out == "Added account jo.smith (Jo Smith): school lead in workspace oak.\n"
    store = opened(data)
    signed = accounts.sign_in(store, "jo.smith", PASSWORD, dt.datetime.now(dt.UTC))
    assert signed.account.role_in("oak") == "school_lead"
    entry = store.audit_entries(action="account-add")[0]
    assert (entry.account, entry.key) == (f"cli:{accounts.login_name()}", "jo.smith")


def test_users_add_asks_twice_at_the_terminal(data, capsys, monkeypatch):
    import getpass

    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(answers))
    status, out, _ = run(capsys, "users", "add", "kim", "--name", "Kim Lee", "--role",
                         "data-protection-lead", "--workspace", "oak", "--data", str(data))
    assert status == 0 and "data-protection lead" in out


def test_passwords_that_differ_add_nothing(data, capsys, monkeypatch):
    import getpass

    answers = iter([PASSWORD, PASSWORD + " typo"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(answers))
    status, _, err = run(capsys, "users", "add", "kim", "--name", "Kim Lee", "--role",
                         "practitioner", "--workspace", "oak", "--data", str(data))
    assert status == 2
    assert one_error_line(err) == ("partnerkit: error: password: the two passwords typed "
                                   "differ; run the command again and type the same password "
                                   "twice")
    assert opened(data).account_row("kim") is None


def test_a_short_password_adds_nothing(data, capsys, monkeypatch):
    status, _, err = run(capsys, "users", "add", "kim", "--name", "Kim", "--role",
                         "practitioner", "--workspace", "oak", "--password-stdin", "--data",
                         str(data), stdin="short\n", monkeypatch=monkeypatch)
    assert status == 2 and "too short (at least 10 characters)" in one_error_line(err)
    assert "short" not in err.split("too short")[0]
    assert opened(data).account_row("kim") is None


def test_a_duplicate_username_is_refused(data, capsys, monkeypatch):
    status, _, err = run(capsys, "users", "add", "ada", "--name", "Another Ada", "--role",
                         "practitioner", "--workspace", "oak", "--password-stdin", "--data",
                         str(data), stdin=PASSWORD + "\n", monkeypatch=monkeypatch)
    assert status == 2
    assert "username 'ada': is already the username of 'Ada Admin'" in one_error_line(err)


def test_the_last_admin_cannot_be_removed(data, capsys):
    status, _, err = run(capsys, "users", "remove", "ada", "--data", str(data))
    assert status == 2
    assert one_error_line(err) == ("partnerkit: error: users remove 'ada': is the last admin "
                                   "of workspace 'oak'; make another account admin of that "
                                   "workspace first")
    assert opened(data).account_row("ada") is not None


@pytest.mark.parametrize("name", ["../x", "a/b", "..", "x/../../etc"])
def test_a_workspace_name_with_path_characters_is_refused(data, capsys, name):
    before = sorted(p for p in data.parent.rglob("*") if p.is_dir())
    status, _, err = run(capsys, "workspaces", "add", name, "--title", "X", "--data", str(data))
    assert status == 2
    assert one_error_line(err).startswith(f"partnerkit: error: workspace {name!r}: is not a "
                                          "workspace name")
    assert list(opened(data).workspaces()) == ["oak"]
    assert sorted(p for p in data.parent.rglob("*") if p.is_dir()) == before  # no folder made


@pytest.mark.parametrize("args", [
    ["users", "remove", "ghost"], ["users", "reset-password", "ghost", "--password-stdin"],
    ["users", "link", "somebody", "ghost"], ["users", "second-factor", "ghost"]])
def test_an_unknown_account_is_one_line(data, capsys, monkeypatch, args):
    status, _, err = run(capsys, *args, "--data", str(data), stdin=PASSWORD + "\n",
                         monkeypatch=monkeypatch)
    assert status == 2
    assert one_error_line(err) == ("partnerkit: error: username 'ghost': there is no such "
                                   "account; see partnerkit users list")


def test_an_unknown_role_or_workspace_is_one_line(data, capsys):
    for extra, words in ((["--role", "wizard", "--workspace", "oak"], "role 'wizard'"),
                         (["--role", "trainer", "--workspace", "elm"], "workspace 'elm'")):
        status, _, err = run(capsys, "users", "add", "kim", "--name", "Kim", *extra, "--data",
                             str(data))
        assert status == 2 and words in one_error_line(err)


def test_reset_password_link_and_list(data, capsys, monkeypatch):
    status, out, _ = run(capsys, "users", "reset-password", "ada", "--password-stdin",
                         "--data", str(data), stdin="a brand new password\n",
                         monkeypatch=monkeypatch)
    assert status == 0 and "New password set for ada" in out
    assert run(capsys, "users", "link", "adalogin", "ada", "--data", str(data))[0] == 0
    assert opened(data).login_account("adalogin") == "ada"
    status, out, _ = run(capsys, "users", "list", "--data", str(data))
    assert status == 0 and out.splitlines()[2].split()[:4] == ["ada", "Ada", "Admin", "oak:"]


def test_workspaces_list_members_and_second_factor(data, capsys):
    assert run(capsys, "workspaces", "second-factor", "oak", "on", "--data", str(data))[0] == 0
    status, out, _ = run(capsys, "workspaces", "list", "--data", str(data))
    assert out.splitlines()[2].split() == ["oak", "Oakfield", "Primary", "1", "on"]
    status, out, _ = run(capsys, "workspaces", "members", "oak", "--data", str(data))
    assert out.splitlines()[2].split() == ["ada", "Ada", "Admin", "admin"]
    with pytest.raises(SystemExit) as refused:
        main(["workspaces", "second-factor", "oak", "maybe", "--data", str(data)])
    assert refused.value.code == 2
    assert "invalid choice: 'maybe'" in one_error_line(capsys.readouterr().err)


def test_a_listing_of_a_folder_that_does_not_exist_makes_nothing(tmp_path, capsys):
    status, _, err = run(capsys, "users", "list", "--data", str(tmp_path / "typo"))
    assert status == 2 and "does not exist" in one_error_line(err)
    assert not (tmp_path / "typo").exists()


def test_a_command_group_alone_prints_its_help(capsys):
    status, out, _ = run(capsys, "users")
    assert status == 2 and "reset-password" in out and "import" in out


# ---------------------------------------------------------------- import

CLASS = "username,name,email,role,workspace\njo.smith,Jo Smith,,practitioner,oak\n" \
        "kim.lee,Kim Lee,kim@oak.example,trainer,oak\n"


def test_import_writes_the_codes_to_a_file_and_never_to_the_terminal(data, tmp_path, capsys):
    source = tmp_path / "cohort.csv"
    source.write_text(CLASS)
    status, out, err = run(capsys, "users", "import", str(source), "--data", str(data))
    assert (status, err) == (0, "")
    codes_file = Path(next(line.split(": ", 1)[1] for line in out.splitlines()
                           if line.startswith("One-time sign-in codes")))
    assert codes_file.parent == data / "sign-in-codes" and codes_file.name.startswith("cohort")
    codes = [line.split(",")[2] for line in
             codes_file.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert len(codes) == 2 and not any(code in out for code in codes)
    assert "2 new accounts" in out


def test_import_shows_the_codes_when_asked(data, tmp_path, capsys):
    source = tmp_path / "cohort.csv"
    source.write_text(CLASS)
    codes_file = tmp_path / "handout.csv"
    status, out, _ = run(capsys, "users", "import", str(source), "--show-codes", "--codes",
                         str(codes_file), "--data", str(data))
    assert status == 0
    for line in codes_file.read_text(encoding="utf-8-sig").splitlines()[1:]:
        username, name, code = line.split(",")
        assert any(row.split()[0] == username and row.endswith(code)
                   for row in out.splitlines())


def test_a_bad_class_list_lists_every_problem_and_imports_nothing(data, tmp_path, capsys):
    source = tmp_path / "cohort.csv"
    source.write_text("username,name,email,role,workspace\njo.smith,Jo,,wizard,oak\n"
                      "jo.smith,Jo,x@,practitioner,oak\nok.one,Ok,,practitioner,elm\n")
    status, out, err = run(capsys, "users", "import", str(source), "--data", str(data))
    assert status == 2 and out == "" and "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[0] == ("partnerkit: error: cohort.csv: the class list has 3 problems in 3 "
                        "rows, so nothing was imported; correct every row listed and import "
                        "the file again")
    assert [line.split(",")[1].strip() for line in lines[1:]] == ["row 2", "row 3", "row 4"]
    assert "column 'role' 'wizard': is not a role" in lines[1]
    assert "column 'email' 'x@': is not an email address" in lines[2]
    assert "column 'workspace' 'elm': is not a workspace" in lines[3]
    assert [r.username for r in opened(data).account_rows()] == ["ada"]


# ---------------------------------------------------- the real command line


def test_the_real_command_reads_a_password_from_its_stdin(data):
    result = subprocess.run(
        [sys.executable, "-m", "partnerkit", "users", "add", "sam", "--name", "Sam Reid",
         "--role", "practitioner", "--organisation", "Eastfield Youth Project", "--workspace",
         "oak", "--password-stdin", "--data", str(data)],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    store = opened(data)
    assert accounts.sign_in(store, "sam", PASSWORD, dt.datetime.now(dt.UTC))
    assert store.memberships(username="sam")[0].organisation == "Eastfield Youth Project"


def test_the_help_stays_light():
    code = ("import sys; from partnerkit.cli import build_parser; build_parser(); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pandas', 'papermill', 'sqlalchemy', 'argon2', 'segno', 'pyotp', 'numpy'})); "
            "print(sorted(m for m in sys.modules if m.startswith('partnerkit.')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    heavy, ours = result.stdout.splitlines()
    assert heavy == "[]"
    assert "partnerkit.admin" not in ours and "partnerkit.accounts" not in ours


# ----------------------------------------------------------- both backends


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_command_takes_a_database_url(backend, tmp_path, capsys, monkeypatch):
    with backend_url(backend, tmp_path) as url:
        where = ["--data", str(tmp_path / "data"), "--database-url", url]
        assert main(["workspaces", "add", "oak", "--title", "Oak", *where]) == 0
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        assert main(["users", "add", "ada", "--name", "Ada", "--role", "admin", "--workspace",
                     "oak", "--password-stdin", *where]) == 0
        assert main(["users", "remove", "ada", *where]) == 2
        capsys.readouterr()
        assert main(["users", "list", *where]) == 0
        assert capsys.readouterr().out.splitlines()[2].split()[:2] == ["ada", "Ada"]
        store = Store(url)
        try:
            assert store.account_row("ada") is not None
        finally:
            store.close()
