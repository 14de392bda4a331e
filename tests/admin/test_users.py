"""Accounts from the command line's package calls: add, role changes, remove, link, list."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from partnerkit import accounts
from partnerkit.admin import users
from partnerkit.errors import AccountError, SignInError
from partnerkit.store import Store
from tests.admin.conftest import PASSWORD


def never_asked() -> str:
    raise AssertionError("no password should be asked for")


def test_a_new_account_is_asked_its_password_once_everything_else_is_checked(school: Store):
    said = users.add_account(school, "jo.smith", "Jo  Smith", "practitioner", "school",
                             by="cli:me", new_password=lambda: PASSWORD,
                             email="jo@school.example")
    assert said == "Added account jo.smith (Jo Smith): practitioner in workspace school."
    assert accounts.sign_in(school, "jo.smith", PASSWORD, dt.datetime.now(dt.UTC))
    for bad in ({"role": "wizard"}, {"workspace": "../x"}, {"email": "nope"}):
        values = {"role": "practitioner", "workspace": "school", **bad}
        with pytest.raises(AccountError):
            users.add_account(school, "kim", "Kim", values["role"], values["workspace"],
                              by="t", new_password=never_asked, email=bad.get("email"))
    assert school.account_row("kim") is None


def test_a_username_of_someone_else_is_a_duplicate(school: Store):
    with pytest.raises(AccountError, match="already the username of 'Ada Admin'") as refused:
        users.add_account(school, "ada", "Ada Somebody", "practitioner", "cohort-1", by="t",
                          new_password=never_asked)
    assert "choose another username" in refused.value.fix


def test_the_same_person_gets_a_role_in_another_workspace_without_a_password(school: Store):
    said = users.add_account(school, "ada", "Ada Admin", "trainer", "cohort-1", by="t",
                             new_password=never_asked)
    assert said == "Added ada to workspace cohort-1 as trainer."
    with pytest.raises(AccountError, match="already trainer in workspace 'cohort-1'"):
        users.add_account(school, "ada", "Ada Admin", "trainer", "cohort-1", by="t",
                          new_password=never_asked)


def test_a_role_changes_but_the_last_admin_stays_admin(school: Store):
    with pytest.raises(AccountError, match="last admin of workspace 'school'"):
        users.add_account(school, "ada", "Ada Admin", "practitioner", "school", by="t",
                          new_password=never_asked)
    said = users.add_account(school, "tam", "Tam Trainer", "practitioner", "cohort-1", by="t",
                             new_password=never_asked,
                             organisation="Eastfield Youth Project")
    assert said == "Changed tam's role in workspace cohort-1 from trainer to practitioner."
    assert school.memberships(username="tam")[0].organisation == "Eastfield Youth Project"


def test_remove_and_reset_need_an_existing_account(school: Store):
    for call in (lambda: users.remove_account(school, "ghost", by="t"),
                 lambda: users.reset_password(school, "ghost", by="t",
                                              new_password=never_asked)):
        with pytest.raises(AccountError, match="there is no such account"):
            call()


def test_a_reset_password_works_and_lifts_a_lock(school: Store):
    now = dt.datetime.now(dt.UTC)
    for _ in range(accounts.LOCK_AFTER):
        with pytest.raises(SignInError):
            accounts.sign_in(school, "tam", "wrong password", now)
    assert "until" in users.users_table(school).splitlines()[3]
    users.reset_password(school, "tam", by="cli:me", new_password=lambda: "a new password!")
    assert accounts.sign_in(school, "tam", "a new password!", now)
    assert school.audit_entries(action="password-reset")[0].account == "cli:me"


def test_a_login_name_is_linked_to_an_account(school: Store):
    said = users.link_login(school, "jsmith", "ada", by="cli:me")
    assert "'jsmith' now acts as ada (Ada Admin)" in said
    assert school.login_account("jsmith") == "ada"
    with pytest.raises(AccountError, match="is not a login name"):
        users.link_login(school, "j smith", "ada", by="cli:me")
    with pytest.raises(AccountError, match="no such account"):
        users.link_login(school, "jsmith", "ghost", by="cli:me")


def test_a_second_factor_shows_its_address_and_a_qr_code(school: Store):
    said = users.second_factor(school, "ada", by="cli:me")
    uri = next(line for line in said.splitlines() if line.startswith("otpauth://"))
    secret = school.account_row("ada").totp_secret
    assert pyotp.parse_uri(uri).secret == secret
    assert sum("█" in line for line in said.splitlines()) > 10
    assert accounts.second_factor_matches(school, "ada", pyotp.TOTP(secret).now())


def test_the_list_shows_roles_locks_and_second_factors(school: Store):
    school.set_second_factor("school", True)
    users.add_account(school, "ada", "Ada Admin", "trainer", "cohort-1", by="t",
                      new_password=never_asked)
    lines = users.users_table(school).splitlines()
    assert lines[0].split() == ["username", "name", "workspaces", "and", "roles", "locked",
                                "second", "factor"]
    ada = next(line for line in lines if line.startswith("ada "))
    assert "cohort-1: trainer; school: admin" in ada and ada.endswith("NEEDED, not set up")
    tam = next(line for line in lines if line.startswith("tam "))
    assert tam.split()[-2:] == ["no", "no"]
