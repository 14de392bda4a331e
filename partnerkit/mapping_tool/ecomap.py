"""The ecomap: a pupil at the centre, the four outer layers as rings, one line per connection.

:func:`layout_ecomap` is a pure function from connections to positions, measured in
inches: each connection sits on the ring of its layer, and its label is placed near it
so that no two labels (nor a label and a ring title, a node or the pupil) overlap; a
label with no room near its node goes to a column at the side with a thin leader line.
:func:`ecomap_figure` draws a layout with matplotlib at one inch per unit, so the
measured boxes are the drawn boxes. Line style carries the relationship (solid and
thick strong, dashed tenuous, zigzag stressful) and arrowheads the direction of
support; colour only repeats them. :func:`describe_ecomap` says the same in words,
for screen readers and for the report.
"""

from __future__ import annotations

import io
import math
import os
import re
import textwrap
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch
from matplotlib.textpath import TextToPath

from partnerkit.content import Content, load_content
from partnerkit.errors import PartnerkitError
from partnerkit.records.mapping import LAYERS
from partnerkit.reports import write_private

RING_GAP = 1.05
"""Inches between two rings on a small map; a crowded map spreads up to MAX_RING_GAP."""
MAX_RING_GAP = 1.7
CENTRE_RADIUS = 0.42
NODE_RADIUS = 0.07
LABEL_FONT = 8.0
RING_FONT = 7.5
CENTRE_FONT = 8.5
LABEL_PAD = 0.035
"""Inches of white space kept round every label (its drawn background box)."""
CLEARANCE = 0.03
"""Inches kept clear round a label's drawn box, beyond its measured size, when placing it."""
LABEL_CHARS = 18
"""A connection's name wraps at this many characters, on at most two lines."""
LINE_SPACING = 1.2
MARGIN = 0.25

QUALITY_STYLE: dict[str, dict[str, Any]] = {
    "strong": {"linestyle": "-", "linewidth": 3.2, "color": "#1f4e79"},
    "tenuous": {"linestyle": (0, (5, 4)), "linewidth": 1.4, "color": "#4d4d4d"},
    "stressful": {"linestyle": "-", "linewidth": 1.5, "color": "#a4000f"},
}
"""How each relationship is drawn; the stressful line is also a zigzag."""

QUALITY_WORDS = {
    "strong": "strong relationship (drawn as a solid thick line)",
    "tenuous": "tenuous relationship (drawn as a dashed line)",
    "stressful": "stressful relationship (drawn as a zigzag line)",
}
QUALITY_LEGEND = {
    "strong": "Strong relationship (solid thick line)",
    "tenuous": "Tenuous relationship (dashed line)",
    "stressful": "Stressful relationship (zigzag line)",
}
DIRECTION_WORDS = {
    "to_pupil": "support flows to the pupil (arrow towards the pupil)",
    "from_pupil": "support flows from the pupil (arrow away from the pupil)",
    "both": "support flows both ways (arrows at both ends)",
}


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in inches: left, bottom, right, top."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Width in inches."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Height in inches."""
        return self.y1 - self.y0

    @property
    def centre(self) -> tuple[float, float]:
        """The middle point."""
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share any area (touching edges do not count)."""
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def nearest_point(self, x: float, y: float) -> tuple[float, float]:
        """The point of the box closest to (x, y)."""
        return (min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1))


@dataclass(frozen=True)
class PlacedConnection:
    """One connection on the drawing: its node on a ring and its label box."""

    id: str
    name: str
    label: str
    layer: str
    quality: str
    direction: str
    ring: int
    radius: float
    angle: float
    x: float
    y: float
    label_box: Box
    leader: bool
    """True when the label sits away from its node and a thin leader line joins them."""


@dataclass(frozen=True)
class PlacedRing:
    """One layer's ring: its radius and its title box at the bottom of the ring."""

    layer: str
    title: str
    label: str
    radius: float
    label_box: Box


@dataclass(frozen=True)
class EcomapLayout:
    """Everything the drawing needs, in inches, centred on the pupil at (0, 0)."""

    pupil_label: str
    centre_box: Box
    rings: tuple[PlacedRing, ...]
    connections: tuple[PlacedConnection, ...]
    bounds: Box

    def label_boxes(self) -> list[Box]:
        """Every text box of the drawing: the pupil, the ring titles, the connections."""
        return [self.centre_box, *(r.label_box for r in self.rings),
                *(c.label_box for c in self.connections)]


Measure = Callable[[str, float], tuple[float, float]]


@lru_cache(maxsize=4096)
def measure_text(text: str, size: float) -> tuple[float, float]:
    """Width and height in inches of ``text`` (one or more lines) at ``size`` points.

    Uses matplotlib's own font metrics, so the drawn text has the measured size.
    """
    lines = text.split("\n") or [""]
    to_path = TextToPath()
    prop = FontProperties(size=size)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        width = max(to_path.get_text_width_height_descent(line or " ", prop, ismath=False)[0]
                    for line in lines)
    height = size * (LINE_SPACING * (len(lines) - 1) + 1.05)
    return width / 72.0, height / 72.0


def wrap_label(text: str, width: int = LABEL_CHARS, lines: int = 2) -> str:
    """Wrap a name for a label: at most ``lines`` lines, the rest cut with an ellipsis."""
    printable = "".join(ch if ch.isprintable() else " " for ch in str(text))
    flat = " ".join(printable.split()) or "?"
    wrapped = textwrap.wrap(flat, width=width, break_long_words=True) or ["?"]
    if len(wrapped) > lines:
        kept = wrapped[:lines]
        kept[-1] = kept[-1][: max(1, width - 1)].rstrip() + "…"
        wrapped = kept
    return "\n".join(wrapped)


def layer_titles(content: Content | None = None) -> dict[str, str]:
    """Each outer layer's title from the framework content, in the tool's order."""
    content = content or load_content()
    return {layer: content.item(f"mapping_tool.layer.{layer}").title or layer
            for layer in LAYERS}


def _label_box(anchor: tuple[float, float], angle: float, size: tuple[float, float],
               offset: float = 0.0) -> Box:
    """A label box leaning away from the centre from ``anchor``, shifted along the tangent."""
    w, h = size[0] + 2 * (LABEL_PAD + CLEARANCE), size[1] + 2 * (LABEL_PAD + CLEARANCE)
    cos, sin = math.cos(angle), math.sin(angle)
    cx = anchor[0] + (w / 2) * max(-1.0, min(1.0, 1.6 * cos)) - offset * sin
    cy = anchor[1] + (h / 2) * max(-1.0, min(1.0, 1.6 * sin)) + offset * cos
    return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _centred_box(x: float, y: float, size: tuple[float, float]) -> Box:
    w, h = size[0] + 2 * (LABEL_PAD + CLEARANCE), size[1] + 2 * (LABEL_PAD + CLEARANCE)
    return Box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _free(box: Box, obstacles: Iterable[Box]) -> bool:
    return not any(box.overlaps(other) for other in obstacles)


def _slot_angles(connections: Sequence[Any], sector: float) -> dict[int, float]:
    """Spread the connections round the rings, each layer evenly, no two on one ray.

    ``sector`` (radians) is the half-width of the gap kept free at the bottom for the
    ring titles. Returns the angle of each connection by its index.
    """
    by_layer: dict[str, list[int]] = {layer: [] for layer in LAYERS}
    for index, connection in enumerate(connections):
        by_layer[connection.layer].append(index)
    targets = []
    for ring, layer in enumerate(LAYERS):
        members = by_layer[layer]
        for order, index in enumerate(members):
            targets.append(((order + 0.5) / len(members) + ring * 0.011, ring, index))
    targets.sort()
    span = 2 * math.pi - 2 * sector
    start = -math.pi / 2 - sector
    count = max(1, len(targets))
    return {index: start - (slot + 0.5) * span / count
            for slot, (_t, _ring, index) in enumerate(targets)}


def layout_ecomap(connections: Sequence[Any], *, pupil_label: str = "Pupil",
                  titles: dict[str, str] | None = None,
                  measure: Measure = measure_text) -> EcomapLayout:
    """Place every connection on its layer's ring and every label where it overlaps nothing.

    Args:
        connections: records with ``id``, ``name``, ``layer``, ``quality`` and
            ``direction`` (usually :class:`~partnerkit.records.mapping.Connection`).
        pupil_label: the text at the centre (a pseudonymous reference by default).
        titles: each layer's ring title (default: from the framework content).
        measure: returns a text's (width, height) in inches for a font size.

    Returns:
        An :class:`EcomapLayout` in inches centred on the pupil.
    """
    titles = titles or layer_titles()
    for connection in connections:
        if connection.layer not in LAYERS:
            raise PartnerkitError("is not a layer of the map", value=connection.layer,
                                  where=f"connection {connection.name!r}",
                                  fix=f"use one of {', '.join(LAYERS)}")
    centre_text = wrap_label(pupil_label, width=12)
    centre_box = _centred_box(0.0, 0.0, measure(centre_text, CENTRE_FONT))
    gap = ring_gap(len(connections))
    rings, ring_boxes, sector = _place_rings(titles, measure, gap)
    angles = _slot_angles(connections, sector)
    nodes = []
    for index, connection in enumerate(connections):
        ring = LAYERS.index(connection.layer) + 1
        radius = ring * gap
        angle = angles[index]
        nodes.append((index, connection, ring, radius, angle,
                      radius * math.cos(angle), radius * math.sin(angle)))
    node_boxes = [Box(x - NODE_RADIUS, y - NODE_RADIUS, x + NODE_RADIUS, y + NODE_RADIUS)
                  for *_rest, x, y in nodes]
    obstacles = [centre_box, *ring_boxes, *node_boxes]
    outer = len(LAYERS) * gap
    placed: dict[int, tuple[str, Box, bool]] = {}
    waiting = []
    for index, connection, _ring, radius, angle, _x, _y in sorted(
            nodes, key=lambda n: (n[2], n[0])):
        text = wrap_label(connection.name)
        size = measure(text, LABEL_FONT)
        spot = _near_spot(radius, angle, size, obstacles, outer)
        if spot is None:
            waiting.append((index, text, size))
            continue
        box, leader = spot
        placed[index] = (text, box, leader)
        obstacles.append(box)
    placed.update(_side_columns(waiting, nodes, obstacles, outer))
    placements = tuple(
        PlacedConnection(id=str(c.id), name=c.name, label=placed[i][0], layer=c.layer,
                         quality=c.quality, direction=c.direction, ring=ring, radius=radius,
                         angle=angle, x=x, y=y, label_box=placed[i][1], leader=placed[i][2])
        for i, c, ring, radius, angle, x, y in nodes)
    bounds = Box(-outer - NODE_RADIUS, -outer - NODE_RADIUS, outer + NODE_RADIUS,
                 outer + NODE_RADIUS)
    for box in [centre_box, *ring_boxes, *(p.label_box for p in placements)]:
        bounds = bounds.union(box)
    bounds = Box(bounds.x0 - MARGIN, bounds.y0 - MARGIN, bounds.x1 + MARGIN,
                 bounds.y1 + MARGIN)
    return EcomapLayout(pupil_label=centre_text, centre_box=centre_box, rings=rings,
                        connections=placements, bounds=bounds)


def ring_gap(count: int) -> float:
    """Inches between rings for a map of ``count`` connections: wider when crowded."""
    return max(RING_GAP, min(MAX_RING_GAP, 0.85 + 0.02 * count))


def _place_rings(titles: dict[str, str], measure: Measure,
                 gap: float) -> tuple[tuple[PlacedRing, ...], list[Box], float]:
    """Ring titles sit at the bottom of their rings; returns them and the gap they need."""
    rings, boxes, sector = [], [], 0.0
    for ring, layer in enumerate(LAYERS, start=1):
        radius = ring * gap
        label = wrap_label(titles.get(layer, layer), width=16)
        box = _centred_box(0.0, -radius, measure(label, RING_FONT))
        rings.append(PlacedRing(layer=layer, title=titles.get(layer, layer), label=label,
                                radius=radius, label_box=box))
        boxes.append(box)
        half = math.atan2(box.width / 2 + NODE_RADIUS + 0.05,
                          max(radius - box.height / 2, 0.2))
        sector = max(sector, half)
    return tuple(rings), boxes, sector


def _near_spot(radius: float, angle: float, size: tuple[float, float],
               obstacles: list[Box], outer: float) -> tuple[Box, bool] | None:
    """The first free spot for a label along its ray outwards, or None."""
    step = 0.0
    first = True
    while radius + NODE_RADIUS + 0.04 + step <= outer + 1.4:
        distance = radius + NODE_RADIUS + 0.04 + step
        anchor = (distance * math.cos(angle), distance * math.sin(angle))
        for offset in ((0.0,) if first else (0.0, 0.09, -0.09, 0.18, -0.18)):
            box = _label_box(anchor, angle, size, offset)
            if _free(box, obstacles):
                return box, not (first and offset == 0.0)
        first = False
        step += 0.12
    return None


def _side_columns(waiting: list[tuple[int, str, tuple[float, float]]],
                  nodes: list[tuple[Any, ...]], obstacles: list[Box],
                  outer: float) -> dict[int, tuple[str, Box, bool]]:
    """Stack labels with no room near their nodes in columns beyond everything else."""
    if not waiting:
        return {}
    right_edge = max([outer + NODE_RADIUS, *(b.x1 for b in obstacles)]) + 0.3
    left_edge = min([-outer - NODE_RADIUS, *(b.x0 for b in obstacles)]) - 0.3
    node_y = {n[0]: n[6] for n in nodes}
    node_x = {n[0]: n[5] for n in nodes}
    placed: dict[int, tuple[str, Box, bool]] = {}
    for side in ("right", "left"):
        column = [w for w in waiting if (node_x[w[0]] >= 0) == (side == "right")]
        column.sort(key=lambda w: -node_y[w[0]])
        heights = [w[2][1] + 2 * (LABEL_PAD + CLEARANCE) for w in column]
        top = sum(heights) / 2
        for (index, text, size), height in zip(column, heights, strict=True):
            w = size[0] + 2 * (LABEL_PAD + CLEARANCE)
            x0 = right_edge if side == "right" else left_edge - w
            box = Box(x0, top - height, x0 + w, top)
            placed[index] = (text, box, True)
            top -= height
    return placed


# ---------------------------------------------------------------------- drawing


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
    style = QUALITY_STYLE[quality]
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
    legend_height = 1.5
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
    ax.text(0, 0, layout.pupil_label, ha="center", va="center", fontsize=CENTRE_FONT,
            color="white", fontweight="normal", zorder=6, parse_math=False,
            linespacing=LINE_SPACING, gid="label-pupil")
    if title:
        figure.text(0.5, 1 - (title_height / 2) / height, title, ha="center", va="center",
                    fontsize=11, parse_math=False)
    _draw_legend(figure, width, height, legend_height)
    return figure


def _label_text(ax: Any, box: Box, text: str, size: float, gid: str,
                edge: str = "none") -> None:
    x, y = box.centre
    ax.text(x, y, text, ha="center", va="center", fontsize=size, zorder=7,
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
        ax.add_patch(Circle((placed.x, placed.y), NODE_RADIUS, facecolor="white",
                            edgecolor=QUALITY_STYLE[placed.quality]["color"], linewidth=1.4,
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
    layout = layout_ecomap(connections, pupil_label=pupil_label,
                           titles=layer_titles(content))
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


def describe_ecomap(connections: Sequence[Any], *, pupil_label: str = "the pupil",
                    content: Content | None = None) -> str:
    """The drawing in words, layer by layer, for screen readers and for the report."""
    titles = layer_titles(content)
    count = len(connections)
    noun = "connection" if count == 1 else "connections"
    lines = [f"Ecomap for {pupil_label}: {count} {noun}, drawn on {len(LAYERS)} rings "
             f"around {pupil_label} at the centre, from the innermost ring outwards."]
    for ring, layer in enumerate(LAYERS, start=1):
        members = [c for c in connections if c.layer == layer]
        if not members:
            lines.append(f"Ring {ring}, {titles[layer]}: no connections yet.")
            continue
        word = "connection" if len(members) == 1 else "connections"
        lines.append(f"Ring {ring}, {titles[layer]}: {len(members)} {word}.")
        for connection in members:
            role = f" ({connection.role})" if getattr(connection, "role", "") else ""
            lines.append(f"- {connection.name}{role}: {QUALITY_WORDS[connection.quality]}; "
                         f"{DIRECTION_WORDS[connection.direction]}.")
    return "\n".join(lines)


__all__ = [
    "Box", "EcomapFigure", "EcomapLayout", "PlacedConnection", "PlacedRing", "describe_ecomap",
    "draw_ecomap", "ecomap_figure", "figure_bytes", "layer_titles", "layout_ecomap",
    "measure_text", "save_ecomap", "svg_markup", "wrap_label",
]
