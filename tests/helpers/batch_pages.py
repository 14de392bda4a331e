"""Tiny report functions for the render tests (imported by the test kernels too)."""

from __future__ import annotations

from markupsafe import Markup

PAGE = Markup("<html><head><title>{pupil}</title></head><body>"
              "<h1>Pupil {pupil}</h1><p>Stage {stage}</p></body></html>")
"""A one-line page; ``Markup.format`` escapes the values put into it."""


def pupil_page(store, workspace, pupil, names=False):
    """A one-line page showing the pupil's reference and stage as stored."""
    profile = store.get(workspace, "pupil_profile", pupil)
    stage = profile.data.get("stage", "") if profile else ""
    return str(PAGE.format(pupil=pupil, stage=stage))


def page_fails_for_p1004(store, workspace, pupil):
    """A report that cannot be made for one pupil."""
    if pupil == "P-1004":
        raise RuntimeError("the drawing for P-1004 is broken")
    return pupil_page(store, workspace, pupil)
