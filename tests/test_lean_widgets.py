"""Widgets that keep the default look share one model; changing one look changes only it."""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget import _instances

from partnerkit.forms import looks as lean_widgets
from partnerkit.forms import record_form
from partnerkit.records import PupilProfile


def _models(build) -> int:
    """How many widget models ``build`` makes (each one goes to the browser)."""
    before = set(_instances)
    build()
    return len(set(_instances) - before)


def test_a_form_sends_far_fewer_models_when_looks_are_shared(store):
    def build():
        record_form(PupilProfile, store=store, workspace="demo", author="Ann",
                    key="P-2001", fixed={"pupil": "P-2001"})

    lean_widgets.share_default_looks()
    build()  # the shared looks themselves are made once, by the first form
    shared = _models(build)
    plain = _count_with_own_looks(build)
    assert shared < plain * 0.6, (shared, plain)


def _count_with_own_looks(build) -> int:
    """``_models(build)`` with ipywidgets' own defaults: a new look for every widget."""
    saved = list(lean_widgets._looks)
    originals = []
    for cls in lean_widgets._widget_classes():
        for name in lean_widgets.LOOK_TRAITS:
            trait = cls.__dict__.get(name)
            if trait is not None and isinstance(trait.make_dynamic_default,
                                                lean_widgets.SharedLook):
                originals.append((trait, trait.make_dynamic_default))
                del trait.make_dynamic_default  # back to the class's own: a new look each
    try:
        return _models(build)
    finally:
        for trait, look in originals:
            trait.make_dynamic_default = look
        lean_widgets._looks[:] = saved


def test_widgets_with_the_default_look_share_it_and_own_looks_stay_apart():
    lean_widgets.share_default_looks()
    first, second = widgets.Text(), widgets.Text()
    assert first.layout is second.layout and first.style is second.style
    mine = widgets.Text(layout=widgets.Layout(width="10em"))
    assert mine.layout is not first.layout and mine.layout.width == "10em"
    assert lean_widgets.is_shared(first.layout) and not lean_widgets.is_shared(mine.layout)


def test_hiding_one_widget_does_not_hide_the_others_sharing_its_look():
    lean_widgets.share_default_looks()
    button, other = widgets.Button(), widgets.Button()
    lean_widgets.own_layout(button).display = "none"
    assert button.layout.display == "none"
    assert other.layout.display is None


def test_a_closed_shared_look_is_made_again():
    lean_widgets.share_default_looks()
    look = widgets.HTML().layout
    look.close()
    assert widgets.HTML().layout is not look
