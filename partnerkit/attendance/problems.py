"""Collect problems found in an input file, then refuse the file or list the rows skipped.

A loader adds every problem it finds (a row can have several). At the end,
:meth:`Problems.raise_if_any` refuses the whole file with one :class:`InputFileError`
whose message is the first problem and whose ``problems`` list holds the first
:data:`MAX_LISTED` of them; with ``skip_bad_rows`` the loader drops the bad rows instead
and :meth:`Problems.frame` lists every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from partnerkit.errors import InputFileError

#: How many problems an error carries in ``problems`` (the count in the message is exact).
MAX_LISTED = 100
#: Columns of :meth:`Problems.frame` and of ``LoadReport.skipped``.
SKIPPED_COLUMNS = ("file", "row", "column", "value", "problem", "fix", "action")
#: ``action`` values: what ``skip_bad_rows`` did about a problem.
ROW_SKIPPED = "row skipped"
VALUE_LEFT_OUT = "value left out (shown as Not recorded)"


@dataclass
class _Batch:
    rows: np.ndarray
    values: np.ndarray
    column: str
    message: str
    fix: str
    action: str


@dataclass
class Problems:
    """Problems in one file; ``skip`` is the ``skip_bad_rows`` choice."""

    file: str
    skip: bool = False
    _batches: list[_Batch] = field(default_factory=list)

    def add(self, message: str, *, row: int, column: str, value: object, fix: str,
            action: str = ROW_SKIPPED) -> None:
        """Record one problem; ``message`` may use ``{value}`` for the quoted value."""
        self.add_many(np.array([row]), [value], column=column, message=message, fix=fix,
                      action=action)

    def add_many(self, rows: np.ndarray, values: object, *, column: str, message: str,
                 fix: str, action: str = ROW_SKIPPED) -> None:
        """Record the same kind of problem on many rows (``values`` one per row).

        ``action`` says what ``skip_bad_rows`` does: skip the row (the default) or leave
        the value out.
        """
        rows = np.asarray(rows, dtype=np.int64).ravel()
        if rows.size:
            vals = np.empty(rows.size, dtype=object)
            vals[:] = list(values) if not isinstance(values, np.ndarray) else values
            self._batches.append(_Batch(rows, vals, column, message, fix, action))

    @property
    def count(self) -> int:
        """How many problems were found."""
        return int(sum(b.rows.size for b in self._batches))

    def bad_rows(self) -> np.ndarray:
        """Sorted distinct row numbers with at least one problem that skips the row."""
        parts = [b.rows for b in self._batches if b.action == ROW_SKIPPED]
        if not parts:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))

    def frame(self) -> pd.DataFrame:
        """Every problem, sorted by row: columns :data:`SKIPPED_COLUMNS`."""
        if not self._batches:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object")
                                 for c in SKIPPED_COLUMNS})
        parts = []
        for b in self._batches:
            parts.append(pd.DataFrame({
                "file": self.file, "row": b.rows, "column": b.column, "value": b.values,
                "problem": [b.message.format(value=_quote(v)) for v in b.values],
                "fix": b.fix, "action": b.action}))
        out = pd.concat(parts, ignore_index=True)
        return out.sort_values("row", kind="stable").reset_index(drop=True)

    def errors(self, limit: int = MAX_LISTED) -> list[InputFileError]:
        """The first ``limit`` problems (by row) as :class:`InputFileError` objects."""
        rows = []
        for b in self._batches:
            order = np.argsort(b.rows, kind="stable")[:limit]
            rows.extend((int(b.rows[i]), b, b.values[i]) for i in order)
        rows.sort(key=lambda t: t[0])
        return [InputFileError(b.message.format(value=_quote(v)), file=self.file, row=r,
                               column=b.column, value=v, fix=b.fix)
                for r, b, v in rows[:limit]]

    def raise_if_any(self) -> None:
        """Refuse the file when there are problems and rows are not being skipped."""
        if self.skip or not self._batches:
            return
        listed = self.errors()
        first = listed[0]
        total = self.count
        more = f" (and {total - 1} more problem{'s' if total > 2 else ''}; " \
               "see the error's problems list)" if total > 1 else ""
        raise InputFileError(
            f"{first.message}{more}; nothing was loaded from this file",
            file=self.file, row=first.row, column=first.column, value=first.value,
            fix=f"{first.fix}, or pass skip_bad_rows=True to load the other rows and "
                "list the rows skipped",
            problems=listed)


def _quote(value: object) -> str:
    text = "" if value is None else str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text)
