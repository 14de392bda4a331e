from __future__ import annotations

from matplotlib.figure import Figure

from partnerkit.principles import wheel
from partnerkit.store import Store
from tests.principles.helpers import P1, P2, rate


def _lines(fig: Figure) -> dict[str, list[float]]:
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    return {label: list(line.get_ydata()) for label, line in zip(labels, ax.get_lines(),
                                                                  strict=True)}


def test_wheel_draws_school_and_partner_by_group(store: Store):
    rate(store, "school", P1, 4)
    rate(store, "school", P2, 2)
    rate(store, "Youth Project", P1, 1)
    fig = wheel.wheel_figure(store, "school")
    assert isinstance(fig, Figure) and fig.axes[0].name == "polar"
    lines = _lines(fig)
    assert set(lines) == {"School (centre = not rated yet)",
                          "Youth Project (centre = not rated yet)"}
    school = lines["School (centre = not rated yet)"]
    assert school[0] == 3.0 and school[-1] == school[0]      # closed, barriers averaged
    assert school[1:6] == [0, 0, 0, 0, 0]                     # unrated groups at the centre
    assert lines["Youth Project (centre = not rated yet)"][0] == 1.0
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][0] == "Understanding\nbarriers"


def test_wheel_over_time_uses_the_history(store: Store, clock):
    rate(store, "school", P1, 2)
    clock.advance(days=30)
    rate(store, "school", P1, 4)
    lines = _lines(wheel.wheel_figure(store, "school", over_time=True))
    first, now = lines.values()
    assert first[0] == 2.0 and now[0] == 4.0
    assert list(lines)[0].startswith("School: 1 Sep 2026")
    assert list(lines)[1].startswith("School: now")


def test_wheel_between_two_given_dates_labels_both(store: Store, clock):
    rate(store, "school", P1, 2)
    clock.advance(days=30)
    rate(store, "school", P1, 4)
    lines = _lines(wheel.wheel_figure(store, "school", date_a="2026-09-01",
                                      date_b="2026-10-01"))
    assert [label.split(" (")[0] for label in lines] == ["School: 1 Sep 2026",
                                                         "School: 1 Oct 2026"]


def test_wheel_over_time_with_one_day_of_ratings_says_so(store: Store):
    rate(store, "school", P1, 3)
    lines = _lines(wheel.wheel_figure(store, "school", over_time=True))
    assert list(lines)[0].startswith("School: now (no earlier ratings yet)")


def test_wheel_svg_is_inline_markup(store: Store):
    rate(store, "school", P1, 3)
    svg = wheel.figure_svg(wheel.wheel_figure(store, "school"))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
