"""The ``partnerkit`` command: each subcommand turns its arguments into one package call."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .errors import PartnerkitError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line naming the bad value and the fix."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}; see '{self.prog} --help'\n")


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", metavar="DIR",
                        help="data folder (default: $PARTNERKIT_DATA or a per-user folder)")
    parser.add_argument("--database-url", metavar="URL",
                        help="a postgresql:// URL to use instead of the SQLite file "
                             "(default: $PARTNERKIT_DATABASE_URL)")


def build_parser() -> argparse.ArgumentParser:
    """The full command line: ``partnerkit --help`` shows it."""
    parser = _Parser(prog="partnerkit",
                     description="Guided workbooks for schools and partners working together "
                                 "on attendance.")
    parser.add_argument("--version", action="version", version=f"partnerkit {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full error details")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", help="create a demo workspace with fictional pupils "
                                            "and partners")
    _add_data(demo)
    demo.set_defaults(run=_run_demo)
    return parser


def _run_demo(args: argparse.Namespace) -> int:
    from .demo import create_demo

    summary = create_demo(data=args.data, url=args.database_url)
    print(summary.describe())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 2 bad input, 1 failure)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "run", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except PartnerkitError as exc:
        if args.debug:
            raise
        print(f"partnerkit: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("partnerkit: stopped", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback for a user; --debug shows it
        if args.debug:
            raise
        print(f"partnerkit: unexpected error: {type(exc).__name__}: {exc} "
              "(run again with --debug for the details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
