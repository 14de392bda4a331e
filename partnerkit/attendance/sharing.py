"""Make a table safe to share: hide counts of pupils under 5 and what they would reveal.

Rules, applied to any partnerkit table with a ``pupils`` column (breakdowns, bands):

1. A count of pupils under ``min_count`` (0 to 4 by default) is shown as ``"<5"``.
2. A row for a group of fewer than ``min_count`` pupils shows no figures at all: its
   openings, rates and shares become ``"c"`` (confidential) as well.
3. A rate or share worked out from a hidden count is hidden too.
4. If only one group of a characteristic is hidden, the next smallest group is hidden as
   well, so the hidden figure cannot be found by subtracting from a total.

Every value in the returned table is text, written for reading ("1,234", "91.2%"); the
extra column ``suppressed`` is true for rows hidden whole (rules 2 and 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SMALL = "<{n}"
HIDDEN = "c"
#: Columns that count pupils (rule 1).
PEOPLE_COLUMNS = ("pupils", "pupils_with_openings", "low_attendance", "no_possible")
#: Rates and shares that depend on a people count (rule 3).
DEPENDS_ON = {"low_attendance_share": "low_attendance", "share": "pupils"}


def shareable(table: pd.DataFrame, min_count: int = 5) -> pd.DataFrame:
    """A copy of ``table`` for sharing, with the same columns (as text) plus ``suppressed``.

    See the module notes for the rules. A table without a ``pupils`` column is only
    formatted.
    """
    out = pd.DataFrame(index=table.index)
    hidden_row = _hidden_rows(table, min_count)
    small = SMALL.format(n=min_count)
    hidden_cells = {}
    for column in table.columns:
        values = table[column]
        if column in PEOPLE_COLUMNS:
            below = values.fillna(0).to_numpy(dtype=np.float64) < min_count
            hidden_cells[column] = below | hidden_row
            out[column] = np.where(below, small, np.where(hidden_row, HIDDEN,
                                                          [_count(v) for v in values]))
        elif _is_rate(column):
            mask = hidden_row.copy()
            source = DEPENDS_ON.get(column)
            if source in hidden_cells:
                mask |= hidden_cells[source]
            out[column] = np.where(mask, HIDDEN, [_percent(v) for v in values])
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[column] = np.where(hidden_row, HIDDEN, [_count(v) for v in values])
        else:
            out[column] = values.astype(str).to_numpy()
    out["suppressed"] = hidden_row
    return out.reset_index(drop=True)


def _hidden_rows(table: pd.DataFrame, min_count: int) -> np.ndarray:
    if "pupils" not in table:
        return np.zeros(len(table), dtype=bool)
    pupils = table["pupils"].fillna(0).to_numpy(dtype=np.float64)
    hidden = (pupils > 0) & (pupils < min_count)
    keys = table["characteristic"].to_numpy() if "characteristic" in table else \
        np.zeros(len(table), dtype=object)
    for key in pd.unique(keys):
        members = np.flatnonzero(keys == key)
        shown = members[~hidden[members] & (pupils[members] > 0)]
        if hidden[members].sum() == 1 and shown.size:
            hidden[shown[np.argmin(pupils[shown])]] = True
    return hidden


def _is_rate(column: str) -> bool:
    return column == "rate" or column.endswith("_rate") or column.endswith("share")


def _count(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"


def _percent(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{float(value):.1%}"
