"""Make an attendance table safe to share, by the one small-numbers rule.

The rule is :mod:`partnerkit.disclosure`'s, the same for every count that leaves a
workspace: a count of 1 to 4 pupils is shown as ``"<5"``; zero is shown as 0 (it names
nobody); where the counts of a characteristic's groups add up to a known total and only
one of them is hidden, the next smallest is hidden too, as ``"c"``. Applied to any
partnerkit table with a ``pupils`` column (breakdowns, bands):

1. Each group of a characteristic (each band) is one partition: the rule decides, from
   the ``pupils`` counts, which rows are hidden whole. A hidden row shows no figures:
   its openings, rates and shares are ``"c"`` (a small count in it still reads ``"<5"``).
2. Every other count of pupils (with openings, flagged, with no openings) is a partition
   of its own total too, so the rule is applied to it again, counting hidden rows as
   hidden.
3. A rate or share worked out from a hidden count is hidden with it.

Every value in the returned table is text, written for reading ("1,234", "91.2%"); the
extra column ``suppressed`` is true for rows hidden whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from partnerkit.disclosure import HIDDEN, SMALL, hidden_positions, is_small

#: Columns that count pupils.
PEOPLE_COLUMNS = ("pupils", "pupils_with_openings", "low_attendance", "no_possible")
#: Rates and shares that depend on a people count (rule 3).
DEPENDS_ON = {"low_attendance_share": "low_attendance", "share": "pupils"}


def shareable(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` for sharing, with the same columns (as text) plus ``suppressed``.

    See the module notes for the rule. A table without a ``pupils`` column has only its
    small counts hidden.
    """
    groups = _groups(table)
    hidden_row = _hidden(table, "pupils", groups, np.zeros(len(table), dtype=bool))
    hidden_cells = {c: _hidden(table, c, groups, hidden_row) for c in PEOPLE_COLUMNS
                    if c in table}
    out = pd.DataFrame(index=table.index)
    for column in table.columns:
        values = table[column]
        if column in PEOPLE_COLUMNS:
            out[column] = _people(values, hidden_cells[column])
        elif _is_rate(column):
            mask = hidden_row | hidden_cells.get(DEPENDS_ON.get(column), False)
            out[column] = np.where(mask, HIDDEN, [_percent(v) for v in values])
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            out[column] = np.where(hidden_row, HIDDEN, [_count(v) for v in values])
        else:
            out[column] = values.astype(str).to_numpy()
    out["suppressed"] = hidden_row
    return out.reset_index(drop=True)


def _groups(table: pd.DataFrame) -> list[np.ndarray]:
    """The rows of each partition: one per characteristic, or the whole table."""
    if "characteristic" not in table:
        return [np.arange(len(table))]
    keys = table["characteristic"].to_numpy()
    return [np.flatnonzero(keys == key) for key in pd.unique(keys)]


def _hidden(table: pd.DataFrame, column: str, groups: list[np.ndarray],
            already: np.ndarray) -> np.ndarray:
    """Which cells of a people column the rule hides, partition by partition."""
    hidden = already.copy()
    if column not in table:
        return hidden
    counts = table[column].fillna(0).to_numpy(dtype=np.float64)
    for members in groups:
        hidden[members] = hidden_positions(counts[members].tolist(), partition=True,
                                           already=already[members])
    return hidden


def _people(values: pd.Series, hidden: np.ndarray) -> np.ndarray:
    counts = values.fillna(0).to_numpy(dtype=np.float64)
    small = np.array([is_small(c) for c in counts], dtype=bool)
    return np.where(small, SMALL, np.where(hidden, HIDDEN, [_count(v) for v in values]))


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
