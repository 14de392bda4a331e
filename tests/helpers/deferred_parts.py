"""Waiting, in a test, for a served page's deferred parts to be drawn (``page.DeferredParts``)."""

from __future__ import annotations

import asyncio

from partnerkit import page


def shown_text(output_widget) -> str:
    """What an Output widget shows, as HTML (or plain text where it has no HTML)."""
    return "".join(o["data"].get("text/html", "") or o["data"].get("text/plain", "")
                   for o in output_widget.outputs)


async def until_drawn(output_widgets, seconds: float = 30.0) -> None:
    """Let the event loop run until no part shows the drawing placeholder (or time is up;
    the caller's assertions then say which part was not drawn)."""
    for _ in range(int(seconds / 0.05)):
        await asyncio.sleep(0.05)
        if not any(shown_text(out) == page.DRAWING_PLACEHOLDER for out in output_widgets):
            return
