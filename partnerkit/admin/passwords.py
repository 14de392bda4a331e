"""A new password for an account: one line from standard input, or asked twice at the terminal."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from typing import TextIO

from partnerkit.accounts import check_password
from partnerkit.errors import AccountError


def read_new_password(username: str, *, from_stdin: bool, stdin: TextIO | None = None,
                      ask: Callable[[str], str] | None = None) -> str:
    """The new password for ``username``, checked (long enough; typed the same twice).

    With ``from_stdin`` the first line of standard input is the password (for scripts:
    ``echo "$PASSWORD" | partnerkit users add ... --password-stdin``); its line break is
    not part of it. Otherwise it is asked at the terminal twice, without echo, and the
    two must match.
    """
    if from_stdin:
        line = (stdin or sys.stdin).readline()
        if not line:
            raise AccountError("standard input is empty", where="--password-stdin",
                               fix="send the password on one line, e.g. "
                                   "printf '%s\\n' \"$PASSWORD\" | partnerkit ...")
        return check_password(line.rstrip("\r\n"), where="--password-stdin")
    ask = ask or getpass.getpass
    first = ask(f"New password for {username}: ")
    check_password(first)
    if ask(f"The same password again for {username}: ") != first:
        raise AccountError("the two passwords typed differ", where="password",
                           fix="run the command again and type the same password twice")
    return first
