"""The attendance code table: what each MIS mark means for the attendance rate.

partnerkit ships a default table (``partnerkit/data/attendance_codes.csv``, documented in
the file itself). A school or authority whose system uses other codes passes its own CSV
with the same columns: ``code, category, label, meaning``. Lines starting with ``#`` are
comments. Codes are compared ignoring surrounding spaces and case, and all-digit codes by
their number, so ``2``, ``02`` and ``002`` are the same code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from partnerkit.errors import InputFileError

DEFAULT_CODES = Path(__file__).resolve().parent.parent / "data" / "attendance_codes.csv"

#: The categories a code can have, in the order used for counts.
CATEGORIES = ("attendance", "authorised", "unauthorised", "exclusion", "not_counted")
#: Categories that make a possible opening.
POSSIBLE = ("attendance", "authorised", "unauthorised", "exclusion")
_COLUMNS = ("code", "category", "label", "meaning")
#: The most codes one table may hold (marks are kept as one byte each).
MAX_CODES = 250


def normalise_code(text: object) -> str:
    """The form used to compare codes: stripped, upper case, digits as a number."""
    code = str(text).strip().upper()
    if code.isdigit() and code.isascii():
        return str(int(code))
    return code


@dataclass(frozen=True)
class CodeTable:
    """A validated code table.

    ``table`` columns: ``code`` (str, as written in the file), ``category`` (one of
    :data:`CATEGORIES`), ``label`` (str), ``meaning`` (str). Code *ids* used in the marks
    grid are 1-based row positions in ``table``; 0 means "no mark".
    """

    table: pd.DataFrame
    source: str

    @cached_property
    def lookup(self) -> dict[str, int]:
        """Normalised code → code id."""
        return {normalise_code(c): i + 1 for i, c in enumerate(self.table["code"])}

    @cached_property
    def category_of_id(self) -> np.ndarray:
        """uint8 array: code id → category index + 1 (0 for "no mark")."""
        cats = [CATEGORIES.index(c) + 1 for c in self.table["category"]]
        return np.array([0, *cats], dtype=np.uint8)

    def codes_in(self, category: str) -> list[str]:
        """The codes (as written) in one category."""
        return self.table.loc[self.table["category"] == category, "code"].tolist()


def load_codes(codes: str | Path | pd.DataFrame | CodeTable | None = None) -> CodeTable:
    """Load the default code table, or the school's own table from a CSV path or DataFrame.

    Raises :class:`InputFileError` naming the file, row, column and value for a missing
    column, an empty or repeated code, or a category that is not one of :data:`CATEGORIES`.
    """
    if isinstance(codes, CodeTable):
        return codes
    if isinstance(codes, pd.DataFrame):
        rows = [(i + 2, {k: "" if pd.isna(v) else str(v) for k, v in r.items()})
                for i, r in enumerate(codes.to_dict("records"))]
        return _validate(list(codes.columns), rows, "codes table")
    path = Path(codes) if codes is not None else DEFAULT_CODES
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252", errors="replace")
    except OSError as exc:
        raise InputFileError(f"cannot read the code table ({exc.strerror})", file=path.name,
                             value=str(path),
                             fix="pass the path of a CSV with columns code,category,label,"
                                 "meaning") from None
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    records = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    if not records:
        raise InputFileError("the code table is empty", file=path.name, row=1, column="code",
                             value="", fix="write the headings code,category,label,meaning "
                                           "and one row per code")
    header_row, header = records[0]
    names = [h.strip().lower() for h in header]
    rows = [(n, dict(zip(names, [c.strip() for c in r], strict=False))) for n, r in records[1:]]
    return _validate(names, rows, path.name, header_row)


def _validate(names: list[str], rows: list[tuple[int, dict[str, str]]], file: str,
              header_row: int = 1) -> CodeTable:
    for column in ("code", "category"):
        if column not in names:
            raise InputFileError(f"the code table has no {column!r} column; found: "
                                 + ", ".join(repr(n) for n in names), file=file,
                                 row=header_row, column=column, value=", ".join(names),
                                 fix="use the headings code,category,label,meaning")
    seen: dict[str, int] = {}
    out = []
    for number, row in rows:
        code = row.get("code", "").strip()
        category = row.get("category", "").strip().lower().replace(" ", "_")
        if not code:
            raise InputFileError("a row has no code", file=file, row=number, column="code",
                                 value=code, fix="fill in the code or delete the row")
        if category not in CATEGORIES:
            raise InputFileError(f"category {row.get('category', '')!r} is not one of "
                                 + ", ".join(CATEGORIES), file=file, row=number,
                                 column="category", value=row.get("category", ""),
                                 fix="use attendance, authorised, unauthorised, exclusion "
                                     "or not_counted")
        key = normalise_code(code)
        if key in seen:
            raise InputFileError(f"code {code!r} appears twice (first on row {seen[key]})",
                                 file=file, row=number, column="code", value=code,
                                 fix="keep one row per code")
        seen[key] = number
        out.append({"code": code, "category": category,
                    "label": row.get("label", "").strip() or code,
                    "meaning": row.get("meaning", "").strip()})
    if not out:
        raise InputFileError("the code table has headings but no codes", file=file,
                             row=header_row + 1, column="code", value="",
                             fix="add one row per code")
    if len(out) > MAX_CODES:
        raise InputFileError(f"the code table has {len(out)} codes; at most {MAX_CODES} are "
                             "supported", file=file, row=rows[MAX_CODES][0], column="code",
                             value=out[MAX_CODES]["code"], fix="remove codes you do not use")
    table = pd.DataFrame(out, columns=list(_COLUMNS)).astype(str)
    return CodeTable(table=table, source=file)
