"""Hub groups as partnerkit roles: ``partnerkit:<workspace>:<role>``, synced at sign-in.

The hub is the source of truth for a hub user's roles: at every sign-in the account's
memberships are made exactly those its groups name (added, changed, taken away), and each
change is in the audit trail as ``hub``. Groups without the ``partnerkit:`` prefix are the
hub's own business and are ignored; a partnerkit group that names an unknown role or a
badly formed workspace is skipped and logged, never half-applied.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from partnerkit.accounts import check_role, check_username, check_workspace_name
from partnerkit.errors import AccountError
from partnerkit.store import Store

PREFIX = "partnerkit:"
BY = "hub"
"""Who the audit trail says made a change synced from the hub."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubRole:
    """One role a hub group gives: in which workspace."""

    workspace: str
    role: str


def group_name(workspace: str, role: str) -> str:
    """The hub group that gives ``role`` in ``workspace`` (``partnerkit:demo:school-lead``)."""
    return f"{PREFIX}{workspace}:{role.replace('_', '-')}"


def roles_from_groups(groups: Iterable[str]) -> dict[str, str]:
    """The partnerkit role per workspace that the hub groups name (bad ones skipped).

    Two groups for one workspace: the later in sorted order wins, and it is logged.
    """
    found: dict[str, str] = {}
    for group in sorted(groups):
        if not group.startswith(PREFIX):
            continue
        parsed = _parse(group)
        if parsed is None:
            continue
        if parsed.workspace in found:
            log.warning("hub groups give two roles in %s; %s is used", parsed.workspace,
                        parsed.role)
        found[parsed.workspace] = parsed.role
    return found


def _parse(group: str) -> HubRole | None:
    workspace, _, role = group[len(PREFIX):].partition(":")
    try:
        return HubRole(check_workspace_name(workspace, where=f"hub group {group}"),
                       check_role(role, where=f"hub group {group}"))
    except AccountError as exc:
        log.warning("hub group skipped: %s", exc)
        return None


def sync_account(store: Store, username: str, groups: Iterable[str],
                 name: str | None = None) -> dict[str, str]:
    """Make the account's memberships exactly what its hub groups say; the roles it has now.

    A hub user with no account gets one (no password: the hub signs them in). Workspaces
    the groups name must exist (``partnerkit workspaces add``); others are skipped and
    logged. Every change is audited as ``hub``.
    """
    username = check_username(username, where="hub user name")
    wanted = {w: r for w, r in roles_from_groups(groups).items() if _known(store, w)}
    if store.account_row(username) is None:
        store.add_account(username, name or username, created_by=BY)
        store.audit(BY, "account-added", allowed=True, key=username, detail="from the hub")
    held = {row.workspace: row.role for row in store.memberships(username=username)}
    for workspace, role in wanted.items():
        if held.get(workspace) != role:
            store.set_membership(username, workspace, role, added_by=BY)
            store.audit(BY, "membership-set", allowed=True, workspace=workspace, key=username,
                        detail=f"role {role} from the hub's groups")
    for workspace in set(held) - set(wanted):
        store.remove_membership(username, workspace)
        store.audit(BY, "membership-removed", allowed=True, workspace=workspace,
                    key=username, detail="not in the hub's groups any more")
    return wanted


def _known(store: Store, workspace: str) -> bool:
    if workspace in store.workspaces():
        return True
    log.warning("hub group names workspace %s, which partnerkit does not have; add it with "
                "partnerkit workspaces add", workspace)
    return False
