"""The self-evaluation wheel as a matplotlib figure: start and end on one radar."""

from __future__ import annotations

import textwrap
from typing import Any

from partnerkit.collaborative_working.data import wheels
from partnerkit.records.module import WHEEL_AREAS
from partnerkit.store import Store

STYLES = {"start": {"color": "#1f77b4", "linestyle": "--", "label": "Start"},
          "end": {"color": "#d95f02", "linestyle": "-", "label": "End"}}
"""How each wheel is drawn: the start dashed, the end solid."""


def wheel_chart(store: Store, workspace: str, practitioner: str) -> Any:
    """The self-evaluation wheel: start and end drawn one over the other (a radar chart).

    Returns a matplotlib Figure. An unrated area is drawn at 0 and counted in the title.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    drawn = wheels(store, workspace, practitioner)
    labels = [textwrap.fill(label, 16) for label, _ in WHEEL_AREAS.values()]
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False)
    fig = plt.figure(figsize=(6.5, 6.5))
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(np.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, labels, fontsize=8)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    missing = []
    for moment, wheel in drawn.items():
        if wheel is None:
            continue
        values = [v or 0 for v in wheel.ratings().values()]
        missing += [f"{moment}: {WHEEL_AREAS[a][0]}" for a, v in wheel.ratings().items()
                    if v is None]
        closed = np.append(values, values[0])
        loop = np.append(angles, angles[0])
        ax.plot(loop, closed, linewidth=2, **STYLES[moment])
        ax.fill(loop, closed, alpha=0.12, color=STYLES[moment]["color"])
    ax.set_title(_title(any(drawn.values()), len(missing)), fontsize=11, pad=24)
    if any(drawn.values()):
        ax.legend(loc="upper right", bbox_to_anchor=(1.15, 1.12))
    plt.close(fig)
    return fig


def _title(any_drawn: bool, missing: int) -> str:
    title = "Self-evaluation wheel: start and end"
    if not any_drawn:
        return title + "\n(not completed yet)"
    if missing:
        return title + f"\n({missing} area rating{'s' if missing != 1 else ''} not given yet)"
    return title
