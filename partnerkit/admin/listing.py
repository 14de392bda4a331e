"""Plain text tables for the terminal: a heading row, a rule, one row per line."""

from __future__ import annotations

from collections.abc import Sequence

GAP = "  "


def plain_table(headings: Sequence[str], rows: Sequence[Sequence[object]],
                empty: str = "(none)") -> str:
    """Columns padded to their widest cell; ``empty`` under the headings when no rows.

    Cells are shown on one line each: line breaks and tabs in a value become spaces, so a
    name can never break the table.
    """
    cells = [[_one_line(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headings)]
    lines = [_line(headings, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(row, widths) for row in cells] or [empty]
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return GAP.join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.split()) if any(c in text for c in "\r\n\t\v\f") else text
