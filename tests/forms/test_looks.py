"""Widgets that keep the default look share one model; changing one look changes only it."""

from __future__ import annotations

import ipywidgets as widgets
from ipywidgets.widgets.widget import _instances

from partnerkit.forms import looks, record_form
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

    looks.share_default_looks()
    build()  # the shared looks themselves are made once, by the first form
    shared = _models(build)
    plain = _count_with_own_looks(build)
    assert shared < plain * 0.6, (shared, plain)


def _count_with_own_looks(build) -> int:
    """``_models(build)`` with ipywidgets' own defaults: a new look for every widget."""
    saved = list(looks._looks)
    originals = []
    for cls in looks._widget_classes():
        for name in looks.LOOK_TRAITS:
            trait = cls.__dict__.get(name)
            if trait is not None and isinstance(trait.make_dynamic_default,
                                                looks.SharedLook):
                originals.append((trait, trait.make_dynamic_default))
                del trait.make_dynamic_default  # back to the class's own: a new look each
    try:
        return _models(build)
    finally:
        for trait, look in originals:
            trait.make_dynamic_default = look
        looks._looks[:] = saved


def test_widgets_with_the_default_look_share_it_and_own_looks_stay_apart():
    looks.share_default_looks()
    first, second = widgets.Text(), widgets.Text()
    assert first.layout is second.layout and first.style is second.style
    mine = widgets.Text(layout=widgets.Layout(width="10em"))
    assert mine.layout is not first.layout and mine.layout.width == "10em"
    assert looks.is_shared(first.layout) and not looks.is_shared(mine.layout)


def test_hiding_one_widget_does_not_hide_the_others_sharing_its_look():
    looks.share_default_looks()
    button, other = widgets.Button(), widgets.Button()
    looks.own_layout(button).display = "none"
    assert button.layout.display == "none"
    assert other.layout.display is None


def test_a_closed_shared_look_is_made_again():
    looks.share_default_looks()
    look = widgets.HTML().layout
    look.close()
    assert widgets.HTML().layout is not look
