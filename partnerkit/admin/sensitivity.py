"""``partnerkit workspaces sensitivity``: the marking every page of a workspace's reports carries.

Every page of every PDF and Word report carries a sensitivity marking:
``OFFICIAL-SENSITIVE`` unless the workspace has its own
(:mod:`partnerkit.reports.marks`). ``partnerkit workspaces sensitivity NAME "…"`` sets
it, ``--default`` goes back to the default, and with neither the command says which
marking the workspace's reports carry now. Every change is audited.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partnerkit.store import Store

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"
""":data:`partnerkit.reports.marks.DEFAULT_MARKING`, named here so that building the
command line does not load the report writers (a test keeps the two equal)."""
HELP = (f"show or set the sensitivity marking on every page of the workspace's reports "
        f"(default {DEFAULT_MARKING})")


def add_command(group: argparse._SubParsersAction,
                leaf: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``sensitivity NAME [MARKING] [--default]`` to the ``workspaces`` command.

    ``leaf`` is the CLI's own maker of a subcommand (it adds ``--data`` and
    ``--database-url``).
    """
    command = leaf(group, "sensitivity", HELP, run)
    command.add_argument("name", metavar="NAME", help="the workspace, e.g. oakfield-primary")
    command.add_argument("marking", metavar="MARKING", nargs="?",
                         help=f'the marking to print, e.g. "{DEFAULT_MARKING}" (at most 60 '
                              "characters); leave it out to see the marking now")
    command.add_argument("--default", action="store_true",
                         help=f"go back to the default marking, {DEFAULT_MARKING}")


def run(args: argparse.Namespace) -> int:
    """Run the command: open the store, show or change the marking, print what happened."""
    from partnerkit.admin import operator
    from partnerkit.admin.commands import opened

    change = args.default or args.marking is not None
    with opened(args.data, args.database_url, create=False) as store:
        if change:
            print(set_marking(store, args.name, args.marking, by=operator(),
                              default=args.default))
        else:
            print(describe_marking(store, args.name))
    return 0


def describe_marking(store: Store, name: str) -> str:
    """Which marking the workspace's reports carry, and whether it is the default."""
    from partnerkit import accounts

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
    from partnerkit import accounts
    from partnerkit.errors import PartnerkitError
    from partnerkit.reports.marks import check_marking

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
