"""A DataFrame as a plain table people read: the one table partial of pages and reports.

A wing's ``data.py`` returns DataFrames with fixed, documented columns (the batch and
JupyterLab API). A page never shows one raw: it names the columns to show, each with a
readable heading and the kind of value it holds (:class:`Column`), and
:func:`frame_table` draws them through ``templates/parts/data_table.html.j2``, the partial
the reports use:

- no row numbers, and only the columns named (never an internal id such as
  ``principles.partnership_parity.1`` or ``gap_type``: a column of ids is shown through
  its ``labels``, or not at all);
- every cell through :func:`partnerkit.reports.cells.cell_text` (no ``None``, ``NaN``,
  ``NaT``, ``<NA>``, ``False``; dates as ``2 October 2026``; percentages as ``87.5%``);
- text wrapped, never cut; text people typed keeps its line breaks and its direction;
- an empty table is a sentence saying what to do;
- a long table shows its first ``limit`` rows and the rest under "Show all".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from partnerkit.reports.cells import KINDS, cell_text
from partnerkit.reports.parts import render_part


@dataclass(frozen=True)
class Column:
    """One column of a table people read.

    ``name``: the DataFrame's column; ``heading``: what the reader sees; ``kind``: one of
    :data:`~partnerkit.reports.cells.KINDS`; ``labels``: words for coded values (a code
    with no label is shown as it is); ``missing``: the text of a missing value;
    ``typed``: text people typed (line breaks kept, shown in its own direction).
    """

    name: str
    heading: str
    kind: str = "text"
    labels: Mapping[Any, str] | None = None
    missing: str = ""
    typed: bool = False

    def __post_init__(self) -> None:
        """Refuse an unknown kind at once, where the table is described."""
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}; "
                             f"use one of {', '.join(KINDS)}")

    def cell(self, value: Any) -> str:
        """``value`` as this column shows it."""
        if self.labels is not None and not isinstance(value, list | dict):
            try:
                value = self.labels.get(value, value)
            except TypeError:  # an unhashable value has no label
                pass
        return cell_text(value, self.kind, self.missing)


def table_rows(frame: pd.DataFrame, columns: Sequence[Column]) -> list[list[str]]:
    """The cells of ``columns`` for each row of ``frame``, as they read.

    Raises ``KeyError`` naming a column the frame does not have.
    """
    absent = [c.name for c in columns if c.name not in frame.columns]
    if absent:
        raise KeyError(f"the table has no column {', '.join(absent)}; "
                       f"it has {', '.join(map(str, frame.columns))}")
    records = frame[[c.name for c in columns]].to_dict("records")
    return [[c.cell(record[c.name]) for c in columns] for record in records]


def frame_table(frame: pd.DataFrame, columns: Sequence[Column], *, empty: str,
                caption: str | None = None, limit: int | None = None,
                more: tuple[str, str] = ("row", "rows")) -> str:
    """``frame`` as a plain HTML table of ``columns``; ``empty`` (a sentence) if no rows.

    With ``limit``, rows after the first ``limit`` are folded under "Show the other N
    rows" (``more``: what one row is and what several are, "pupil", "pupils").
    """
    rows = table_rows(frame, columns)
    rest = len(rows) - (limit or len(rows))
    return render_part(
        "data_table", columns=[c.heading for c in columns], rows=rows,
        typed=[c.typed for c in columns], caption=caption or "", empty=empty,
        limit=limit or 0, more=f"Show the other {rest} {more[rest != 1]}", page=True)


__all__ = ["Column", "frame_table", "table_rows"]
