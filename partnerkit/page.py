"""How a served page shows a chart: an image with alternative text, never a bare image.

Jupyter shows a matplotlib figure as a PNG with no ``alt`` text, so a screen reader
announces only "image". In a served kernel, :func:`install` makes figures display as
an ``<img>`` whose ``alt`` is the figure's label or its titles. Batch renders and
JupyterLab keep the ordinary PNG output.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

FALLBACK_ALT = "Chart. The text or table beside it gives the same information."


def figure_alt(figure: Any) -> str:
    """The alternative text for a figure: its label, else its titles, else a fallback."""
    label = (figure.get_label() or "").strip()
    if label:
        return label
    titles = []
    if getattr(figure, "_suptitle", None) is not None:
        titles.append(figure._suptitle.get_text())
    titles.extend(ax.get_title() for ax in figure.get_axes())
    text = "; ".join(t.strip() for t in titles if t and t.strip())
    return f"Chart: {text}" if text else FALLBACK_ALT


def figure_html(figure: Any) -> str:
    """A figure as an ``<img>`` with alternative text (PNG, as Jupyter would draw it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<img class="pk-figure" src="data:image/png;base64,{data}" '
            f'alt="{html.escape(figure_alt(figure), quote=True)}" style="max-width:100%">')


def install(shell: Any = None) -> bool:
    """Show figures as images with alternative text in this kernel; False outside one."""
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return False
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # Jupyter's own figure display is set up when pyplot's backend first loads, which
    # happens at the first figure; load it now so the formats below are the last word.
    plt.close(plt.figure())

    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(Figure, figure_html)
    for mime in ("image/png", "image/svg+xml", "image/jpeg", "application/pdf"):
        if mime in formatters:
            formatters[mime].for_type(Figure, lambda _figure: None)
    return True
