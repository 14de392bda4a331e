"""The forms' shared looks: their styles, and one widget model per default look.

:data:`FORM_CSS` is the forms' style sheet, sent once per page (:func:`style_once`).

Fewer widget models per page: widgets that keep the default look share one.

ipywidgets gives every widget its own ``Layout`` model and most widgets their own
``Style`` model, even when they keep the defaults. On the mapping page that was 310 of
490 models: each one is made in the kernel, passed through the server and built in the
browser, for nothing. After :func:`share_default_looks`, widgets made with the default
look share one model per kind of look; a widget made with its own ``layout=`` or
``style=`` keeps its own, as before.

A shared look must never be changed in place (``widget.layout.display = "none"`` would
hide every widget sharing it): call :func:`own_layout` first.

Fewer messages per page: give a widget its classes (``_dom_classes=STACKED``), label,
look and value as it is made. Each trait set afterwards (``add_class``, ``.style =``,
``.value =``) is one more message from the kernel through the server to the browser
before the page is usable; on the mapping page that was 73 messages beside its 115
models (``tests/forms/test_messages.py`` checks that a form sends none).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from ipywidgets.widgets.trait_types import InstanceDict

FORM_CSS = """
<style>
.pk-form { max-width: 46em; }
.pk-field { margin: 0 0 0.6em 0; }
.pk-field .widget-label { font-weight: 600; min-width: 14em; }
.pk-stacked { flex-direction: column !important; align-items: stretch !important;
              width: 100% !important; height: auto !important; }
.pk-stacked .widget-label { width: auto !important; max-width: none !important;
                            white-space: normal !important; text-align: left !important; }
.pk-stacked textarea { min-height: 5em; }
.pk-stacked select { height: 2.2em !important; flex: none !important; }
.pk-stacked.pk-date > input { width: 11em !important; max-width: 100% !important; }
.pk-help { color: #3b3b3b; font-size: 0.9em; margin: 0.1em 0 0.2em 0; }
.pk-error { color: #a4000f; font-weight: 600; }
.pk-warning { color: #6b4a00; }
.pk-status-ok { color: #0b6623; font-weight: 600; }
.pk-status-bad { color: #a4000f; font-weight: 600; }
</style>
"""

STACKED = ("pk-stacked",)
"""The class of an input whose label is above it (give it as the widget is made)."""
LOOK_TRAITS = ("layout", "style")
_looks: list[SharedLook] = []
_set_looks: dict[tuple[type, tuple[tuple[str, str], ...]], widgets.Widget] = {}


class SharedLook:
    """The default of one look trait: one instance, remade if it was closed."""

    def __init__(self, klass: type[widgets.Widget]) -> None:
        self.klass = klass
        self.instance: widgets.Widget | None = None

    def __call__(self) -> widgets.Widget:
        """The shared instance (what traitlets calls for a widget's default)."""
        if self.instance is None or getattr(self.instance, "comm", None) is None:
            self.instance = self.klass()
        return self.instance


def _widget_classes() -> list[type]:
    found, todo = [], [widgets.Widget]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def share_default_looks() -> None:
    """Make every widget class share one default layout and style model per kind."""
    for cls in _widget_classes():
        for name in LOOK_TRAITS:
            trait = cls.__dict__.get(name)
            if isinstance(trait, InstanceDict) and not isinstance(
                    trait.make_dynamic_default, SharedLook):
                trait.make_dynamic_default = SharedLook(trait.klass)
                _looks.append(trait.make_dynamic_default)


def is_shared(look: Any) -> bool:
    """True when ``look`` is a shared look (a default one, or one of :func:`shared_look`)."""
    return (any(shared.instance is look for shared in _looks)
            or any(kept is look for kept in _set_looks.values()))


def own_layout(widget: widgets.DOMWidget) -> widgets.Layout:
    """The widget's layout, first made its own if it was the shared default."""
    if is_shared(widget.layout):
        widget.layout = widgets.Layout()
    return widget.layout


_style_shown = False


def style_once() -> widgets.Widget:
    """The form styles, sent with the first form a kernel builds (one copy per page).

    Every later form gets one shared empty model (a model may show in many places).
    """
    global _style_shown
    if _style_shown:
        return shared_look(widgets.HTML, value="")
    _style_shown = True
    return widgets.HTML(FORM_CSS)


def shared_look(klass: type[widgets.Widget], **traits: str) -> widgets.Widget:
    """One look model (a ``Layout`` or a style) with ``traits``, shared by all who ask.

    Fields of a form ask for the same few looks (a text box 100% wide, a label as wide
    as its text): one model each per page instead of one per field. Like the default
    looks, a shared look is never changed in place (:func:`own_layout` first).
    """
    key = (klass, tuple(sorted(traits.items())))
    look = _set_looks.get(key)
    if look is None or getattr(look, "comm", None) is None:
        look = _set_looks[key] = klass(**traits)
    return look


def shared_style(widget: widgets.DOMWidget | type[widgets.DOMWidget],
                 **traits: str) -> widgets.Widget:
    """A shared style of the widget's own style class with ``traits`` (see :func:`shared_look`).

    Given the widget's class, the style can go to its constructor: a look, a
    description or a class set after a widget is made is one more message to the page.
    """
    klass = widget if isinstance(widget, type) else type(widget)
    return shared_look(klass.class_traits()["style"].klass, **traits)
