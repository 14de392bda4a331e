"""Figures in a served page: an image with alternative text, never a bare PNG."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from partnerkit import page as served_display  # noqa: E402


def _figure(title: str = "", label: str = "") -> Figure:
    figure = Figure()
    ax = figure.subplots()
    ax.plot([1, 2, 3])
    if title:
        ax.set_title(title)
    if label:
        figure.set_label(label)
    return figure


@pytest.mark.parametrize(("title", "label", "alt"), [
    ("Pupils in each attendance band", "", "Chart: Pupils in each attendance band"),
    ("ignored", "Ecomap of P-1001", "Ecomap of P-1001"),
    ("", "", served_display.FALLBACK_ALT),
])
def test_the_alternative_text_is_the_label_else_the_titles(title, label, alt):
    assert served_display.figure_alt(_figure(title, label)) == alt


def test_the_image_carries_escaped_alternative_text():
    page = served_display.figure_html(_figure('Q1 "gap" <5'))
    assert page.startswith('<img class="pk-figure" src="data:image/png;base64,')
    assert 'alt="Chart: Q1 &quot;gap&quot; &lt;5"' in page


def test_in_a_kernel_a_figure_displays_as_html_with_alt_and_no_bare_png():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    assert served_display.install(shell)
    data, _ = shell.display_formatter.format(_figure("Attendance by month"))
    assert 'alt="Chart: Attendance by month"' in data["text/html"]
    assert "image/png" not in data


def test_outside_a_kernel_nothing_is_installed(monkeypatch):
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert served_display.install() is False
