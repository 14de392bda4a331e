"""What every form of the data-protection page shares: status lines and the confirmation step.

A button makes one package call; its answer shows as a status beside it, a partnerkit
error as its one clear message (never a traceback). A change that destroys or changes
data is shown first (:class:`Confirmed`): a "Check" button shows what will happen, and
only "Yes, ..." does it. If what would happen is no longer what was shown (the form was
changed, or the store was), nothing is done and the person is asked to check again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from partnerkit.errors import PartnerkitError
from partnerkit.reports.parts import render_part

PUPIL_TOPIC = "data_protection.pupil"
"""What the page's parts redraw on: the pupil chosen, or a change made to them."""
def auto() -> widgets.Layout:
    """A new layout auto wide (each widget its own: a shared one is closed with any page)."""
    return widgets.Layout(width="auto")
WIDE = {"description_width": "initial"}


def status(text: str, ok: bool) -> str:
    """A status line: good news as a status, a problem as an alert."""
    return render_part("status_message", text=text, ok=ok)


def run(out: widgets.HTML, action: Callable[[], str], session: Any | None = None) -> bool:
    """Run a button's call: its answer as a status, a partnerkit error as its message.

    With a ``session``, the page's parts about the pupil are redrawn after a success.
    True when the call succeeded.
    """
    try:
        out.value = status(action(), True)
    except PartnerkitError as exc:
        out.value = status(str(exc), False)
        return False
    if session is not None:
        session.changed(PUPIL_TOPIC)
    return True


@dataclass(frozen=True)
class Preview:
    """What a change will do (plain lines), and whether there is anything to confirm."""

    text: str
    ready: bool = True


class Confirmed(widgets.VBox):
    """A change shown before it is made: "Check", then "Yes, ..." or "Cancel".

    ``preview`` says what will happen (raising a partnerkit error for bad input);
    ``act`` does it and says what was done; ``session`` (if given) has the page redrawn.
    """

    def __init__(self, check_label: str, yes_label: str, preview: Callable[[], Preview],
                 act: Callable[[], str], *, session: Any | None = None,
                 heading: str = "Check before you confirm") -> None:
        self.preview, self.act, self.session, self.heading = preview, act, session, heading
        self.shown: str | None = None
        self.check = widgets.Button(description=check_label, layout=auto())
        self.yes = widgets.Button(description=yes_label, button_style="danger", layout=auto())
        self.cancel = widgets.Button(description="Cancel", layout=auto())
        self.plan, self.out = widgets.HTML(), widgets.HTML()
        self.choice = widgets.HBox([self.yes, self.cancel],
                                   layout=widgets.Layout(display="none"))
        self.check.on_click(lambda _b: self.show())
        self.yes.on_click(lambda _b: self.confirm())
        self.cancel.on_click(lambda _b: self.drop("Nothing was changed."))
        super().__init__([self.check, self.plan, self.choice, self.out])

    def show(self) -> None:
        """Show what will happen, and the confirming buttons if there is anything to do."""
        self.drop("")
        try:
            seen = self.preview()
        except PartnerkitError as exc:
            self.out.value = status(str(exc), False)
            return
        self.plan.value = render_part("confirm_step", heading=self.heading, text=seen.text)
        if seen.ready:
            self.shown = seen.text
            self.choice.layout.display = "flex"

    def confirm(self) -> None:
        """Do it, if what would happen is still what was shown."""
        shown, self.shown = self.shown, None
        self.choice.layout.display = "none"
        try:
            now = self.preview()
        except PartnerkitError as exc:
            self.out.value = status(str(exc), False)
            return
        if shown is None or now.text != shown:
            self.plan.value = ""
            self.out.value = status("What this would do has changed since you checked it, so "
                                    "nothing was done. Press the check button again.", False)
            return
        self.plan.value = ""
        run(self.out, self.act, self.session)

    def drop(self, message: str) -> None:
        """Forget what was shown (Cancel): nothing to confirm any more."""
        self.shown = None
        self.choice.layout.display = "none"
        self.plan.value = ""
        self.out.value = status(message, True) if message else ""
