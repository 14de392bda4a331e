"""The command lines of safekeeping: ``audit``, ``backup``, ``restore`` and ``paperwork``.

Each ``add_*`` function builds one command's parser on ``partnerkit``'s subcommands (one
line each in :func:`partnerkit.cli.build_parser`); each runner turns the arguments into
one call of this package and prints what it says. Nothing heavy is imported until a
command runs. Like ``partnerkit users``, these act as the owner of the data folder
(``cli:<login name>`` in the audit trail).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from partnerkit.store import Store

EXIT_BROKEN = 1
"""``partnerkit audit verify``'s status when the chain is broken (2 stays bad input)."""


def _data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR",
                        help="data folder (default: $PARTNERKIT_DATA or a per-user folder)")
    parser.add_argument("--database-url", metavar="URL",
                        help="a postgresql:// URL to use instead of the SQLite file "
                             "(default: $PARTNERKIT_DATABASE_URL)")


def _leaf(group: Any, name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
    leaf = group.add_parser(name, help=help_text, description=help_text)
    _data(leaf)
    leaf.set_defaults(run=run)
    return leaf


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Store]:
    """The store the command names (it must exist), closed afterwards."""
    from partnerkit import paths
    from partnerkit.store import open_store

    store = open_store(paths.data_dir(args.data, create=False), args.database_url)
    try:
        yield store
    finally:
        store.close()


def operator() -> str:
    """Who the audit trail says acted from the command line: ``cli:<login name>``."""
    from partnerkit.accounts import login_name

    return f"cli:{login_name()}"


# ------------------------------------------------------------------ audit


def add_audit(commands: argparse._SubParsersAction) -> None:
    """``partnerkit audit verify|export|anchor``."""
    text = ("the audit trail: verify its hash chain, export entries, export an anchor "
            "(the chain's head) to keep away from the store")
    audit = commands.add_parser("audit", help=text, description=text)
    audit.set_defaults(run=lambda _args: _help(audit))
    group = audit.add_subparsers(dest="audit_command", metavar="SUBCOMMAND",
                                 parser_class=type(audit))
    verify = _leaf(group, "verify", "check every entry and anchor; exit 0 when intact, 1 "
                                    "naming the first bad entry", _run_verify)
    verify.add_argument("--anchor", action="append", metavar="FILE",
                        help="also check against an anchor partnerkit audit anchor wrote "
                             "(repeat for several)")
    export = _leaf(group, "export", "write audit entries (oldest first) to an owner-only "
                                    "CSV or JSON-lines file", _run_export)
    export.add_argument("--out", metavar="FILE",
                        help="the file (default: DATA/audit/audit-trail.csv)")
    export.add_argument("--format", default="csv", metavar="csv|jsonl",
                        help="csv (default) or jsonl")
    for name, what in (("workspace", "one workspace"), ("pupil", "one pupil's records (REF)"),
                       ("account", "one account"), ("door", "page, lab, render or cli"),
                       ("since", "from this date or time (ISO 8601)"),
                       ("until", "before this date or time (ISO 8601)")):
        export.add_argument(f"--{name}", help=f"only {what}")
    anchor = _leaf(group, "anchor", "record the chain's head now and write it to an "
                                    "owner-only JSON file", _run_anchor)
    anchor.add_argument("--out", metavar="FILE",
                        help="the file (default: DATA/audit/audit-anchor-<time>.json)")


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _run_verify(args: argparse.Namespace) -> int:
    from partnerkit.safekeeping import trail

    with opened(args) as store:
        intact, text = trail.verify(store, args.anchor)
    print(text)
    return 0 if intact else EXIT_BROKEN


def _run_export(args: argparse.Namespace) -> int:
    from partnerkit.safekeeping import trail

    with opened(args) as store:
        target, count = trail.export(
            store, args.out, fmt=args.format, workspace=args.workspace, pupil=args.pupil,
            account=args.account, door=args.door, since=args.since, until=args.until)
    print(f"Wrote {count} audit entries to {target} (readable by you only).")
    return 0


def _run_anchor(args: argparse.Namespace) -> int:
    from partnerkit.safekeeping import trail

    with opened(args) as store:
        target, made = trail.anchor(store, operator(), args.out)
    print(f"Anchored the audit trail at entry {made['entry_id']} ({made['entries']} entries, "
          f"head {made['head_hash'][:16]}…) and wrote it to {target}. Keep a copy away "
          "from the store: partnerkit audit verify --anchor FILE checks the trail against it.")
    return 0
