"""What a read from the store returns, and how times and data are written as text.

A time is stored as ISO 8601 text in UTC with microseconds (so text order is time
order on every database); record data as JSON with sorted keys.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Clock = Callable[[], datetime]
"""A function returning the current time (tests pass a settable clock)."""


@dataclass(frozen=True)
class StoredRecord:
    """A record as stored: its address, data, owner and version."""

    workspace: str
    kind: str
    key: str
    data: dict[str, Any]
    author: str
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Change:
    """One entry of a record's history: who changed it, when, and the data before and after."""

    workspace: str
    kind: str
    key: str
    version: int
    op: str
    author: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def utc_now() -> datetime:
    """The real clock: an aware UTC datetime."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A naive time is taken as UTC; an aware one is kept."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def stamp(moment: datetime) -> str:
    """The stored text of a time: UTC, ISO 8601, microseconds."""
    return aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str) -> datetime:
    """The time a stored stamp stands for."""
    return datetime.fromisoformat(text)


def dump(data: dict[str, Any] | None) -> str | None:
    """Record data as stored JSON text (None stays None)."""
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def load(text: str | None) -> dict[str, Any] | None:
    """Record data from stored JSON text (None stays None)."""
    return None if text is None else json.loads(text)


def stored_record(row: Any) -> StoredRecord:
    """A :class:`StoredRecord` from a row of the records table."""
    return StoredRecord(row.workspace, row.kind, row.key, json.loads(row.data), row.author,
                        row.version, parse_stamp(row.created_at),
                        parse_stamp(row.updated_at), row.updated_by)


def change(row: Any) -> Change:
    """A :class:`Change` from a row of the history table."""
    return Change(row.workspace, row.kind, row.key, row.version, row.op, row.author,
                  parse_stamp(row.at), load(row.before), load(row.after))
