"""The file of one-time sign-in codes a class-list import makes: owner-only, for the trainer.

Codes are never printed to the terminal unless asked for (``--show-codes``): a terminal
is often shared or recorded, a file owner-only (0600, in an owner-only folder) is not.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from partnerkit.reports import write_csv

CODES_FOLDER = "sign-in-codes"
COLUMNS = ["username", "name", "one-time code"]


def default_codes_path(data_folder: Path, source_name: str, now: datetime) -> Path:
    """Where the codes of an import go by default: ``<data>/sign-in-codes/<file>-<time>.csv``."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(source_name).stem).strip("-") or "class-list"
    return data_folder / CODES_FOLDER / f"{stem}-codes-{now:%Y%m%d-%H%M%S}.csv"


def write_codes(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """Write (username, name, code) rows as CSV, owner-only; cells never run as formulas."""
    return write_csv(path, [list(row) for row in rows], columns=COLUMNS)
