"""How one value reads in a table people read, on a page or in a report.

A table cell never says ``None``, ``NaN``, ``NaT``, ``<NA>``, ``True`` or ``False``:

- a missing value (None, NaN, NaT, ``pd.NA``) reads as the column's ``missing`` text
  ("" unless the table says otherwise);
- a yes/no value reads "Yes" or "No";
- a number reads with thousands separators and no trailing zeros (``200``, ``1,234``,
  ``3.5``), to one decimal place unless asked for more;
- a share of one (``0.875``) reads as a percentage, ``87.5%``; a figure that is already a
  percentage (``83``) reads ``83%``;
- a date reads ``2 October 2026`` and a moment ``10:15 on Friday 2 October 2026 (BST)``
  (:mod:`partnerkit.reports.text`).

Markup (a link drawn by a partial) is kept as it is; any other value is shown as text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from markupsafe import Markup

from partnerkit.reports.text import format_date, format_moment

KINDS = ("text", "number", "count", "fraction", "percent", "date", "moment", "yes_no")
"""The kinds of column a table knows; see :func:`cell_text`."""


def is_missing(value: Any) -> bool:
    """True for None, NaN, NaT and ``pd.NA`` (and nothing else: 0 and "" are values)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if pd.api.types.is_scalar(value) else False
    except (TypeError, ValueError):
        return False


def format_number(value: Any, places: int = 1) -> str:
    """A number as people read it: ``1,234``, ``3.5``, ``200`` (never ``200.000000``)."""
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    text = f"{number:,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(value: Any, *, fraction: bool = True, places: int = 1) -> str:
    """A percentage: ``0.875`` as ``87.5%`` (``fraction``), or ``83`` as ``83%``."""
    number = float(value) * (100 if fraction else 1)
    return f"{format_number(round(number, places), places)}%"


def yes_no(value: Any) -> str:
    """``Yes`` for a true value, ``No`` for a false one."""
    return "Yes" if bool(value) else "No"


def _moment(value: Any) -> str:
    moment = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return format_moment(moment)


def _date(value: Any) -> str:
    day = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return format_date(day)


FORMATTERS: dict[str, Callable[[Any], str]] = {
    "number": format_number,
    "count": lambda v: format_number(v, places=0),
    "fraction": format_percent,
    "percent": lambda v: format_percent(v, fraction=False),
    "date": _date,
    "moment": _moment,
    "yes_no": yes_no,
}
"""How each kind of column other than ``text`` writes a value that is there."""


def cell_text(value: Any, kind: str = "text", missing: str = "") -> str:
    """``value`` as a cell of a column of ``kind`` (one of :data:`KINDS`) reads.

    A missing value reads ``missing``. Raises ``ValueError`` for an unknown kind.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of column {kind!r}; use one of {', '.join(KINDS)}")
    if isinstance(value, Markup):
        return value
    if isinstance(value, np.generic):
        value = value.item()
    if is_missing(value):
        return missing
    if kind == "text" and isinstance(value, bool):
        return yes_no(value)
    if kind == "text" and isinstance(value, dt.datetime | pd.Timestamp):
        return _moment(value)
    if kind == "text" and isinstance(value, dt.date):
        return _date(value)
    if kind == "text" and isinstance(value, float):
        return format_number(value)
    formatter = FORMATTERS.get(kind)
    return formatter(value) if formatter else str(value)


__all__ = ["FORMATTERS", "KINDS", "cell_text", "format_number", "format_percent",
           "is_missing", "yes_no"]
