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

from partnerkit.arguments import add_data

if TYPE_CHECKING:
    from partnerkit.store import Store

EXIT_BROKEN = 1
"""``partnerkit audit verify``'s status when the chain is broken (2 stays bad input)."""


def _group(commands: argparse._SubParsersAction, name: str, text: str) -> Any:
    """A command with subcommands of its own; alone it prints its help (status 2)."""
    parser = commands.add_parser(name, help=text, description=text)
    parser.set_defaults(run=lambda _args: _help(parser))
    return parser.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND",
                                 parser_class=type(parser))


def _leaf(group: Any, name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
    leaf = group.add_parser(name, help=help_text, description=help_text)
    add_data(leaf)
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
    group = _group(commands, "audit", text)
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


# ---------------------------------------------------------- backup, restore


def _passphrase_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-stdin", action="store_true",
                        help="read the passphrase from the first line of standard input "
                             "(default: $PARTNERKIT_BACKUP_PASSPHRASE, else asked at the "
                             "terminal)")


def add_backup(commands: argparse._SubParsersAction) -> None:
    """``partnerkit backup [--to DIR]``."""
    text = ("make an encrypted, owner-only backup of the store while it is in use (SQLite's "
            "online backup, or pg_dump), sealed with a passphrase and a checksum")
    backup = commands.add_parser("backup", help=text, description=text)
    add_data(backup)
    backup.add_argument("--to", metavar="DIR",
                        help="the folder for the backup (default: DATA/backups)")
    _passphrase_stdin(backup)
    backup.set_defaults(run=_run_backup)


def add_restore(commands: argparse._SubParsersAction) -> None:
    """``partnerkit restore FILE [--replace]``."""
    text = ("check a backup (whole, not from a newer partnerkit, the right passphrase) and "
            "restore it")
    restore = commands.add_parser("restore", help=text, description=text)
    restore.add_argument("file", metavar="FILE", help="a file partnerkit backup wrote")
    add_data(restore)
    restore.add_argument("--replace", action="store_true",
                         help="replace the store that is there (it is copied aside first); "
                              "stop partnerkit serve before you do")
    _passphrase_stdin(restore)
    restore.set_defaults(run=_run_restore)


def _passphrase(args: argparse.Namespace, *, new: bool) -> str:
    """The backup's passphrase as the arguments say where it comes from (asked twice if new)."""
    from partnerkit.safekeeping.passphrase import read_passphrase

    return read_passphrase(new=new, from_stdin=args.passphrase_stdin)


def _run_backup(args: argparse.Namespace) -> int:
    from partnerkit.safekeeping.backup import make_backup

    with opened(args) as store:
        phrase = _passphrase(args, new=True)
        target = make_backup(store, phrase, args.to, operator())
    print(f"Wrote the backup {target} (readable by you only). Keep the passphrase apart "
          "from it: without it the backup cannot be restored.")
    return 0


def _run_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from partnerkit.safekeeping.backup import restore

    print(restore(Path(args.file), lambda: _passphrase(args, new=False),
                  data=args.data, url=args.database_url, replace=args.replace, by=operator()))
    return 0


# ---------------------------------------------------------------- paperwork


def add_paperwork(commands: argparse._SubParsersAction) -> None:
    """``partnerkit paperwork dpia|privacy-notice``."""
    text = ("write the data-protection paperwork as Word documents to edit, from what this "
            "installation stores: a DPIA starter and a privacy-notice draft")
    group = _group(commands, "paperwork", text)
    for name, what in (("dpia", "a data protection impact assessment starter"),
                       ("privacy-notice", "a privacy notice for pupils, parents and carers")):
        leaf = _leaf(group, name, f"write {what} (.docx)",
                     lambda args, document=name: _run_paperwork(args, document))
        leaf.add_argument("--out", metavar="FILE.docx",
                          help=f"the file (default: DATA/paperwork/{name}.docx)")


def _run_paperwork(args: argparse.Namespace, document: str) -> int:
    from partnerkit.safekeeping import paperwork

    with opened(args) as store:
        target = paperwork.write(store, document, args.out)
    print(f"Wrote {target} (readable by you only): a draft for the school to complete "
          "with its data protection officer.")
    return 0
