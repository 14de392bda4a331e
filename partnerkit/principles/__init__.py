"""The partnership principles workbook: how far each principle is embedded, and reflection.

``rules`` (pure: raters, scores in words, conversation starters), ``data`` (ratings from
the store and their comparisons as DataFrames with fixed columns), ``wheel`` (the radar
figure), ``views`` (the widgets) and ``report`` (the part of the plan report). The
workbook calls the names below.

The wheel's names load matplotlib, so they are imported when first used
(:func:`__getattr__`): a page that only reads the principles' report context (the six
steps) does not load matplotlib.
"""

from __future__ import annotations

from typing import Any

from partnerkit.principles.data import (
    DATES_COLUMNS,
    GROUP_SCORE_COLUMNS,
    RATERS_COLUMNS,
    RATING_COLUMNS,
    compare_dates,
    compare_raters,
    compare_ratings,
    group_scores,
    load_ratings,
    raters,
    rating_dates,
    ratings_frame,
    whose_rating,
)
from partnerkit.principles.report import report_context
from partnerkit.principles.rules import (
    STARTER_MIN_GAP,
    check_rater,
    conversation_starters,
    display_rater,
    groups,
    is_school,
    own_rater,
    principle_number,
    principles_of,
)
from partnerkit.principles.views import (
    compare_table,
    rating_forms,
    reflection_view,
    starters_view,
    wheel_view,
)

__all__ = [
    "DATES_COLUMNS", "GROUP_SCORE_COLUMNS", "RATERS_COLUMNS", "RATING_COLUMNS",
    "STARTER_MIN_GAP", "check_rater", "compare_dates", "compare_raters", "compare_ratings",
    "compare_table", "conversation_starters", "display_rater", "figure_svg", "group_scores",
    "groups", "is_school", "load_ratings", "own_rater", "principle_number", "principles_of",
    "radar_figure", "raters", "rating_dates", "rating_forms", "ratings_frame",
    "reflection_view", "report_context", "starters_view", "wheel_figure", "wheel_view",
    "whose_rating",
]

WHEEL = ("figure_svg", "radar_figure", "wheel_figure")
"""The names imported from :mod:`.wheel` (with matplotlib) when first used."""


def __getattr__(name: str) -> Any:
    """A wheel's name, imported (with matplotlib) the first time it is asked for."""
    if name not in WHEEL:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from partnerkit.principles import wheel

    value = getattr(wheel, name)
    globals()[name] = value
    return value
