"""Write tables people open in a spreadsheet: CSV and XLSX that never run a formula.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or a
carriage return would be run as a formula by a spreadsheet; it is written with a leading
``'`` (CSV) or as quoted text (XLSX), by :func:`partnerkit.reports.neutralise_formula`,
the one rule for every spreadsheet partnerkit writes. A value that already starts with
quotes before such a character (``'=x``) gets one more quote, so the guard can always be
undone: reading such a CSV back with :func:`unquote` gives the value typed. XLSX cells
hold the value itself, so an XLSX file is read back without :func:`unquote`.
"""

from __future__ import annotations

from typing import Any

from partnerkit.reports import FORMULA_PREFIXES, neutralise_formula

__all__ = ["FORMULA_PREFIXES", "neutralise", "unquote"]


def neutralise(value: Any) -> str:
    """A cell as text safe to open in a spreadsheet: formula starts get a leading ``'``."""
    return neutralise_formula("" if value is None else str(value))


def unquote(value: str) -> str:
    """Undo :func:`neutralise` on a CSV cell: one ``'`` before quotes and a formula start.

    ``'=x`` gives ``=x`` and ``''=x`` gives ``'=x``; text without the guard (``'tis``)
    comes back unchanged.
    """
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
