"""Charts of attendance tables, as matplotlib Figures (the notebook cell displays them).

Figures are built with :class:`matplotlib.figure.Figure` directly, not through pyplot, so
nothing is drawn or shown as a side effect and no figure is kept open.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MultipleLocator, PercentFormatter

from partnerkit.attendance.measures import BANDS, DEFAULT_THRESHOLD, NO_POSSIBLE, check_threshold
from partnerkit.attendance.pupils import NOT_RECORDED
from partnerkit.attendance.stretch import MEASURES

LOW = "#c0392b"
MID = "#e67e22"
OK = "#2e86ab"
GREY = "#9e9e9e"
SIZE = (7.5, 3.8)


def chart_quintiles(breakdown: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD) -> Figure:
    """Bar chart of attendance rate by SIMD quintile, with the threshold and the gap.

    ``breakdown`` is a :func:`quintile_breakdown` table.
    """
    limit = check_threshold(threshold)
    table = breakdown[breakdown["group"] != NOT_RECORDED]
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    rates = table["rate"].to_numpy(dtype=float)
    colours = [LOW if r <= limit else OK for r in np.nan_to_num(rates, nan=1.0)]
    bars = ax.bar(table["group"], np.nan_to_num(rates), color=colours)
    for bar, rate, pupils in zip(bars, rates, table["pupils"], strict=True):
        text = "no pupils" if pupils == 0 else f"{rate:.1%}\n({pupils} pupils)"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    _threshold_line(ax, limit)
    _percent_axis(ax, rates)
    title = str(breakdown["characteristic"].iloc[0]) if len(breakdown) else "SIMD quintile"
    gap = (rates[-1] - rates[0]) * 100 if len(rates) == 5 else np.nan
    ax.set_title(f"Attendance by {title}" + (f": gap Q1 to Q5 {gap:.1f} percentage points"
                                             if gap == gap else ""), fontsize=10)
    ax.set_ylabel("Attendance rate")
    return fig


def chart_bands(bands: pd.DataFrame) -> Figure:
    """Horizontal bars: how many pupils are in each attendance band.

    ``bands`` is a :func:`band_counts` table.
    """
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    order = list(bands["band"])[::-1]
    counts = bands.set_index("band").loc[order, "pupils"].to_numpy()
    colours = [GREY if b == NO_POSSIBLE else LOW if b in BANDS[:3] else
               MID if b == BANDS[3] else OK for b in order]
    bars = ax.barh(order, counts, color=colours)
    for bar, count in zip(bars, counts, strict=True):
        ax.annotate(f" {count}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    va="center", fontsize=8)
    ax.set_xlabel("Pupils")
    ax.set_title("Pupils in each attendance band", fontsize=10)
    ax.set_xlim(0, max(1, counts.max() if counts.size else 1) * 1.15)
    return fig


def chart_trend(trend: pd.DataFrame, threshold: float = DEFAULT_THRESHOLD,
                title: str = "Attendance over the year") -> Figure:
    """Line chart of the rate in each period, one line per group (a trend table)."""
    limit = check_threshold(threshold)
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    if trend.empty:
        _message(ax, "No trend: this needs a file with one mark per pupil, date and session")
        return fig
    periods = list(dict.fromkeys(trend["period"]))
    x = np.arange(len(periods))
    for group, part in trend.groupby("group", sort=False):
        values = part.set_index("period").reindex(periods)["rate"].to_numpy(dtype=float)
        ax.plot(x, values, marker="o", label=str(group))
    _threshold_line(ax, limit)
    ax.set_xticks(x, periods, rotation=45 if len(periods) > 6 else 0, ha="right"
                  if len(periods) > 6 else "center", fontsize=8)
    _percent_axis(ax, trend["rate"].to_numpy(dtype=float))
    ax.set_ylabel("Attendance rate")
    ax.set_title(title, fontsize=10)
    if trend["group"].nunique() > 1:
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return fig


def chart_stretch_aims(tracker: pd.DataFrame) -> Figure:
    """Targets (dashed) and results (solid) for each stretch-aim measure, year by year.

    ``tracker`` is a :func:`stretch_aim_tracker` table: rates on the left, gap on the right.
    """
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    if tracker.empty:
        _message(fig.add_subplot(), "No stretch aims entered")
        return fig
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2, 1]})
    years = list(dict.fromkeys(tracker["year"]))
    x = np.arange(len(years))
    colours = {"overall": OK, "q1": LOW, "q5": "#27ae60", "gap": MID}
    names = {"overall": "Overall", "q1": "Quintile 1", "q5": "Quintile 5", "gap": "Gap"}
    for key in MEASURES:
        part = tracker[tracker["key"] == key].set_index("year").reindex(years)
        ax = right if key == "gap" else left
        short = names[key]
        ax.plot(x, part["target"], linestyle="--", color=colours[key], label=f"{short} target")
        ax.plot(x, part["actual"], marker="o", color=colours[key], label=f"{short} actual")
    for ax in (left, right):
        ax.set_xticks(x, years, fontsize=8)
        ax.legend(fontsize=7)
    left.set_ylabel("Attendance (%)")
    left.set_title("Stretch aims: attendance", fontsize=10)
    right.set_ylabel("Percentage points")
    right.set_title("Stretch aim: gap Q1 to Q5", fontsize=10)
    return fig


def _threshold_line(ax, limit: float) -> None:
    ax.axhline(limit, color=GREY, linestyle="--", linewidth=1)
    ax.annotate(f"{limit:.0%} threshold", (0, limit), xycoords=("axes fraction", "data"),
                xytext=(4, 2), textcoords="offset points", fontsize=7, color=GREY)


def _percent_axis(ax, rates: np.ndarray) -> None:
    finite = rates[np.isfinite(rates)]
    low = min(0.8, float(finite.min()) - 0.05) if finite.size else 0.0
    low = max(0.0, np.floor(low * 20) / 20)
    ax.set_ylim(low, 1.0 + (1.0 - low) * 0.08)
    ax.yaxis.set_major_locator(MultipleLocator(0.05 if 1 - low <= 0.5 else 0.1))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def _message(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=10, wrap=True)
    ax.set_axis_off()
