"""The retention schedule: how long each kind of pupil record is kept after the pupil leaves.

One schedule for the whole package: ``partnerkit retention`` and the data-protection page
apply it (:mod:`partnerkit.data_protection.due`), and the paperwork
(:mod:`partnerkit.safekeeping.paperwork`) states it, so the documents say what is done.

Shipped defaults (:data:`DEFAULT_YEARS`) follow Scottish practice:

* a pupil's educational record, and everything partnerkit keeps about a pupil with it,
  is kept **5 years after the pupil leaves** (the Scottish Council on Archives Records
  Retention Schedules, SCARRS, education schedule: pupil records "date of leaving plus 5
  years"; the record itself is defined by the Pupils' Educational Records (Scotland)
  Regulations 2003);
* child protection information (a request for assistance marked as a child protection
  concern) is kept much longer: **25 years after the pupil leaves** here. SCARRS and
  Scottish local authorities' schedules keep child protection files until the person
  is well into adulthood (commonly to age 25 or beyond), and the Scottish Child Abuse
  Inquiry has asked bodies not to destroy records about the care of children. partnerkit
  holds no dates of birth, so the period runs from leaving; a school sets its own
  authority's period in its schedule file.

A workspace's own schedule is ``<data folder>/<workspace>/retention.toml``::

    [years]            # years after the pupil leaves
    child_protection = 40
    postcard = 1

It is checked whole: an unknown kind, a negative or fractional period, or a file that is
not TOML is refused with a message naming the file, the kind and the fix. Records of a
pupil with no leaving date, or under a legal hold, are never due.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnerkit.errors import RetentionScheduleError

SCHEDULE_FILE = "retention.toml"
PUPIL_RECORD_YEARS = 5
CHILD_PROTECTION_YEARS = 25
CHILD_PROTECTION = "child_protection"
NAME = "pupil_name"
DEFAULT_YEARS: dict[str, int] = {
    "pupil_profile": PUPIL_RECORD_YEARS, "connection": PUPIL_RECORD_YEARS,
    "answer": PUPIL_RECORD_YEARS, "staged_support_plan": PUPIL_RECORD_YEARS,
    "request_for_assistance": PUPIL_RECORD_YEARS, CHILD_PROTECTION: CHILD_PROTECTION_YEARS,
    "parent_partnership": PUPIL_RECORD_YEARS, "postcard": PUPIL_RECORD_YEARS,
    "sharing_entry": PUPIL_RECORD_YEARS, "correction": PUPIL_RECORD_YEARS,
    "legal_hold": PUPIL_RECORD_YEARS, "pupil_left": PUPIL_RECORD_YEARS,
    NAME: PUPIL_RECORD_YEARS,
}
"""Years each kind is kept after the pupil leaves (``child_protection``: a request for
assistance marked as a child protection concern; ``pupil_name``: the real name)."""


@dataclass(frozen=True)
class Schedule:
    """Years to keep each kind after leaving, and where the workspace's changes came from."""

    years: dict[str, int]
    source: str

    def years_for(self, kind: str) -> int:
        """How many years after leaving a kind is kept."""
        return self.years[kind]


def load_schedule(data_dir: Path, workspace: str, file: Path | None = None) -> Schedule:
    """The workspace's schedule: the defaults, changed by its ``retention.toml`` if it has one."""
    path = Path(file) if file else data_dir / workspace / SCHEDULE_FILE
    if not path.is_file():
        if file:
            raise RetentionScheduleError("does not exist", value=str(path),
                                         where="retention schedule",
                                         fix="give the path of a retention.toml file")
        return Schedule(dict(DEFAULT_YEARS), "Scottish defaults")
    return Schedule({**DEFAULT_YEARS, **parse_schedule(path.read_text("utf-8"), str(path))},
                    f"Scottish defaults changed by {path}")


def parse_schedule(text: str, where: str) -> dict[str, int]:
    """The ``[years]`` table of a schedule file, every kind and period checked."""
    try:
        table: Any = tomllib.loads(text).get("years", {})
    except tomllib.TOMLDecodeError as exc:
        raise RetentionScheduleError(f"is not a TOML file ({exc})", where=f"retention schedule "
                                     f"{where}", fix="write it as [years] then lines like "
                                     "child_protection = 25") from None
    if not isinstance(table, dict):
        raise RetentionScheduleError("'years' must be a table", value=table,
                                     where=f"retention schedule {where}",
                                     fix="write [years] then lines like postcard = 5")
    return {kind: _years(kind, value, where) for kind, value in table.items()}


def _years(kind: str, value: Any, where: str) -> int:
    place = f"retention schedule {where}"
    if kind not in DEFAULT_YEARS:
        raise RetentionScheduleError(f"{kind!r} is not a kind of pupil record", value=kind,
                                     where=place, fix="use one of: " + ", ".join(DEFAULT_YEARS))
    if isinstance(value, bool) or not isinstance(value, int):
        raise RetentionScheduleError(f"kind {kind!r}: {value!r} is not a whole number of years",
                                     value=value, where=place,
                                     fix="give the years after leaving, e.g. 5")
    if value < 0:
        raise RetentionScheduleError(f"kind {kind!r}: {value} is a negative period", value=value,
                                     where=place, fix="give 0 or more years after leaving")
    return value


def describe_years(years: int, kind: str = "") -> str:
    """A period as the paperwork words it: '5 years after the pupil leaves school'."""
    what = "year" if years == 1 else "years"
    text = f"{years} {what} after the pupil leaves school"
    if kind == "request_for_assistance":
        text += (f"; when it records a child protection concern, "
                 f"{DEFAULT_YEARS[CHILD_PROTECTION]} years after (change it to the local "
                 "child protection procedure's period)")
    return text


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_kind(kind: str, data: dict[str, Any] | None) -> str:
    """The schedule's kind for a record: a child protection request is ``child_protection``."""
    if kind == "request_for_assistance" and (data or {}).get("child_protection"):
        return CHILD_PROTECTION
    return kind
