"""An IPython shell for tests of what a kernel shows, put back as it was afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def recording_shell() -> Iterator[tuple[Any, list[tuple[type, BaseException, list[str]]]]]:
    """The process's IPython shell and a list of every (type, error, lines) it shows.

    Its error handlers (``set_custom_exc``, a replaced ``_showtraceback``) are put back
    afterwards, so other tests see the shell as it was.
    """
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    saved = shell.custom_exceptions, shell.CustomTB, shell.__dict__.get("_showtraceback")
    shown: list[tuple[type, BaseException, list[str]]] = []
    plain = type(shell)._showtraceback.__get__(shell)

    def record(etype: type, value: BaseException, stb: list[str]) -> None:
        shown.append((etype, value, list(stb)))
        plain(etype, value, stb)

    shell._showtraceback = record
    try:
        yield shell, shown
    finally:
        shell.custom_exceptions, shell.CustomTB = saved[0], saved[1]
        if saved[2] is None:
            shell.__dict__.pop("_showtraceback", None)
        else:
            shell._showtraceback = saved[2]
