"""Accounts: hashing, the checks of every value, sign-in and its lock, codes, TOTP, who a run is."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from partnerkit import accounts
from partnerkit.access import ADMIN, PRACTITIONER, SCHOOL_LEAD, TRAINER
from partnerkit.errors import AccessDeniedError, AccountError, SignInError
from partnerkit.store import Store

PASSWORD = "three unrelated words"


@pytest.fixture(autouse=True)
def _fast(fast_hashing):
    """Every test here hashes with real argon2 at its lightest settings."""


@pytest.fixture
def people(store: Store) -> Store:
    """Workspace 'school' with an admin (ada), a lead (lee) and a practitioner (ann)."""
    for username, role in (("ada", ADMIN), ("lee", SCHOOL_LEAD), ("ann", PRACTITIONER)):
        accounts.add_user(store, username, username.title(), role, "school", by="test",
                          password=PASSWORD)
    return store


# ----------------------------------------------------------------- hashing


def test_a_password_is_kept_only_as_an_argon2_hash():
    kept = accounts.hash_password(PASSWORD)
    assert kept.startswith("$argon2") and PASSWORD not in kept
    assert accounts.password_matches(kept, PASSWORD)
    assert not accounts.password_matches(kept, PASSWORD + "!")


@pytest.mark.parametrize("kept", [None, "", "not a hash", "$argon2id$v=19$broken"])
def test_a_missing_or_damaged_hash_matches_nothing(kept):
    assert not accounts.password_matches(kept, PASSWORD)


def test_the_same_password_hashes_differently_each_time():
    assert accounts.hash_password(PASSWORD) != accounts.hash_password(PASSWORD)


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize("good", ["a.morgan", "ab", "x_1-2", "a" * 64])
def test_good_usernames(good):
    assert accounts.check_username(f"  {good} ") == good


@pytest.mark.parametrize("bad", ["", "a", "A.Morgan", "a morgan", "../x", "a/b", "-lead",
                                 "é.morgan", "a" * 65, "x;drop table accounts", "<b>x</b>"])
def test_bad_usernames_say_what_a_username_is(bad):
    with pytest.raises(AccountError) as refused:
        accounts.check_username(bad)
    assert "is not a username" in str(refused.value) and "lower-case" in refused.value.fix


@pytest.mark.parametrize("bad", ["../x", "a/b", "a\\b", ".hidden", "Oak Field", "", "x" * 101])
def test_workspace_names_with_path_characters_are_refused(bad):
    with pytest.raises(AccountError, match="is not a workspace name") as refused:
        accounts.check_workspace_name(bad)
    assert "no spaces, slashes or dots" in refused.value.fix


@pytest.mark.parametrize(("typed", "role"), [
    ("practitioner", "practitioner"), ("school-lead", "school_lead"),
    ("School Lead", "school_lead"), ("trainer", "trainer"), ("dp-lead", "dp_lead"),
    ("data-protection-lead", "dp_lead"), ("Data protection lead", "dp_lead"),
    ("ADMIN", "admin")])
def test_roles_are_accepted_as_people_write_them(typed, role):
    assert accounts.check_role(typed) == role


@pytest.mark.parametrize("bad", ["", "wizard", "head teacher", "admins"])
def test_an_unknown_role_lists_the_roles(bad):
    with pytest.raises(AccountError, match="is not a role") as refused:
        accounts.check_role(bad)
    assert "practitioner, school-lead, trainer, dp-lead, admin" in refused.value.fix


def test_emails():
    assert accounts.check_email(" jo@school.example ") == "jo@school.example"
    assert accounts.check_email("") is None and accounts.check_email(None) is None
    for bad in ("jo", "jo@", "jo@school", "jo @school.example", "<jo@x.example>"):
        with pytest.raises(AccountError, match="is not an email address"):
            accounts.check_email(bad)


def test_names_are_tidied_and_bounded():
    assert accounts.check_name("  Alex   Morgan ") == "Alex Morgan"
    assert accounts.check_name("<script>alert(1)</script>") == "<script>alert(1)</script>"
    for bad in ("", "   ", "x" * 201):
        with pytest.raises(AccountError, match="is not a name"):
            accounts.check_name(bad)


def test_a_short_password_is_refused_without_showing_it():
    with pytest.raises(AccountError, match="too short") as refused:
        accounts.check_password("short one")
    assert "short one" not in str(refused.value)
    assert accounts.check_password("ten chars!") == "ten chars!"


@pytest.mark.parametrize("bad", ["", "two words", "../x", "a/b", "x" * 101])
def test_bad_login_names(bad):
    with pytest.raises(AccountError, match="is not a login name"):
        accounts.check_login(bad)
    assert accounts.check_login("DOMAIN\\jo.smith") == "DOMAIN\\jo.smith"


def test_one_time_codes_are_readable_and_different():
    codes = {accounts.one_time_code() for _ in range(50)}
    assert len(codes) == 50
    for code in codes:
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
        assert not set(code) & set("01OI")


# ------------------------------------------------------ accounts and workspaces


def test_adding_an_existing_account_gives_it_a_role_in_another_workspace(people: Store):
    accounts.add_workspace(people, "cohort", "Cohort", by="test")
    assert accounts.add_user(people, "ann", "Ann", TRAINER, "cohort", by="test") is False
    assert {(m.workspace, m.role) for m in people.memberships(username="ann")} == {
        ("school", PRACTITIONER), ("cohort", TRAINER)}


def test_a_new_account_needs_a_password(store: Store):
    with pytest.raises(AccountError, match="needs a password"):
        accounts.add_user(store, "new.one", "New One", PRACTITIONER, "school", by="test")
    assert store.account_row("new.one") is None


def test_a_new_account_may_be_given_a_hash_made_once(store: Store):
    made = accounts.hash_password(PASSWORD)
    accounts.add_user(store, "a.one", "A One", PRACTITIONER, "school", by="t", password_hash=made)
    assert store.account_row("a.one").password_hash == made


def test_an_unknown_workspace_is_refused_with_the_command_that_makes_it(store: Store):
    with pytest.raises(AccountError, match="does not exist") as refused:
        accounts.add_user(store, "jo", "Jo", PRACTITIONER, "nowhere", by="t", password=PASSWORD)
    assert "partnerkit workspaces add nowhere" in refused.value.fix


def test_the_last_admin_of_a_workspace_cannot_be_removed(people: Store):
    with pytest.raises(AccountError, match="last admin of workspace 'school'"):
        accounts.remove_user(people, "ada", by="test")
    accounts.add_user(people, "lee", "Lee", ADMIN, "school", by="test")
    accounts.remove_user(people, "ada", by="test")
    assert people.account_row("ada") is None
    assert people.audit_entries(action="account-remove")[0].key == "ada"


# ----------------------------------------------------------------- sign-in

NOW = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def test_signing_in_with_the_right_password(people: Store):
    signed = accounts.sign_in(people, " Ann ", PASSWORD, NOW)
    assert signed.account.username == "ann" and not signed.must_change_password
    assert signed.account.role_in("school") == PRACTITIONER


def test_an_unknown_account_and_a_wrong_password_say_the_same(people: Store):
    with pytest.raises(SignInError) as unknown:
        accounts.sign_in(people, "nobody", PASSWORD, NOW)
    with pytest.raises(SignInError) as wrong:
        accounts.sign_in(people, "ann", "not the password", NOW)
    assert str(unknown.value) == str(wrong.value)
    assert accounts.SIGN_IN_FAILED in str(wrong.value)


def test_five_failures_lock_the_account_for_a_while(people: Store):
    for _ in range(accounts.LOCK_AFTER):
        with pytest.raises(SignInError, match="not right"):
            accounts.sign_in(people, "ann", "wrong password", NOW)
    with pytest.raises(SignInError, match="locked") as locked:
        accounts.sign_in(people, "ann", PASSWORD, NOW + dt.timedelta(minutes=1))
    assert "ask an admin to reset the password" in str(locked.value)
    assert people.audit_entries(account="ann", action="account-locked")
    later = NOW + dt.timedelta(minutes=accounts.LOCK_MINUTES + 1)
    assert accounts.sign_in(people, "ann", PASSWORD, later).account.username == "ann"


def test_a_new_password_lifts_the_lock(people: Store):
    for _ in range(accounts.LOCK_AFTER):
        with pytest.raises(SignInError):
            accounts.sign_in(people, "ann", "wrong password", NOW)
    accounts.set_password(people, "ann", "a brand new password", by="test")
    assert accounts.sign_in(people, "ann", "a brand new password", NOW).account


def test_a_one_time_code_must_be_changed_at_first_sign_in(store: Store):
    code = accounts.one_time_code()
    accounts.add_user(store, "jo", "Jo", PRACTITIONER, "school", by="t", password=code,
                      must_change=True)
    assert accounts.sign_in(store, "jo", code, NOW).must_change_password


# ------------------------------------------------------------ second factor


def test_an_authenticator_code_from_the_secret_is_accepted(people: Store):
    secret = accounts.new_totp_secret(people, "lee", by="test")
    assert accounts.second_factor_matches(people, "lee", pyotp.TOTP(secret).now())
    assert not accounts.second_factor_matches(people, "lee", "000000")
    assert not accounts.second_factor_matches(people, "ann", pyotp.TOTP(secret).now())
    uri = accounts.totp_uri(secret, "lee")
    assert uri.startswith("otpauth://totp/") and "issuer=partnerkit" in uri


def test_a_workspace_asks_its_leads_not_its_practitioners_for_a_second_factor(people: Store):
    from partnerkit.access import load_account

    people.set_second_factor("school", True)
    assert accounts.needs_second_factor(people, load_account(people, "lee"))
    assert not accounts.needs_second_factor(people, load_account(people, "ann"))


def test_a_right_password_does_not_start_the_count_again_when_a_code_must_follow(
        people: Store):
    import datetime as dt

    people.set_second_factor("school", True)
    now = dt.datetime.now(dt.UTC)
    people.count_failed_sign_in("lee", accounts.LOCK_AFTER, now)  # a wrong code before
    signed = accounts.sign_in(people, "lee", PASSWORD, now)
    assert signed.needs_second_factor
    assert people.account_row("lee").failed_sign_ins == 1
    accounts.sign_in(people, "ann", PASSWORD, now)
    assert people.account_row("ann").failed_sign_ins == 0


# ---------------------------------------------------------- who a run acts as


@pytest.fixture
def env(monkeypatch):
    for name in (accounts.ACCOUNT_ENV, accounts.HUB_USER_ENV):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_store_without_accounts_is_the_one_local_persons(store: Store, env):
    assert accounts.resolve_account(store).local
    assert accounts.resolve_account(store).username == accounts.login_name()
    assert accounts.resolve_account(store, "someone").username == "someone"


def test_who_a_run_is_comes_from_as_then_the_environment_then_the_login(people: Store, env):
    people.map_login(accounts.login_name(), "ada")
    assert accounts.resolve_account(people).username == "ada"
    env.setenv(accounts.HUB_USER_ENV, "lee")
    assert accounts.resolve_account(people).username == "lee"
    env.setenv(accounts.ACCOUNT_ENV, "ann")
    assert accounts.resolve_account(people).username == "ann"
    assert accounts.resolve_account(people, "ada").username == "ada"


def test_an_unknown_account_names_where_it_came_from(people: Store, env):
    with pytest.raises(AccessDeniedError, match=r"\(--as\) 'nobody'") as refused:
        accounts.resolve_account(people, "nobody")
    assert "partnerkit users list" in str(refused.value)
    env.setenv(accounts.ACCOUNT_ENV, "ghost")
    with pytest.raises(AccessDeniedError, match=r"\$PARTNERKIT_ACCOUNT"):
        accounts.resolve_account(people)


def test_a_login_linked_to_no_account_is_told_how_to_link_it(people: Store, env):
    with pytest.raises(AccessDeniedError) as refused:
        accounts.resolve_account(people)
    assert f"partnerkit users link {accounts.login_name()} USERNAME" in str(refused.value)
