"""Accounts: adding people, passwords and one-time codes, signing in, and who a run acts as.

Passwords are hashed with argon2 (``argon2-cffi``), never kept. A sign-in that fails says
the same thing for an unknown account and a wrong password, takes as long either way,
and is counted: after :data:`LOCK_AFTER` failures in a row the account is locked for
:data:`LOCK_MINUTES` minutes (recorded in the audit trail). A workspace may ask its
leads, data-protection leads and admins for a second factor: a six-digit code from an
authenticator app (TOTP, ``pyotp``).

Who a JupyterLab kernel or a batch render acts as (:func:`resolve_account`): ``--as`` or
``$PARTNERKIT_ACCOUNT``, else the JupyterHub user, else the computer's login name linked
to an account (``partnerkit demo`` links it to the demo admin). A store with no accounts
at all belongs to the one person using it (:func:`partnerkit.access.local_account`).
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from partnerkit.access import (
    ADMIN,
    ROLES,
    SECOND_FACTOR_ROLES,
    Account,
    load_account,
    local_account,
)
from partnerkit.errors import AccessDeniedError, AccountError, SignInError

if TYPE_CHECKING:
    from partnerkit.store import Store

ACCOUNT_ENV = "PARTNERKIT_ACCOUNT"
HUB_USER_ENV = "JUPYTERHUB_USER"
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
WORKSPACE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
EMAIL_PATTERN = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9._@$-][A-Za-z0-9._@$\\-]{0,99}")
MIN_PASSWORD = 10
LOCK_AFTER = 5
"""Failed sign-ins in a row that lock an account."""
LOCK_MINUTES = 15
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits of one-time codes: no 0/O or 1/I to misread."""
SIGN_IN_FAILED = "the username or password is not right"
SIGN_IN_FIX = "check them and try again; after several failures the account is locked for a while"

_hasher: Any = None


def _password_hasher() -> Any:
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def hash_password(password: str) -> str:
    """The argon2 hash of a password (what the store keeps)."""
    return _password_hasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """True when ``password`` is the one ``password_hash`` was made from."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _password_hasher().verify(password_hash or _dummy_hash(), password) and bool(
            password_hash)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    """A hash to check against when there is no account, so that takes as long."""
    if not _DUMMY:
        _DUMMY.append(hash_password(secrets.token_urlsafe(16)))
    return _DUMMY[0]


# ------------------------------------------------------------------ checks

def check_username(username: str, where: str = "username") -> str:
    """A username: 2-64 lower-case letters, digits, dots, dashes or underscores."""
    value = (username or "").strip()
    if not USERNAME_PATTERN.fullmatch(value):
        raise AccountError("is not a username", value=username, where=where,
                           fix="use 2 to 64 lower-case letters, digits, '.', '-' or '_', "
                               "starting with a letter or digit (for example a.morgan)")
    return value


def check_workspace_name(name: str, where: str = "workspace") -> str:
    """A workspace id: lower-case letters, digits, '-' and '_' (no path characters)."""
    value = (name or "").strip()
    if not WORKSPACE_PATTERN.fullmatch(value):
        raise AccountError("is not a workspace name", value=name, where=where,
                           fix="use lower-case letters, digits, '-' or '_' (for example "
                               "oakfield-primary); no spaces, slashes or dots")
    return value


def check_role(role: str, where: str = "role") -> str:
    """A role name as typed ('school lead', 'school-lead' ...) turned into its id."""
    value = (role or "").strip().lower().replace("-", "_").replace(" ", "_")
    value = {"data_protection_lead": "dp_lead", "lead": "school_lead"}.get(value, value)
    if value not in ROLES:
        raise AccountError("is not a role", value=role, where=where,
                           fix="use one of: " + ", ".join(r.replace("_", "-") for r in ROLES))
    return value


def check_email(email: str | None, where: str = "email") -> str | None:
    """An email address, or None when blank."""
    value = (email or "").strip()
    if not value:
        return None
    if not EMAIL_PATTERN.fullmatch(value):
        raise AccountError("is not an email address", value=email, where=where,
                           fix="give an address like name@school.example, or leave it blank")
    return value


def check_name(name: str, where: str = "name") -> str:
    """A person's full name: not blank, at most 200 characters (any text; shown escaped)."""
    value = " ".join((name or "").split())
    if not value or len(value) > 200:
        raise AccountError("is not a name", value=name, where=where,
                           fix="give the person's full name (1 to 200 characters)")
    return value


def check_password(password: str, where: str = "password") -> str:
    """A new password: at least :data:`MIN_PASSWORD` characters."""
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"is too short (at least {MIN_PASSWORD} characters)", where=where,
                           fix="three or four unrelated words make a good password")
    return password


def check_login(login: str, where: str = "login name") -> str:
    """A computer login name: 1-100 characters, no spaces, slashes or control characters."""
    value = (login or "").strip()
    if not LOGIN_PATTERN.fullmatch(value):
        raise AccountError("is not a login name", value=login, where=where,
                           fix="give the name you log in to this computer with (see the "
                               "command whoami), without spaces or slashes")
    return value


def one_time_code() -> str:
    """A one-time sign-in code to hand to a person: ``XXXX-XXXX-XXXX``."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(letters[i:i + 4] for i in range(0, 12, 4))


# ------------------------------------------------------- accounts and workspaces

def add_workspace(store: Store, name: str, title: str, by: str) -> str:
    """Create a workspace (a school or a training cohort)."""
    workspace = check_workspace_name(name)
    if workspace in store.workspaces():
        raise AccountError("exists already", value=workspace, where="workspace",
                           fix="choose another name, or add members to it")
    store.ensure_workspace(workspace, title.strip() or workspace, by)
    store.audit(by, "workspace-add", allowed=True, workspace=workspace)
    return workspace


def add_user(store: Store, username: str, name: str, role: str, workspace: str, *,
             by: str, email: str | None = None, password: str | None = None,
             organisation: str | None = None, must_change: bool = False,
             password_hash: str | None = None) -> bool:
    """Add an account (or, if it exists, a role in one more workspace). True if new.

    ``password`` may be None only for an account that exists already, or when
    ``password_hash`` (an argon2 hash made by :func:`hash_password`) is given instead:
    the demo gives its many accounts one hash of the one demo password.
    """
    username, role = check_username(username), check_role(role)
    workspace = _known_workspace(store, workspace)
    name, email = check_name(name), check_email(email)
    exists = store.account_row(username) is not None
    if not exists:
        if password is None and password_hash is None:
            raise AccountError("needs a password or a one-time code", value=username,
                               where="new account", fix="give --password-stdin or use "
                                                        "partnerkit users import")
        store.add_account(username, name, email=email, created_by=by,
                          password_hash=password_hash or hash_password(password or ""),
                          must_change_password=must_change)
    store.set_membership(username, workspace, role, added_by=by,
                         organisation=(organisation or "").strip() or None)
    store.audit(by, "account-add" if not exists else "member-add", allowed=True,
                workspace=workspace, key=username, detail=role)
    return not exists


def known_workspace(store: Store, workspace: str) -> str:
    """A well-formed workspace name that is in the store; else an AccountError with the fix."""
    workspace = check_workspace_name(workspace)
    if workspace not in store.workspaces():
        raise AccountError("does not exist", value=workspace, where="workspace",
                           fix="create it first: partnerkit workspaces add "
                               f"{workspace} --title \"...\"")
    return workspace


_known_workspace = known_workspace


def remove_user(store: Store, username: str, by: str) -> None:
    """Remove an account; refused when it is the last admin of a workspace."""
    username = check_username(username)
    if store.account_row(username) is None:
        raise AccountError("there is no such account", value=username, where="username",
                           fix="see partnerkit users list")
    for membership in store.memberships(username=username):
        if membership.role == ADMIN and _admins(store, membership.workspace) == {username}:
            raise AccountError(f"is the last admin of workspace {membership.workspace!r}",
                               value=username, where="users remove",
                               fix="make another account admin of that workspace first")
    store.remove_account(username)
    store.audit(by, "account-remove", allowed=True, key=username)


def _admins(store: Store, workspace: str) -> set[str]:
    return {m.username for m in store.memberships(workspace=workspace) if m.role == ADMIN}


def set_password(store: Store, username: str, password: str, by: str, *,
                 must_change: bool = False) -> None:
    """Give an account a new password (or one-time code) and lift any lock."""
    username = check_username(username)
    if not store.update_account(username, password_hash=hash_password(password),
                                must_change_password=must_change, failed_sign_ins=0,
                                locked_until=None):
        raise AccountError("there is no such account", value=username, where="username",
                           fix="see partnerkit users list")
    store.audit(by, "password-reset", allowed=True, key=username)


# ----------------------------------------------------------------- sign-in

@dataclass(frozen=True)
class SignedIn:
    """A sign-in that passed the password: the account, and what it must do next."""

    account: Account
    must_change_password: bool
    needs_second_factor: bool


def sign_in(store: Store, username: str, password: str, now: datetime) -> SignedIn:
    """Check a username and password; the same :class:`SignInError` for either wrong.

    A locked account is refused with its own message (when the lock lifts). Each
    failure is counted and audited; the :data:`LOCK_AFTER`-th in a row locks the account.
    """
    name = (username or "").strip().lower()
    row = store.account_row(name) if USERNAME_PATTERN.fullmatch(name) else None
    if row is not None and row.locked_until and _lock_end(row) > now:
        password_matches(None, password)
        store.audit(name, "sign-in", allowed=False, detail="account locked")
        raise SignInError(f"this account is locked after {LOCK_AFTER} failed sign-ins, "
                          f"until {_lock_end(row).astimezone():%H:%M}",
                          where="sign-in", fix="wait until then, or ask an admin to reset "
                                               "the password")
    if row is None or not password_matches(row.password_hash, password):
        _count_failure(store, name if row is not None else None, now)
        raise SignInError(SIGN_IN_FAILED, where="sign-in", fix=SIGN_IN_FIX)
    account = load_account(store, name)
    second = needs_second_factor(store, account)
    if not second:  # with a second factor, the count starts again only after its code
        store.update_account(name, failed_sign_ins=0, locked_until=None)
    return SignedIn(account, bool(row.must_change_password), second)


def _lock_end(row: Any) -> datetime:
    from partnerkit.store.accounts import locked_until

    return locked_until(row) or datetime.min


def _count_failure(store: Store, username: str | None, now: datetime) -> None:
    if username is None:
        store.audit("(unknown)", "sign-in", allowed=False, detail="unknown account")
        return
    failures, locked = store.count_failed_sign_in(username, LOCK_AFTER,
                                                  now + timedelta(minutes=LOCK_MINUTES))
    store.audit(username, "account-locked" if locked else "sign-in", allowed=False,
                detail=f"wrong password ({failures} in a row)")


def needs_second_factor(store: Store, account: Account) -> bool:
    """True when a workspace of the account asks its role for a second factor."""
    return any(m.role in SECOND_FACTOR_ROLES and store.second_factor_required(m.workspace)
               for m in account.memberships)


def new_totp_secret(store: Store, username: str, by: str) -> str:
    """Give an account a new authenticator secret; returns the secret (to show once)."""
    import pyotp

    secret = pyotp.random_base32()
    if not store.update_account(check_username(username), totp_secret=secret):
        raise AccountError("there is no such account", value=username, where="username",
                           fix="see partnerkit users list")
    store.audit(by, "second-factor-set", allowed=True, key=username)
    return secret


def totp_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (shown as a QR code)."""
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="partnerkit")


def second_factor_matches(store: Store, username: str, code: str) -> bool:
    """True when ``code`` is the account's current authenticator code (±30 s)."""
    import pyotp

    row = store.account_row(username)
    if row is None or not row.totp_secret:
        return False
    return pyotp.TOTP(row.totp_secret).verify("".join((code or "").split()), valid_window=1)


# --------------------------------------------------- who a kernel or render acts as

def login_name() -> str:
    """The computer's login name (``practitioner`` where there is none)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "practitioner"


def has_accounts(store: Store) -> bool:
    """True once the store has any account (then everyone acts as an account)."""
    return bool(store.account_rows())


def resolve_account(store: Store, wanted: str | None = None) -> Account:
    """The account a JupyterLab kernel, papermill run or batch render acts as.

    ``wanted`` (``--as``), else ``$PARTNERKIT_ACCOUNT``, else ``$JUPYTERHUB_USER``, else
    the login name's linked account. A store without accounts belongs to the one person
    using it: a local account under the name given, else the login name.
    """
    chosen = (wanted or os.environ.get(ACCOUNT_ENV) or os.environ.get(HUB_USER_ENV) or "").strip()
    login = login_name()
    if not has_accounts(store):
        return local_account(chosen or login)
    if chosen:
        if store.account_row(chosen) is None:
            source = "--as" if wanted else (
                f"${ACCOUNT_ENV}" if os.environ.get(ACCOUNT_ENV) else f"${HUB_USER_ENV}")
            raise AccessDeniedError("there is no such account in this store", value=chosen,
                                    where=f"who is working ({source})",
                                    fix="give a username that partnerkit users list shows")
        return load_account(store, chosen)
    linked = store.login_account(login)
    if linked is None:
        raise AccessDeniedError("this computer's login name is not linked to an account",
                                value=login, where="who is working",
                                fix=f"pass --as USERNAME, set {ACCOUNT_ENV}=USERNAME, or "
                                    f"link it: partnerkit users link {login} USERNAME")
    return load_account(store, linked)
