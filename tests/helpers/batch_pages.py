"""Tiny report functions for the batch-render tests (imported by the test kernels too)."""

from __future__ import annotations

import html


def pupil_page(store, workspace, pupil, names=False):
    """A one-line page showing the pupil's reference and stage as stored."""
    profile = store.get(workspace, "pupil_profile", pupil)
    stage = profile.data.get("stage", "") if profile else ""
    return (f"<html><head><title>{html.escape(pupil)}</title></head><body>"
            f"<h1>Pupil {html.escape(pupil)}</h1><p>Stage {html.escape(stage)}</p>"
            "</body></html>")


def page_fails_for_p1004(store, workspace, pupil):
    """A report that cannot be made for one pupil."""
    if pupil == "P-1004":
        raise RuntimeError("the drawing for P-1004 is broken")
    return pupil_page(store, workspace, pupil)
