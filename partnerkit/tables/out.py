"""Write tables people open in a spreadsheet: CSV and XLSX that never run a formula.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or a
carriage return would be run as a formula by a spreadsheet; it is written with a leading
``'`` (CSV) or as quoted text (XLSX), by :func:`partnerkit.reports.neutralise_formula`,
the one rule for every spreadsheet partnerkit writes. Reading such a CSV back with
:func:`unquote` gives the value typed. Files are written owner-only.
"""

from __future__ import annotations

from typing import Any

from partnerkit.reports import FORMULA_PREFIXES, neutralise_formula

__all__ = ["FORMULA_PREFIXES", "neutralise", "unquote"]


def neutralise(value: Any) -> str:
    """A cell as text safe to open in a spreadsheet: formula starts get a leading ``'``."""
    return neutralise_formula("" if value is None else str(value))


def unquote(value: str) -> str:
    """Undo :func:`neutralise`: a leading ``'`` before a formula start is dropped."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
