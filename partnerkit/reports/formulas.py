"""Spreadsheet cells that show text as typed: nothing a user typed is run as a formula."""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a cell as a formula (with full-width forms)."""


def neutralise_formula(value: Any) -> Any:
    """A cell value a spreadsheet shows as typed, never runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or their full-width forms), a tab or a
    carriage return gets a leading single quote; anything else comes back unchanged. Text
    that already has quotes before such a start (``'=x``) gets one more, so reading the
    guard back (:func:`partnerkit.tables.unquote`) gives exactly the value typed.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
