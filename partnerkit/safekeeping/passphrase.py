"""A passphrase for a backup or an encrypted store: environment, standard input, or asked.

In order: the environment variable named (``PARTNERKIT_BACKUP_PASSPHRASE`` for backups,
``PARTNERKIT_STORE_KEY`` for the store), else the first line of standard input when
``--passphrase-stdin`` is given, else asked at the terminal without echo (twice when a
new one is being set, and the two must match). A new passphrase has at least
:data:`MIN_LENGTH` characters.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from typing import TextIO

from partnerkit.errors import BackupError

BACKUP_ENV = "PARTNERKIT_BACKUP_PASSPHRASE"
MIN_LENGTH = 10


def read_passphrase(*, new: bool, from_stdin: bool = False, env: str = BACKUP_ENV,
                    what: str = "the backup", stdin: TextIO | None = None,
                    ask: Callable[[str], str] | None = None) -> str:
    """The passphrase, from the environment, standard input or the terminal (see above)."""
    where = f"${env}"
    phrase = os.environ.get(env)
    if not phrase and from_stdin:
        where = "--passphrase-stdin"
        phrase = (stdin or sys.stdin).readline().rstrip("\r\n")
        if not phrase:
            raise BackupError("standard input is empty", where=where,
                              fix="send the passphrase on one line, e.g. printf '%s\\n' "
                                  "\"$PASSPHRASE\" | partnerkit ...")
    if not phrase:
        where = "passphrase"
        phrase = _asked(what, new, ask or getpass.getpass)
    if new and len(phrase) < MIN_LENGTH:
        raise BackupError(f"is too short ({len(phrase)} characters; at least {MIN_LENGTH})",
                          where=where, fix="choose a longer passphrase, e.g. four words")
    return phrase


def _asked(what: str, new: bool, ask: Callable[[str], str]) -> str:
    """Ask at the terminal: once to open, twice (the same) to set."""
    first = ask(f"Passphrase for {what}: ")
    if new:
        return check_new(first, ask(f"The same passphrase again for {what}: "),
                         again="run the command again and type the same passphrase twice")
    if not first:
        raise BackupError("is empty", where="passphrase", fix="type the passphrase")
    return first


def check_new(first: str, second: str, *, where: str = "passphrase",
              again: str = "type the same passphrase in both fields") -> str:
    """A new passphrase typed twice (terminal or page): both the same, not empty, long enough.

    The message never shows what was typed.
    """
    if first != second:
        raise BackupError("the two passphrases typed differ", where=where, fix=again)
    if not first:
        raise BackupError("is empty", where=where, fix="type the passphrase")
    if len(first) < MIN_LENGTH:
        raise BackupError(f"is too short ({len(first)} characters; at least {MIN_LENGTH})",
                          where=where, fix="choose a longer passphrase, e.g. four words")
    return first
