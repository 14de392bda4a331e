"""Accounts from the command line: add, change a role, remove, reset, link a login, list.

Each function takes an open store and ``by`` (who the audit trail names, ``cli:<login>``)
and returns the one plain sentence to print. A username is one person: adding it again
with another full name is refused as a duplicate (it is someone else), while the same
name adds the person to one more workspace, or changes their role there.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from partnerkit import accounts
from partnerkit.access import ADMIN, ROLES, account_from_rows
from partnerkit.admin.listing import plain_table
from partnerkit.errors import AccountError

if TYPE_CHECKING:
    from partnerkit.store import Store

NO_ACCOUNT_FIX = "see partnerkit users list"


def role_name(role: str) -> str:
    """A role as people say it ("school lead")."""
    return ROLES.get(role, role)


def existing_row(store: Store, username: str) -> Any:
    """The stored row of an account that must exist; AccountError naming it if not."""
    username = accounts.check_username(username)
    row = store.account_row(username)
    if row is None:
        raise AccountError("there is no such account", value=username, where="username",
                           fix=NO_ACCOUNT_FIX)
    return row


def check_same_person(row: Any, username: str, name: str) -> None:
    """Refuse a username that is already another person's (a different full name)."""
    if row is not None and " ".join(row.name.split()) != name:
        raise AccountError(f"is already the username of {row.name!r}", value=username,
                           where="username",
                           fix="choose another username (for example with a number added), "
                               "or give --name exactly as 'partnerkit users list' shows it "
                               "to add this person to another workspace")


def add_account(store: Store, username: str, name: str, role: str, workspace: str, *,
                by: str, new_password: Callable[[], str], email: str | None = None,
                organisation: str | None = None) -> str:
    """Add an account, or give an existing person a role in another workspace.

    Every value is checked before ``new_password`` is called, so nobody types a password
    for a command that is then refused. The password is asked only for a new account.
    """
    username, role = accounts.check_username(username), accounts.check_role(role)
    name, email = accounts.check_name(name), accounts.check_email(email)
    workspace = accounts.known_workspace(store, workspace)
    row = store.account_row(username)
    check_same_person(row, username, name)
    if row is not None:
        return _add_role(store, username, role, workspace, by=by, organisation=organisation)
    accounts.add_user(store, username, name, role, workspace, by=by, email=email,
                      password=new_password(), organisation=organisation)
    return f"Added account {username} ({name}): {role_name(role)} in workspace {workspace}."


def _add_role(store: Store, username: str, role: str, workspace: str, *, by: str,
              organisation: str | None) -> str:
    """Give an existing account a role in a workspace (or change the role it has there)."""
    current = next((m for m in store.memberships(username=username)
                    if m.workspace == workspace), None)
    if organisation is None and current is not None:
        organisation = current.organisation  # a role change keeps the organisation
    if current is not None and current.role == role and \
            (current.organisation or None) == ((organisation or "").strip() or None):
        raise AccountError(f"is already {role_name(role)} in workspace {workspace!r}",
                           value=username, where="users add",
                           fix="nothing to do; see partnerkit workspaces members " + workspace)
    if current is not None and current.role == ADMIN and role != ADMIN and \
            last_admin(store, workspace, username):
        raise AccountError(f"is the last admin of workspace {workspace!r}", value=username,
                           where="users add",
                           fix="make another account admin of that workspace first")
    accounts.add_user(store, username, store.account_row(username).name, role, workspace,
                      by=by, organisation=organisation)
    if current is None:
        return f"Added {username} to workspace {workspace} as {role_name(role)}."
    if current.role == role:
        return (f"{username} now speaks for {organisation or 'the school'} in workspace "
                f"{workspace}.")
    return (f"Changed {username}'s role in workspace {workspace} from "
            f"{role_name(current.role)} to {role_name(role)}.")


def last_admin(store: Store, workspace: str, username: str) -> bool:
    """True when ``username`` is the only admin of ``workspace``."""
    return {m.username for m in store.memberships(workspace=workspace)
            if m.role == ADMIN} == {username}


def remove_account(store: Store, username: str, *, by: str) -> str:
    """Remove an account (refused for the last admin of a workspace)."""
    row = existing_row(store, username)
    accounts.remove_user(store, row.username, by)
    return f"Removed account {row.username} ({row.name}). Their saved answers are kept."


def reset_password(store: Store, username: str, *, by: str,
                   new_password: Callable[[], str]) -> str:
    """Give an account a new password (asked only once the account is known)."""
    row = existing_row(store, username)
    accounts.set_password(store, row.username, new_password(), by)
    return f"New password set for {row.username}; any lock after failed sign-ins is lifted."


def link_login(store: Store, login: str, username: str, *, by: str) -> str:
    """Let a computer login name act as an account in JupyterLab and batch renders."""
    login = accounts.check_login(login)
    row = existing_row(store, username)
    store.map_login(login, row.username)
    store.audit(by, "login-link", allowed=True, key=row.username, detail=login)
    return (f"The login name {login!r} now acts as {row.username} ({row.name}) in "
            "partnerkit lab and partnerkit render on this store.")


def second_factor(store: Store, username: str, *, by: str) -> str:
    """A new authenticator secret: its otpauth address and a QR code to scan, as text."""
    import segno

    row = existing_row(store, username)
    secret = accounts.new_totp_secret(store, row.username, by)
    uri = accounts.totp_uri(secret, row.username)
    picture = io.StringIO()
    segno.make(uri, error="m").terminal(out=picture, compact=True)
    return "\n".join([
        f"New authenticator secret for {row.username} ({row.name}); any earlier one no "
        "longer works.",
        "Scan this QR code with an authenticator app, or type the address into it:",
        picture.getvalue().rstrip("\n"), uri,
        "Keep this private: whoever has it can make this account's sign-in codes."])


def users_table(store: Store) -> str:
    """Every account as a table: username, name, roles, whether locked, second factor."""
    now = store.clock()
    rows = []
    for row in store.account_rows():
        memberships = store.memberships(username=row.username)
        account = account_from_rows(row, memberships)
        roles = "; ".join(f"{m.workspace}: {role_name(m.role)}"
                          + (f" ({m.organisation})" if m.organisation else "")
                          for m in memberships) or "(no workspace)"
        rows.append([row.username, row.name, roles, _locked(row, now),
                     _second_factor(store, row, account)])
    return plain_table(["username", "name", "workspaces and roles", "locked", "second factor"],
                       rows, empty="(no accounts yet: add one with partnerkit users add)")


def _locked(row: Any, now: datetime) -> str:
    from partnerkit.store.accounts import locked_until

    until = locked_until(row)
    if until is None or until <= now:
        return "no"
    return f"until {until.astimezone():%Y-%m-%d %H:%M}"


def _second_factor(store: Store, row: Any, account: Any) -> str:
    if row.totp_secret:
        return "set up"
    return "NEEDED, not set up" if accounts.needs_second_factor(store, account) else "no"
