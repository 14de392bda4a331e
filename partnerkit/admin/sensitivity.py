"""``partnerkit workspaces sensitivity``: the marking every page of a workspace's reports carries.

Every page of every PDF and Word report carries a sensitivity marking:
``OFFICIAL-SENSITIVE`` unless the workspace has its own
(:mod:`partnerkit.reports.marks`). ``partnerkit workspaces sensitivity NAME "…"`` sets
it (:func:`set_marking`), ``--default`` goes back to the default, and with neither the
command says which marking the workspace's reports carry now (:func:`describe_marking`).
Every change is audited. The command line itself is built in :mod:`partnerkit.cli`, and
run by :func:`partnerkit.admin.commands.workspaces_sensitivity`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from partnerkit import accounts
from partnerkit.errors import PartnerkitError
from partnerkit.reports.marks import DEFAULT_MARKING, check_marking

if TYPE_CHECKING:
    from partnerkit.store import Store


def describe_marking(store: Store, name: str) -> str:
    """Which marking the workspace's reports carry, and whether it is the default."""
    workspace = accounts.known_workspace(store, name)
    own = store.sensitivity(workspace)
    if own is None:
        return (f"Reports of workspace {workspace} are marked {DEFAULT_MARKING} (the "
                f'default). Change it with: partnerkit workspaces sensitivity {workspace} '
                '"YOUR MARKING"')
    return (f"Reports of workspace {workspace} are marked {own} (the default is "
            f"{DEFAULT_MARKING}: partnerkit workspaces sensitivity {workspace} --default).")


def set_marking(store: Store, name: str, marking: Any, *, by: str,
                default: bool = False) -> str:
    """Set the workspace's marking (checked: one line, 1 to 60 characters), or the default.

    Raises:
        PartnerkitError: the marking is empty or too long, or both a marking and
            ``--default`` were given.
        AccountError: there is no such workspace.
    """
    workspace = accounts.known_workspace(store, name)
    if default and marking is not None:
        raise PartnerkitError("was given with --default", value=marking, where="MARKING",
                              fix="give either a marking or --default, not both")
    chosen = None if default else check_marking(marking)
    store.set_sensitivity(workspace, chosen)
    store.audit(by, "sensitivity-marking", allowed=True, workspace=workspace,
                detail=chosen or f"default ({DEFAULT_MARKING})")
    shown = chosen or f"{DEFAULT_MARKING} (the default)"
    return f"Every page of workspace {workspace}'s reports is now marked {shown}."
