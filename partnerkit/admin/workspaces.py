"""Workspaces from the command line: add, list, members, and whether leads need a second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnerkit import accounts
from partnerkit.admin.listing import plain_table
from partnerkit.admin.users import role_name
from partnerkit.errors import AccountError

if TYPE_CHECKING:
    from partnerkit.store import Store

ON_OFF = {"on": True, "off": False}
LEADS_AND_ADMINS = "school leads, data-protection leads and admins"


def add_workspace(store: Store, name: str, title: str, *, by: str) -> str:
    """Create a workspace (a school or a training cohort); its name holds no path characters."""
    title = " ".join((title or "").split())
    if not title:
        raise AccountError("is empty", value=title, where="--title",
                           fix='give the school or cohort its name, e.g. --title '
                               '"Oakfield Primary School"')
    workspace = accounts.add_workspace(store, name, title, by)
    return (f"Added workspace {workspace} ({title}). Add people to it with: partnerkit users "
            f"add USERNAME --name \"Full Name\" --role ROLE --workspace {workspace}")


def workspaces_table(store: Store) -> str:
    """Every workspace: name, title, how many members, whether leads need a second factor."""
    rows = []
    for workspace, title in store.workspaces().items():
        members = store.memberships(workspace=workspace)
        rows.append([workspace, title, len(members),
                     "on" if store.second_factor_required(workspace) else "off"])
    return plain_table(["workspace", "title", "members", "second factor for leads"], rows,
                       empty="(no workspaces yet: add one with partnerkit workspaces add)")


def members_table(store: Store, name: str) -> str:
    """A workspace's members: username, name, role, the organisation a partner speaks for."""
    workspace = accounts.known_workspace(store, name)
    names = {row.username: row.name for row in store.account_rows()}
    rows = [[m.username, names.get(m.username, ""), role_name(m.role), m.organisation or ""]
            for m in store.memberships(workspace=workspace)]
    return plain_table(["username", "name", "role", "organisation"], rows,
                       empty=f"(no members yet: partnerkit users add ... --workspace {workspace})")


def set_second_factor(store: Store, name: str, setting: str, *, by: str) -> str:
    """Ask (``on``) or stop asking (``off``) a workspace's leads and admins for a code."""
    workspace = accounts.known_workspace(store, name)
    wanted = ON_OFF.get((setting or "").strip().lower())
    if wanted is None:
        raise AccountError("is not on or off", value=setting, where="second-factor",
                           fix=f"use: partnerkit workspaces second-factor {workspace} on")
    store.set_second_factor(workspace, wanted)
    store.audit(by, "second-factor-required" if wanted else "second-factor-not-required",
                allowed=True, workspace=workspace)
    if wanted:
        return (f"Workspace {workspace} now asks its {LEADS_AND_ADMINS} for an authenticator "
                "code at sign-in (they set one up the first time, or: partnerkit users "
                "second-factor USERNAME).")
    return f"Workspace {workspace} no longer asks for an authenticator code."
