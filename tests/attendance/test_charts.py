"""Charts are figures; nothing is shown as a side effect."""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure

from partnerkit import attendance as A
from tests.attendance.samples import (
    TREND_MARKS,
    marks,
)


def test_charts_are_figures_and_nothing_is_shown(tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    data = A.load_attendance(marks(tmp_path, TREND_MARKS))
    rates = A.pupil_rates(data)
    figures = [A.chart_quintiles(A.quintile_breakdown(rates)),
               A.chart_bands(A.band_counts(rates)), A.chart_trend(A.monthly_trend(data)),
               A.chart_stretch_aims(A.stretch_aim_tracker(None, rates, "2024/25"))]
    assert all(isinstance(f, Figure) for f in figures)
    assert plt.get_fignums() == before
    assert matplotlib.get_backend()


