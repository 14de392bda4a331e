"""``partnerkit pupil ...`` and ``partnerkit retention ...``: each turns its arguments into a call.

The commands act as an account (``--as``, else ``$PARTNERKIT_ACCOUNT``, else the login
name's linked account; a store without accounts belongs to whoever runs it), through the
one permission check: subject access, erasure, holds and retention are the
data-protection lead's. ``pupil erase`` shows what will go and asks before erasing
(``--yes`` skips the question).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from partnerkit.arguments import add_as, add_data

Runner = Callable[[argparse.Namespace], int]


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add the ``pupil`` and ``retention`` command groups to the ``partnerkit`` command."""
    _add_pupil(commands)
    _add_retention(commands)


def _group(commands: argparse._SubParsersAction, name: str, text: str
           ) -> argparse._SubParsersAction:
    group = commands.add_parser(name, help=text, description=text)
    group.set_defaults(run=lambda args: (group.print_help(), 2)[1])
    return group.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND",
                                parser_class=type(group))


def _leaf(group: argparse._SubParsersAction, name: str, text: str, run: Runner, *,
          pupil: bool = True) -> argparse.ArgumentParser:
    leaf = group.add_parser(name, help=text, description=text)
    if pupil:
        leaf.add_argument("pupil", metavar="REF", help="the pupil's reference, e.g. P-1001")
    leaf.add_argument("--workspace", default="demo", help="workspace (default: demo)")
    add_data(leaf)
    add_as(leaf, "the account acting")
    leaf.set_defaults(run=run)
    return leaf


def _reason(leaf: argparse.ArgumentParser, what: str) -> None:
    leaf.add_argument("--reason", required=True, help=f"why {what} (kept in the audit trail)")


def _add_pupil(commands: argparse._SubParsersAction) -> None:
    pupil = _group(commands, "pupil", "data protection for one pupil: subject access export, "
                                      "correction, erasure, legal holds, leaving date, sharing")
    export = _leaf(pupil, "export", "write everything held about a pupil (JSON and PDF, "
                                    "owner-only)", _run_export)
    export.add_argument("--out", metavar="DIR", default=".",
                        help="folder for the bundle (default: here)")
    export.add_argument("--for", dest="audience", choices=["subject", "parent"],
                        default="subject", help="parent: a parent's request for the "
                                                "educational record (no audit entries)")
    erase = _leaf(pupil, "erase", "erase a pupil's records, history, real name and report "
                                  "files (shows what will go and asks)", _run_erase)
    _reason(erase, "the pupil is erased")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _reason(_leaf(pupil, "hold", "set a legal hold: nothing of the pupil's may be erased",
                  _run_hold), "the hold is set")
    _reason(_leaf(pupil, "release", "lift the legal hold", _run_release), "the hold is lifted")
    correct = _leaf(pupil, "correct", "correct one field of a pupil's record, with the "
                                      "reason kept beside the before and after", _run_correct)
    correct.add_argument("--record", required=True, metavar="KIND",
                         help="the record's kind, e.g. pupil_profile or connection")
    correct.add_argument("--key", help="the record's key when the pupil has several "
                                       "(e.g. P-1001/3f2a...); default: the reference")
    correct.add_argument("--field", required=True, help="the field, e.g. stage")
    correct.add_argument("--value", required=True, help="the right value (JSON for a list)")
    _reason(correct, "the value was wrong")
    left = _leaf(pupil, "left", "record the date a pupil left (retention runs from it)",
                 _run_left)
    left.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the leaving date")
    _add_share(pupil)


def _add_share(pupil: argparse._SubParsersAction) -> None:
    share = _leaf(pupil, "share", "record in the sharing log what was shared about a pupil, "
                                  "with whom and on what basis, or a decision not to share",
                  _run_share)
    share.add_argument("--what", required=True, help="what was shared (or asked for)")
    share.add_argument("--with", dest="with_whom", required=True, help="with whom")
    share.add_argument("--basis", default="consent",
                       choices=["consent", "child_protection", "other"],
                       help="consent (of parents/carers and learner), child_protection "
                            "(with --procedure) or other (with --reason)")
    share.add_argument("--procedure", default="", help="the local child protection procedure")
    share.add_argument("--not-shared", action="store_true",
                       help="a decision not to share (give --reason)")
    share.add_argument("--reason", default="", help="why (needed with --not-shared)")
    share.add_argument("--date", metavar="YYYY-MM-DD", help="when (default: today)")


def _add_retention(commands: argparse._SubParsersAction) -> None:
    retention = _group(commands, "retention", "the retention schedule: what is due for "
                                              "erasure, and erasing it")
    for name, text, run in (
            ("report", "list the records the schedule says are due, and why", _run_report),
            ("apply", "erase what is due (a dry run unless --apply)", _run_apply)):
        leaf = _leaf(retention, name, text, run, pupil=False)
        leaf.add_argument("--schedule", metavar="FILE",
                          help="a schedule file (default: DATA/<workspace>/retention.toml, "
                               "else the Scottish defaults)")
        if name == "apply":
            leaf.add_argument("--apply", dest="really", action="store_true",
                              help="really erase (default: only show what would go)")


@contextmanager
def _acting(args: argparse.Namespace) -> Iterator[tuple[Any, Path]]:
    """The guarded store for the acting account, and the data folder; closed afterwards."""
    from partnerkit import paths
    from partnerkit.access import GuardedStore
    from partnerkit.accounts import resolve_account
    from partnerkit.store import open_store

    folder = paths.data_dir(args.data, create=False)
    store = open_store(folder, args.database_url)
    try:
        yield GuardedStore(store, resolve_account(store, args.as_)), folder
    finally:
        store.close()


def _run_export(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.bundle import export

    with _acting(args) as (guarded, folder):
        print(export(guarded, args.workspace, args.pupil, Path(args.out), folder,
                     audience=args.audience).describe())
    return 0


def _run_erase(args: argparse.Namespace) -> int:
    from partnerkit.data_protection import erasure

    with _acting(args) as (guarded, folder):
        chosen = erasure.plan(guarded, args.workspace, args.pupil, folder)
        print(chosen.describe())
        if not args.yes and not _confirmed(chosen.pupil):
            print("Nothing was erased.")
            return 1
        print(erasure.erase(guarded, chosen, args.reason))
    return 0


def _confirmed(pupil: str) -> bool:
    try:
        answer = input(f"This cannot be undone. Type the reference {pupil} to erase: ")
    except EOFError:
        return False
    return answer.strip() == pupil


def _run_hold(args: argparse.Namespace, held: bool = True) -> int:
    from partnerkit.data_protection.holds import set_hold

    with _acting(args) as (guarded, _):
        hold = set_hold(guarded, args.workspace, args.pupil, args.reason, held=held)
    print(f"Legal hold on pupil {hold.pupil} {'set' if held else 'lifted'}: {hold.reason}")
    return 0


def _run_release(args: argparse.Namespace) -> int:
    return _run_hold(args, held=False)


def _run_correct(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.correction import correct

    try:
        value = json.loads(args.value)
    except ValueError:
        value = args.value
    with _acting(args) as (guarded, _):
        note = correct(guarded, args.workspace, args.pupil, args.record, args.field, value,
                       args.reason, key=args.key)
    print(f"Corrected {note.record_kind} {note.corrected_key}, {note.field}: "
          f"{note.before!r} -> {note.after!r} (reason: {note.reason})")
    return 0


def _run_left(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.leaving import mark_left

    with _acting(args) as (guarded, _):
        record = mark_left(guarded, args.workspace, args.pupil, args.date)
    print(f"Pupil {record.pupil} left on {record.left_on}.")
    return 0


def _run_share(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.sharing import share

    with _acting(args) as (guarded, _):
        print(share(guarded, args.workspace, args.pupil, what=args.what,
                    with_whom=args.with_whom, basis=args.basis, procedure=args.procedure,
                    shared=not args.not_shared, reason=args.reason, on=args.date))
    return 0


def _run_report(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.due import report

    with _acting(args) as (guarded, folder):
        print(report(guarded, args.workspace, folder, schedule_file=_path(args.schedule)))
    return 0


def _run_apply(args: argparse.Namespace) -> int:
    from partnerkit.data_protection.due import apply

    with _acting(args) as (guarded, folder):
        print(apply(guarded, args.workspace, folder, really=args.really,
                    schedule_file=_path(args.schedule)))
    return 0


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
