"""The principles in a report: the wheel as inline SVG, scores per group, starters.

The six steps wing's plan report shows this part (``parts/principles_summary.html.j2``);
fragments for the pages come from ``templates/parts/`` through
:func:`partnerkit.reports.parts.render_part`.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from partnerkit.principles.data import compare_raters, group_scores, load_ratings, raters
from partnerkit.principles.rules import conversation_starters, format_score
from partnerkit.store import Store


def report_context(store: Store, workspace: str) -> dict[str, Any]:
    """What the partnership plan report shows of the principles: wheel, scores, starters."""
    from partnerkit.principles.wheel import figure_svg, wheel_figure  # matplotlib: late

    ratings = load_ratings(store, workspace)
    scores = group_scores(ratings)
    rows = [{"group": g, "school": format_score(r["school"]),
             "partners": format_score(r["partners"])} for g, r in scores.iterrows()]
    wheel = Markup(figure_svg(wheel_figure(store, workspace))) if ratings else ""
    return {"rated": sum(1 for r in ratings if r.rating is not None),
            "raters": raters(store, workspace),
            "wheel_svg": wheel,
            "group_scores": rows,
            "starters": conversation_starters(compare_raters(ratings))}
