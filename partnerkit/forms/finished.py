"""Only finished values are saved: when a field's change counts, and the rule for a date.

Text answers save as they are typed (autosave makes a burst of saves one history entry),
so nothing typed is lost. A date, a number or a choice is saved only once finished:

- **Numbers** are text boxes with ``continuous_update=False``, ipywidgets' own option:
  the browser sends the value only when the person leaves the box or presses Enter.
  (ipywidgets' number boxes would clamp an out-of-range number silently; GOV.UK also
  asks for a text box for numbers.)
- **Dates** are dd/mm/yyyy text boxes (:mod:`partnerkit.forms.dates`) with
  ``continuous_update=False`` too: the browser's own date box follows the browser's
  locale (mm/dd/yyyy in most), reports every keystroke that makes a whole date (a year
  is whole from its first digit) and has no ``continuous_update``. A date left in the
  box counts only when it reads as a whole date whose four-digit year lies inside the
  field's years (:func:`unfinished_date`); an emptied box clears the date.
- **Choices** (dropdowns, radio buttons) *settle*: the arrow keys walk a dropdown
  through every choice on the way to the one wanted, so a choice is saved only after
  the person paused (:data:`PAUSE_SECONDS` without another change to it) or changed
  another field (they left it).

The pause is kept on the kernel's event loop, the loop that delivers the browser's
changes: each change restarts it. Without a running loop (a script, a test) there is
nobody typing, and a change counts at once. When the kernel ends (its page was closed,
the server stopped) every held change counts at once (:func:`release_all`), so a
choice made just before is saved.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import weakref
from collections.abc import Callable
from typing import Any

PAUSE_SECONDS = 1.5
"""How long a settling field must rest before its value is taken as finished."""

DATE_YEARS = (2000, 2099)
"""The years a date in a form may take, unless the field says (``json_schema_extra``
``{"years": [first, last]}``): plans, reviews, meetings and requests of this century."""

Later = Callable[[float, Callable[[], None]], Callable[[], None]]
"""Run a callback after some seconds; returns the function that cancels it."""


def unfinished_date(value: dt.date | None, years: tuple[int, int] = DATE_YEARS,
                    stored: object = None) -> str | None:
    """Why ``value`` is not a finished date (a message), or None when it may be saved.

    A date is finished when its year has four digits and lies within ``years`` (first
    and last, inclusive); no date (an emptied box) is finished. ``stored`` (what the
    store holds) is kept for callers that pass it; it does not change the rule.
    """
    if value is None:
        return None
    first, last = years
    if value.year < 1000:
        return (f"the year is not finished (it reads {value.year}); type all four digits, "
                f"a year from {first} to {last}")
    if not first <= value.year <= last:
        return f"{value.year} is not a year this date can take; use a year from {first} to {last}"
    return None


def event_loop_later(seconds: float, callback: Callable[[], None]) -> Callable[[], None]:
    """Run ``callback`` after ``seconds`` on the running event loop; at once without one."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return lambda: None
    return loop.call_later(seconds, callback).cancel


class Settler:
    """Holds the changes of settling fields until they rest or the person moves on.

    :meth:`handler` wraps a field's change callback. A change to a field that does not
    settle runs its callback at once; a change to one that settles waits for
    :data:`PAUSE_SECONDS` of rest. Any change to another field first lets every held
    change through, in the order they came (the person left those fields).
    """

    def __init__(self, later: Later | None = None, pause: float = PAUSE_SECONDS) -> None:
        self.later = later or event_loop_later
        self.pause = pause
        self._held: dict[int, tuple[Callable[[], None], Callable[[], None]]] = {}
        _SETTLERS.add(self)

    @property
    def holding(self) -> bool:
        """True while a change waits for its field to rest."""
        return bool(self._held)

    def handler(self, field: object, callback: Callable[[Any], None], *,
                settles: bool) -> Callable[[Any], None]:
        """The change handler of ``field``: runs ``callback`` when the change counts."""
        def changed(change: Any) -> None:
            self.release(keep=id(field))
            if settles:
                self._hold(id(field), lambda: callback(change))
            else:
                callback(change)
        return changed

    def _hold(self, key: int, run: Callable[[], None]) -> None:
        held = self._held.pop(key, None)
        if held is not None:
            held[1]()

        def fire() -> None:
            if self._held.pop(key, None) is not None:
                run()

        self._held[key] = (fire, lambda: None)
        cancel = self.later(self.pause, fire)
        if key in self._held:
            self._held[key] = (fire, cancel)

    def release(self, keep: int | None = None) -> None:
        """Let every held change through now (but the one of field id ``keep``)."""
        for key in [k for k in self._held if k != keep]:
            fire, cancel = self._held[key]
            cancel()
            fire()


_SETTLERS: weakref.WeakSet[Settler] = weakref.WeakSet()


def release_all() -> None:
    """Let every held change of every form through now: the kernel is ending."""
    for settler in list(_SETTLERS):
        settler.release()


atexit.register(release_all)
