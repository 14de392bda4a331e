"""Arguments several commands share: which data folder and store, and who is acting.

Each command that opens a store takes ``--data`` and ``--database-url`` from
:func:`add_data`; each that acts as an account takes ``--as`` from :func:`add_as`. One
wording everywhere, so ``partnerkit X --help`` reads the same for every command.
"""

from __future__ import annotations

import argparse


def add_data(parser: argparse.ArgumentParser) -> None:
    """``--data DIR`` and ``--database-url URL``: the data folder and the store in it."""
    parser.add_argument("--data", metavar="DIR",
                        help="data folder (default: $PARTNERKIT_DATA or a per-user folder)")
    parser.add_argument("--database-url", metavar="URL",
                        help="a postgresql:// URL to use instead of the SQLite file "
                             "(default: $PARTNERKIT_DATABASE_URL)")


def add_as(parser: argparse.ArgumentParser, what: str) -> None:
    """``--as USERNAME``: the account the command acts as (``what`` says for what)."""
    parser.add_argument("--as", dest="as_", metavar="USERNAME",
                        help=f"{what} (default: $PARTNERKIT_ACCOUNT, else the account this "
                             "computer's login name is linked to: partnerkit users link)")
