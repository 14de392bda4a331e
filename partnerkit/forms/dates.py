"""Dates typed the British way: day, month, year, whatever the browser's locale.

A browser's own date box (``<input type=date>``, ipywidgets' DatePicker) lays itself out
in the browser's locale, not the page's: Chromium shows mm/dd/yyyy to most people, and
typing 02/10/2026 there gives 10 February. Staff in Scotland write 2 October 2026 as
02/10/2026, so a form's date is a text box (:class:`DateBox`) read by
:func:`parse_date`: day/month/year (``/``, ``.``, ``-`` or spaces between), a month by
name ("2 October 2026", "2 Oct 2026") or an ISO date (2026-10-02). Anything else gets a
message that names what was typed and how to write it.

The box sends its text only when the person leaves it or presses Enter (ipywidgets'
``continuous_update=False``), so a half-typed date never reaches the form: only what the
person finished typing is read, and saved when it is a whole date in the field's years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

import ipywidgets as widgets
import traitlets

from partnerkit.errors import DateError

EXAMPLE = "02/10/2026"
HINT = f"Day, month and year, for example {EXAMPLE}"
"""The hint under every date box (GOV.UK's date input pattern: say the order, show one)."""
PLACEHOLDER = "dd/mm/yyyy"

HOW = f"type the day, month and year, for example {EXAMPLE}"

_NUMBERS = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})(?:\s*[/.\-\s]\s*(\d*))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d*)$")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


def parse_date(text: str | None) -> dt.date | None:
    """The date ``text`` names (day first), None for an empty box; else :class:`DateError`.

    The year must have four digits ("the year is not finished" otherwise); the day
    must exist in its month (31/02/2026 is refused, naming February's days).
    """
    typed = (text or "").strip()
    if not typed:
        return None
    iso = _ISO.match(typed)
    if iso:
        year, month, day = iso.groups()
        return _whole_date(typed, day, month, year)
    numbers = _NUMBERS.match(typed)
    if numbers:
        day, month, year = numbers.groups()
        return _whole_date(typed, day, month, year)
    named = _NAMED.match(typed)
    if named and named.group(2).lower() in _MONTHS:
        day, month_name, year = named.groups()
        return _whole_date(typed, day, str(_MONTHS[month_name.lower()]), year)
    raise DateError(f"'{typed}' is not a date this form can read; {HOW}")


def _whole_date(typed: str, day: str, month: str, year: str | None) -> dt.date:
    """The date of these parts, or :class:`DateError` saying which part is wrong."""
    if not year:
        raise DateError(f"'{typed}' has no year; {HOW}")
    if len(year) != 4:
        raise DateError(f"the year is not finished (it reads {year}); type all four digits, "
                        f"for example {EXAMPLE}")
    if not 1 <= int(month) <= 12:
        raise DateError(f"'{typed}': {int(month)} is not a month (the month comes second, "
                        f"from 1 to 12); {HOW}")
    last = calendar.monthrange(int(year), int(month))[1]
    if not 1 <= int(day) <= last:
        month_name = calendar.month_name[int(month)]
        raise DateError(f"'{typed}' is not a date: {month_name} {year} has {last} days; {HOW}")
    return dt.date(int(year), int(month), int(day))


def show_date(day: dt.date | None) -> str:
    """A date as it is shown in a date box: ``02/10/2026``; "" for None."""
    return "" if day is None else f"{day:%d/%m/%Y}"


class DateText(traitlets.Unicode):
    """A text trait that takes a date (shown dd/mm/yyyy) or None (shown empty) too."""

    def validate(self, obj: Any, value: Any) -> str:
        """``value`` as the text a date box shows."""
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return show_date(value)
        return "" if value is None else super().validate(obj, value)


class DateBox(widgets.Text):
    """A text box for a date, shown and typed as dd/mm/yyyy (:func:`parse_date`).

    ``value`` is the text in the box; a :class:`datetime.date` given to it is shown as
    dd/mm/yyyy. :attr:`date` is the date it holds. The browser sends the text when the
    person leaves the box (``continuous_update`` is False).
    """

    value = DateText(help="The text in the box (a date given is shown dd/mm/yyyy)").tag(
        sync=True)

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("placeholder", PLACEHOLDER)
        # "pk-date": as wide as a date (the forms' style sheet)
        kwargs["_dom_classes"] = (*kwargs.get("_dom_classes", ()), "pk-date")
        super().__init__(continuous_update=False, **kwargs)

    @property
    def date(self) -> dt.date | None:
        """The date in the box (None when empty); :class:`DateError` when it is not one."""
        return parse_date(self.value)
