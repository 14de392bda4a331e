"""``partnerkit users`` and ``partnerkit workspaces``: accounts and workspaces from the CLI.

The command line is the operator's door: whoever runs it owns the data folder, so it
asks for no sign-in, and every change it makes is written to the audit trail as
``cli:<login name>`` (:func:`operator`). The rules themselves (usernames, roles,
passwords, the last admin of a workspace) are :mod:`partnerkit.accounts`; this package
turns a command's values into those calls and their answers into plain text.

Modules: :mod:`.commands` (one function per subcommand, returning what to print),
:mod:`.users` and :mod:`.workspaces` (the changes and listings), :mod:`.classlist` (a
class list read and checked whole, then imported), :mod:`.codes` (the owner-only file of
one-time sign-in codes), :mod:`.passwords` (a new password from stdin or asked twice),
:mod:`.listing` (plain text tables).
"""

from __future__ import annotations


def operator() -> str:
    """Who the audit trail says made a change from the command line: ``cli:<login name>``."""
    from partnerkit.accounts import login_name

    return f"cli:{login_name()}"
