"""The partnership principles workbook: how far each principle is embedded, and reflection.

``rules`` (pure: raters, scores in words, conversation starters), ``data`` (ratings from
the store and their comparisons as DataFrames with fixed columns), ``wheel`` (the radar
figure), ``views`` (the widgets) and ``report`` (the part of the plan report). The
workbook calls the names below.
"""

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
)
from partnerkit.principles.wheel import figure_svg, radar_figure, wheel_figure

__all__ = [
    "DATES_COLUMNS", "GROUP_SCORE_COLUMNS", "RATERS_COLUMNS", "RATING_COLUMNS",
    "STARTER_MIN_GAP", "check_rater", "compare_dates", "compare_raters", "compare_ratings",
    "compare_table", "conversation_starters", "display_rater", "figure_svg", "group_scores",
    "groups", "is_school", "load_ratings", "own_rater", "principle_number", "principles_of",
    "radar_figure", "raters", "rating_dates", "rating_forms", "ratings_frame",
    "reflection_view", "report_context", "starters_view", "wheel_figure", "whose_rating",
]
