"""The ecomap drawn with matplotlib: rings, one line per connection, labels and a key.

:func:`draw_ecomap` draws a :class:`~partnerkit.mapping_tool.layout.EcomapLayout` at one
inch per unit, so the measured boxes are the drawn boxes. Line style carries the
relationship (solid and thick strong, dashed tenuous, zigzag stressful) and arrowheads
the direction of support; colour only repeats them. :func:`pupil_ecomap` draws a stored
pupil's map; :func:`figure_bytes` and :func:`save_ecomap` turn a drawing into PNG or SVG.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch

from partnerkit.content import Content
from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool.data import pupil_connections, real_name, require_pupil
from partnerkit.mapping_tool.layout import (
    CENTRE_FONT,
    CENTRE_RADIUS,
    LABEL_FONT,
    LABEL_PAD,
    LINE_SPACING,
    NODE_RADIUS,
    RING_FONT,
    Box,
    EcomapLayout,
    layout_ecomap,
)
from partnerkit.mapping_tool.rules import centre_label, layer_titles
from partnerkit.reports import write_private
from partnerkit.reports.fonts import chart_text, use_chart_fonts
from partnerkit.store import Store

QUALITY_STYLE: dict[str, dict[str, Any]] = {
    "strong": {"linestyle": "-", "linewidth": 3.2, "color": "#1f4e79"},
    "tenuous": {"linestyle": (0, (5, 4)), "linewidth": 1.4, "color": "#4d4d4d"},
    "stressful": {"linestyle": "-", "linewidth": 1.5, "color": "#a4000f"},
    "not_said": {"linestyle": (0, (1, 3)), "linewidth": 1.4, "color": "#6b6b6b"},
}
"""How each relationship is drawn; the stressful line is also a zigzag; a relationship not
said yet (a connection's ``quality`` is None) is dotted."""
NOT_SAID = "not_said"
QUALITY_LEGEND = {
    "strong": "Strong relationship (solid thick line)",
    "tenuous": "Tenuous relationship (dashed line)",
    "stressful": "Stressful relationship (zigzag line)",
    "not_said": "Relationship not said yet (dotted line)",
}
"""The key's words for each relationship."""


class EcomapFigure(Figure):
    """A matplotlib Figure of an ecomap that shows itself in a notebook as a PNG.

    ``layout`` is what was drawn; :meth:`drawn_connections` counts the connection lines
    actually on the drawing; its text form says how many there are.
    """

    layout: EcomapLayout | None = None

    def drawn_connections(self) -> int:
        """How many connection lines the drawing holds."""
        return sum(1 for ax in self.axes if ax.get_gid() == "ecomap" for line in ax.lines
                   if str(line.get_gid() or "").startswith("connection-"))

    def _repr_png_(self) -> bytes:
        return figure_bytes(self, "png")

    def __repr__(self) -> str:
        label = " ".join(self.layout.pupil_label.split()) if self.layout else "a pupil"
        count = self.drawn_connections()
        return (f"<Ecomap of {label}: {count} connection{'s' if count != 1 else ''} drawn>")


def _zigzag(start: tuple[float, float], end: tuple[float, float],
            tooth: float = 0.11, amplitude: float = 0.05) -> tuple[list[float], list[float]]:
    """A jagged line from start to end, straight for a short stretch at each end."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    if length <= 0:
        return [x0, x1], [y0, y1]
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    px, py = -uy, ux
    straight = min(0.15, length / 5)
    teeth = max(6, int((length - 2 * straight) / tooth))
    xs, ys = [x0], [y0]
    for i in range(teeth + 1):
        t = straight + (length - 2 * straight) * i / teeth
        side = 0.0 if i in (0, teeth) else (amplitude if i % 2 else -amplitude)
        xs.append(x0 + ux * t + px * side)
        ys.append(y0 + uy * t + py * side)
    xs.append(x1)
    ys.append(y1)
    return xs, ys


def _draw_line(ax: Any, start: tuple[float, float], end: tuple[float, float],
               quality: str, direction: str | None, gid: str | None = None) -> None:
    """Draw one connection line with its style and arrowheads (none for ``None``)."""
    style = QUALITY_STYLE[quality or NOT_SAID]
    if quality == "stressful":
        xs, ys = _zigzag(start, end)
    else:
        xs, ys = [start[0], end[0]], [start[1], end[1]]
    line = Line2D(xs, ys, solid_capstyle="butt", zorder=2, **style)
    if gid:
        line.set_gid(gid)
    ax.add_line(line)
    heads = {"to_pupil": [(end, start)], "from_pupil": [(start, end)],
             "both": [(end, start), (start, end)], None: []}[direction]
    for tail, head in heads:
        length = math.hypot(head[0] - tail[0], head[1] - tail[1]) or 1.0
        back = min(0.16, length / 3)
        origin = (head[0] - (head[0] - tail[0]) / length * back,
                  head[1] - (head[1] - tail[1]) / length * back)
        scale = 9 + 2.5 * style["linewidth"]
        ax.add_patch(FancyArrowPatch(origin, head, arrowstyle="-|>", mutation_scale=scale,
                                     linewidth=0, color=style["color"], zorder=3,
                                     shrinkA=0, shrinkB=0))


def _safe_gid(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", str(text))


def draw_ecomap(layout: EcomapLayout, *, title: str | None = None,
                dpi: int = 100) -> EcomapFigure:
    """Draw a layout at one inch per unit: rings, lines, nodes, labels and a legend."""
    use_chart_fonts(repr(layout), title or "")
    legend_height = 1.8
    title_height = 0.45 if title else 0.0
    width = max(layout.bounds.width, 6.5)
    height = layout.bounds.height + legend_height + title_height
    figure = EcomapFigure(figsize=(width, height), dpi=dpi)
    figure.layout = layout
    ax = figure.add_axes((0, legend_height / height, 1, layout.bounds.height / height))
    cx = (layout.bounds.x0 + layout.bounds.x1) / 2
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(layout.bounds.y0, layout.bounds.y1)
    ax.set_axis_off()
    ax.set_gid("ecomap")
    _draw_rings(ax, layout)
    _draw_connections(ax, layout)
    ax.add_patch(Circle((0, 0), CENTRE_RADIUS, facecolor="#1f4e79", edgecolor="#0b2740",
                        linewidth=1.5, zorder=5))
    ax.text(0, 0, chart_text(layout.pupil_label), ha="center", va="center", fontsize=CENTRE_FONT,
            color="white", fontweight="normal", zorder=6, parse_math=False,
            linespacing=LINE_SPACING, gid="label-pupil")
    if title:
        figure.text(0.5, 1 - (title_height / 2) / height, chart_text(title), ha="center",
                    va="center", fontsize=11, parse_math=False)
    _draw_legend(figure, width, height, legend_height)
    return figure


def _label_text(ax: Any, box: Box, text: str, size: float, gid: str,
                edge: str = "none") -> None:
    x, y = box.centre
    ax.text(x, y, chart_text(text), ha="center", va="center", fontsize=size, zorder=7,
            parse_math=False, linespacing=LINE_SPACING, gid=gid,
            bbox={"boxstyle": f"square,pad={LABEL_PAD * 72 / size:.3f}",
                  "facecolor": "white", "edgecolor": edge, "linewidth": 0.6, "alpha": 0.92})


def _draw_rings(ax: Any, layout: EcomapLayout) -> None:
    for ring in layout.rings:
        ax.add_patch(Circle((0, 0), ring.radius, fill=False, edgecolor="#7a7a7a",
                            linewidth=1.1, zorder=1))
        _label_text(ax, ring.label_box, ring.label, RING_FONT, f"ring-{ring.layer}",
                    edge="#8a8a8a")


def _draw_connections(ax: Any, layout: EcomapLayout) -> None:
    for placed in layout.connections:
        cos, sin = math.cos(placed.angle), math.sin(placed.angle)
        start = (CENTRE_RADIUS * cos, CENTRE_RADIUS * sin)
        end = ((placed.radius - NODE_RADIUS) * cos, (placed.radius - NODE_RADIUS) * sin)
        gid = f"connection-{_safe_gid(placed.id)}"
        _draw_line(ax, start, end, placed.quality, placed.direction, gid=gid)
        edge = QUALITY_STYLE[placed.quality or NOT_SAID]["color"]
        ax.add_patch(Circle((placed.x, placed.y), NODE_RADIUS, facecolor="white",
                            edgecolor=edge, linewidth=1.4,
                            zorder=4))
        if placed.leader:
            tx, ty = placed.label_box.nearest_point(placed.x, placed.y)
            ax.add_line(Line2D([placed.x, tx], [placed.y, ty], color="#9a9a9a",
                               linewidth=0.6, zorder=1.5))
        _label_text(ax, placed.label_box, placed.label, LABEL_FONT,
                    f"label-{_safe_gid(placed.id)}")


def _draw_legend(figure: Figure, width: float, height: float, legend_height: float) -> None:
    """A key drawn with the same line functions as the map, under it."""
    ax = figure.add_axes((0, 0, 1, legend_height / height))
    ax.set_xlim(0, width)
    ax.set_ylim(0, legend_height)
    ax.set_axis_off()
    ax.set_gid("legend")
    ax.text(0.2, legend_height - 0.2, "Key", fontsize=9, fontweight="bold", va="center")
    column = max(2.1, (width - 0.4) / 3)
    for row, quality in enumerate(QUALITY_STYLE):
        y = legend_height - 0.45 - row * 0.3
        _draw_line(ax, (0.2, y), (0.85, y), quality, None)
        ax.text(0.95, y, QUALITY_LEGEND[quality], fontsize=8, va="center")
    for row, direction in enumerate(("to_pupil", "from_pupil", "both")):
        y = legend_height - 0.45 - row * 0.3
        x = 0.2 + column
        _draw_line(ax, (x, y), (x + 0.65, y), "tenuous", direction)
        ax.text(x + 0.75, y, {"to_pupil": "Support to the pupil (arrow at the pupil's end)",
                              "from_pupil": "Support from the pupil (arrow at the other end)",
                              "both": "Support both ways"}[direction], fontsize=8,
                va="center")
    ax.text(0.2, 0.08, "Left end of each sample line = the pupil. Rings, inside out: the "
            "four outer layers of the map.", fontsize=7, va="bottom", color="#333333")


# ------------------------------------------------------------- public calls


def ecomap_figure(connections: Sequence[Any], *, pupil_label: str = "Pupil",
                  title: str | None = None, content: Content | None = None) -> EcomapFigure:
    """Lay out and draw an ecomap; the matplotlib Figure is the cell's output.

    Args:
        connections: the pupil's connections (see :func:`layout_ecomap`).
        pupil_label: the text at the centre: the pseudonymous reference by default.
        title: an optional heading above the drawing.
        content: framework content for the ring titles (default: the packaged content).
    """
    titles = layer_titles(content)
    use_chart_fonts(pupil_label, title or "", repr(list(connections)), repr(titles))
    layout = layout_ecomap(connections, pupil_label=pupil_label, titles=titles)
    return draw_ecomap(layout, title=title)


FORMATS = ("png", "svg")


def figure_bytes(figure: Figure, format: str = "png") -> bytes:
    """The drawing as PNG or SVG bytes (text drawn as shapes, so it looks the same anywhere)."""
    if format not in FORMATS:
        raise PartnerkitError("is not a drawing format partnerkit writes", value=format,
                              where="ecomap format", fix="use 'png' or 'svg'")
    buffer = io.BytesIO()
    options: dict[str, Any] = {"format": format, "facecolor": "white"}
    if format == "svg":
        options["metadata"] = {"Date": None}
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "partnerkit-ecomap"}), \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, **options)
    return buffer.getvalue()


def svg_markup(figure: Figure) -> str:
    """The drawing as an ``<svg>`` element to embed in an HTML page."""
    text = figure_bytes(figure, "svg").decode("utf-8")
    return text[text.index("<svg"):]


def save_ecomap(connections: Sequence[Any] | Figure, path: str | os.PathLike[str], *,
                format: str | None = None, pupil_label: str = "Pupil",
                title: str | None = None) -> Path:
    """Write the ecomap to a PNG or SVG file readable by its owner only.

    Args:
        connections: the pupil's connections, or a figure already drawn.
        path: where to write; the format defaults to the file's extension.
        format: "png" or "svg".
        pupil_label: the text at the centre, as for :func:`ecomap_figure`.
        title: an optional heading, as for :func:`ecomap_figure`.
    """
    chosen = (format or Path(path).suffix.lstrip(".") or "png").lower()
    figure = (connections if isinstance(connections, Figure)
              else ecomap_figure(connections, pupil_label=pupil_label, title=title))
    return write_private(path, figure_bytes(figure, chosen))


def pupil_ecomap(store: Store, workspace: str, pupil: str, *, names: bool = False,
                 content: Content | None = None) -> EcomapFigure:
    """The ecomap of a stored pupil (pseudonymous unless ``names``)."""
    require_pupil(store, workspace, pupil)
    label = centre_label(pupil, real_name(store, workspace, pupil) if names else None)
    return ecomap_figure(pupil_connections(store, workspace, pupil), pupil_label=label,
                         content=content)


def save_pupil_ecomap(store: Store, workspace: str, pupil: str,
                      path: str | os.PathLike[str], *, format: str | None = None,
                      names: bool = False) -> Path:
    """Write a stored pupil's ecomap to a PNG or SVG file (owner-only)."""
    return save_ecomap(pupil_ecomap(store, workspace, pupil, names=names), path,
                       format=format)


__all__ = [
    "FORMATS", "QUALITY_STYLE", "EcomapFigure", "draw_ecomap", "ecomap_figure",
    "figure_bytes", "pupil_ecomap", "save_ecomap", "save_pupil_ecomap", "svg_markup",
]
