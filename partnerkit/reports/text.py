"""How dates and times read in pages and reports: one formatter for every output.

A moment is shown in the machine's local time with its zone name, because staff read it
against the clock on the wall; a stored moment without a zone is taken to be UTC (that is
how the store writes them).
"""

from __future__ import annotations

import datetime as dt


def aware(moment: dt.datetime) -> dt.datetime:
    """``moment`` with a time zone; a naive moment is taken to be UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_moment(moment: dt.datetime | None) -> str:
    """A time people read easily: ``10:15 on Wednesday 2 September 2026 (UTC)``; "" for None."""
    if moment is None:
        return ""
    local = aware(moment).astimezone()
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y} ({local.tzname()})"


def format_date(day: dt.date | dt.datetime | None, *, short: bool = False) -> str:
    """A date as ``2 September 2026`` (``2 Sep 2026`` when ``short``); "" for None."""
    if day is None:
        return ""
    if hasattr(day, "to_pydatetime"):  # a pandas Timestamp
        day = day.to_pydatetime()
    if isinstance(day, dt.datetime):
        day = aware(day).astimezone().date()
    return f"{day.day} {day:%b %Y}" if short else f"{day.day} {day:%B %Y}"


def format_stamp(moment: dt.datetime | None) -> str:
    """A compact date and time for a history table: ``2 Sep 2026 10:15``; "" for None."""
    if moment is None:
        return ""
    local = aware(moment).astimezone()
    return f"{local.day} {local:%b %Y %H:%M}"


def format_clock(moment: dt.datetime) -> str:
    """The time of day to the second, as a form says when it saved: ``10:15:03``."""
    return f"{aware(moment).astimezone():%H:%M:%S}"


def format_month(year: int, month: int) -> str:
    """A month as a chart labels it: ``Sep 2024``."""
    return f"{dt.date(year, month, 1):%b %Y}"
