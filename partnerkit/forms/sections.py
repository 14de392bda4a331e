"""Sections built when opened: a page sends a section's heading, and its forms only on demand.

A served page's kernel makes every widget of the page before the page is usable, and
each widget is a model the server passes on and the browser builds. Most of a long page
is below the fold, so :class:`LazySections` shows each section as a heading that opens
(an ipywidgets ``Accordion``) and builds the section's body the first time it is opened:

- a closed section costs two models (its place in the accordion, and an empty box);
- opening it calls its builder once, which reads the store then, so what was saved
  shows when it opens; closing and opening again shows the same body, with whatever
  was typed in it (the forms in it save as they always do);
- a builder that fails shows a plain message in the section (never a traceback), and
  the section tries again the next time it is opened;
- with ``lazy=False`` (JupyterLab, a batch render: nobody opens anything there) every
  body is built at once and is itself the section's child (a plain ``Accordion``, as
  before there were lazy sections), and an error while building is raised as in any
  other cell.

A lazy section's body goes inside a box that stays in place (replacing the accordion's
child would redraw its heading, and a keyboard user's focus would be lost).

The page template makes each heading a keyboard button (Tab reaches it, Enter or Space
opens it) that says whether it is open (``aria-expanded``); focus stays on the heading
when it opens, and Tab goes on into the section.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from partnerkit.errors import PartnerkitError
from partnerkit.reports.parts import render_part

log = logging.getLogger(__name__)

Builder = Callable[[], widgets.Widget]
"""Makes a section's body (its forms): called once, when the section is first opened."""

NOT_BUILT = ("Something went wrong on the server while opening this section. Your saved "
             "answers are safe. Close the section and open it again; if it happens again, "
             "tell whoever runs this server (the details are in its log).")
"""What a section says when its builder fails with an error that is not partnerkit's."""


class LazySections(widgets.Accordion):
    """Sections shown by their titles; a section's body is built the first time it opens.

    ``sections`` are ``(title, builder)`` pairs. ``opened`` is the section open (and so
    built) from the start, or None for all closed. ``built`` maps the index of each
    section built so far to its body; ``boxes`` are the boxes lazy bodies go in.
    """

    def __init__(self, sections: Sequence[tuple[str, Builder]], *,
                 opened: int | None = None, lazy: bool = True) -> None:
        self.builders = [build for _title, build in sections]
        self.built: dict[int, widgets.Widget] = {}
        if lazy:
            self.boxes = [widgets.VBox() for _ in sections]
        else:
            self.built = {i: build() for i, build in enumerate(self.builders)}
            self.boxes = list(self.built.values())
        super().__init__(children=self.boxes, titles=tuple(t for t, _b in sections),
                         _dom_classes=("pk-sections",))
        self.observe(self._opened, names="selected_index")
        if opened is not None:
            self.selected_index = opened

    def _opened(self, change: dict) -> None:
        if change["new"] is not None:
            self.build(change["new"])

    def build(self, index: int) -> widgets.Widget | None:
        """The body of section ``index``: built now if it was not, and put in its box.

        A builder that fails leaves a plain message in the box (and None is returned);
        the next opening tries again.
        """
        if index in self.built:
            return self.built[index]
        try:
            body = self.builders[index]()
        except PartnerkitError as exc:
            self.boxes[index].children = (_message(str(exc)),)
            return None
        except Exception:  # noqa: BLE001 - a section that fails must say so, never raise
            log.exception("building section %r of the page failed", self.get_title(index))
            self.boxes[index].children = (_message(NOT_BUILT),)
            return None
        self.built[index] = body
        self.boxes[index].children = (body,)
        return body

    def open_section(self, index: int) -> widgets.Widget | None:
        """Open section ``index`` (closing the one open), building it if needed."""
        self.selected_index = index
        return self.build(index)

    def retitle(self, index: int, title: str) -> None:
        """Give section ``index`` a new title (a count of what is done, say)."""
        self.set_title(index, title)


def lazy_section(title: str, build: Builder, *, opened: bool = False,
                 lazy: bool = True) -> LazySections:
    """One section (a disclosure) whose body is built the first time it is opened."""
    return LazySections([(title, build)], opened=0 if opened else None, lazy=lazy)


def _message(text: str) -> widgets.HTML:
    return widgets.HTML(render_part("page_error", message=text))


__all__ = ["NOT_BUILT", "Builder", "LazySections", "lazy_section"]
