"""The principles wheel: the average rating of each principle group drawn as a radar.

Series are told apart by line style and marker as well as colour; a group not rated yet
is drawn at the centre and the legend says so.
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from partnerkit.principles.data import group_scores, load_ratings, raters, rating_dates
from partnerkit.principles.rules import as_moment, check_rater, display_rater, groups, is_school
from partnerkit.records.plan import SCHOOL_RATER
from partnerkit.reports.fonts import chart_text, isolate, use_chart_fonts
from partnerkit.reports.text import format_date
from partnerkit.store import Store

SERIES_STYLES = (("#1f4e79", "-", "o"), ("#d95f02", "--", "s"), ("#1b9e77", ":", "^"),
                 ("#7570b3", "-.", "D"))
"""Colour, line style and marker of each series: shape and line tell them apart, not colour."""

OVER_TIME = "Partnership principles over time"


def radar_figure(scores: dict[str, dict[str, float]], title: str) -> Figure:
    """A radar of average ratings (0-5) by principle group, one line per series.

    Args:
        scores: series label -> group title -> average rating (NaN when not rated;
            drawn at the centre and said so in the legend).
        title: the chart's title.
    """
    labels = [g.title or g.text for g in groups()]
    use_chart_fonts(title, *labels, *scores.keys())
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    fig, ax = plt.subplots(figsize=(7.5, 6.5), subplot_kw={"projection": "polar"})
    plt.close(fig)
    for (label, values), (colour, line, marker) in zip(scores.items(), SERIES_STYLES,
                                                       strict=False):
        points = [values.get(g, math.nan) for g in labels]
        missing = any(math.isnan(p) for p in points)
        ys = [0.0 if math.isnan(p) else p for p in points]
        legend = f"{isolate(label)} (centre = not rated yet)" if missing else label
        ax.plot([*angles, angles[0]], [*ys, ys[0]], color=colour, linestyle=line,
                marker=marker, linewidth=2, label=chart_text(legend))
        ax.fill([*angles, angles[0]], [*ys, ys[0]], color=colour, alpha=0.08)
    ax.set_xticks(angles)
    ax.set_xticklabels([chart_text(textwrap.fill(lab, 14)) for lab in labels], fontsize=9)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=8, color="#444444")
    ax.set_title(chart_text(title), pad=24, fontsize=12)
    if scores:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1, frameon=False)
    fig.text(0.01, 0.01, "1 = not yet embedded … 5 = fully embedded (average per group)",
             fontsize=8, color="#444444")
    fig.tight_layout()
    return fig


def _series(frame: pd.DataFrame, column: str) -> dict[str, float]:
    return {str(k): float(v) for k, v in frame[column].items()}


def _date_label(value: Any) -> str:
    """A comparison date as the legend shows it, e.g. "1 Sep 2026" (the moment's own day)."""
    return format_date(as_moment(value).date(), short=True)


def _school_and_partners(store: Store, workspace: str) -> Figure:
    scores = group_scores(load_ratings(store, workspace))
    partners = [r for r in raters(store, workspace) if not is_school(r)]
    series = {"School": _series(scores, "school")}
    if partners:
        label = partners[0] if len(partners) == 1 else f"Partners (average of {len(partners)})"
        series[label] = _series(scores, "partners")
    return radar_figure(series, "Partnership principles: school and partners")


def wheel_figure(store: Store, workspace: str, *, rater: str = SCHOOL_RATER,
                 date_a: Any = None, date_b: Any = None, over_time: bool = False) -> Figure:
    """The principles wheel: school against partners, or ``rater`` on two dates.

    With no dates and ``over_time`` false, it draws the school's and the partners'
    averages per group now. With ``date_a`` (and optionally ``date_b``, default now), or
    with ``over_time`` (dates from :func:`rating_dates`), it draws ``rater``'s averages
    on the two dates from the store's history.
    """
    if date_a is None and date_b is None and not over_time:
        return _school_and_partners(store, workspace)
    rater = check_rater(rater)
    side = "school" if is_school(rater) else "partners"
    name = isolate(display_rater(rater))
    if date_a is None:
        dates = rating_dates(store, workspace, rater)
        if dates is None:
            now = group_scores(load_ratings(store, workspace, rater=rater))
            return radar_figure({f"{name}: now (no earlier ratings yet)": _series(now, side)},
                                OVER_TIME)
        date_a = dates[0]
    first = group_scores(load_ratings(store, workspace, rater=rater, as_of=date_a))
    second = group_scores(load_ratings(store, workspace, rater=rater, as_of=date_b))
    label_b = "now" if date_b is None else _date_label(date_b)
    return radar_figure({f"{name}: {_date_label(date_a)}": _series(first, side),
                         f"{name}: {label_b}": _series(second, side)}, OVER_TIME)


def figure_svg(fig: Figure) -> str:
    """A figure as inline SVG markup (no XML header), for an HTML report."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):]
