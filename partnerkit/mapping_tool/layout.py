"""The ecomap's layout (pure maths, no drawing): connections on rings, labels that never overlap.

:func:`layout_ecomap` is a pure function from connections to positions, measured in
inches: each connection sits on the ring of its layer, and its label is placed near it
so that no two labels (nor a label and a ring title, a node or the pupil) overlap; a
label with no room near its node goes to a column at the side with a thin leader line.
Text is measured with matplotlib's own font metrics (:func:`measure_text`), so the
boxes measured here are the boxes :mod:`partnerkit.mapping_tool.ecomap` draws.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool.rules import layer_titles
from partnerkit.records.mapping import LAYERS

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
    quality: str | None
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
    _check_layers(connections)
    centre_text = wrap_label(pupil_label, width=12)
    centre_box = _centred_box(0.0, 0.0, measure(centre_text, CENTRE_FONT))
    gap = ring_gap(len(connections))
    rings, ring_boxes, sector = _place_rings(titles, measure, gap)
    nodes = _place_nodes(connections, _slot_angles(connections, sector), gap)
    node_boxes = [Box(x - NODE_RADIUS, y - NODE_RADIUS, x + NODE_RADIUS, y + NODE_RADIUS)
                  for *_rest, x, y in nodes]
    outer = len(LAYERS) * gap
    placed = _place_labels(nodes, [centre_box, *ring_boxes, *node_boxes], outer, measure)
    placements = tuple(
        PlacedConnection(id=str(c.id), name=c.name, label=placed[i][0], layer=c.layer,
                         quality=c.quality, direction=c.direction, ring=ring, radius=radius,
                         angle=angle, x=x, y=y, label_box=placed[i][1], leader=placed[i][2])
        for i, c, ring, radius, angle, x, y in nodes)
    bounds = _bounds(outer, [centre_box, *ring_boxes, *(p.label_box for p in placements)])
    return EcomapLayout(pupil_label=centre_text, centre_box=centre_box, rings=rings,
                        connections=placements, bounds=bounds)


def _check_layers(connections: Sequence[Any]) -> None:
    """Refuse a connection whose layer is not one of the map's four."""
    for connection in connections:
        if connection.layer not in LAYERS:
            raise PartnerkitError("is not a layer of the map", value=connection.layer,
                                  where=f"connection {connection.name!r}",
                                  fix=f"use one of {', '.join(LAYERS)}")


def _place_nodes(connections: Sequence[Any], angles: dict[int, float],
                 gap: float) -> list[tuple[Any, ...]]:
    """Each connection's node on its ring: (index, connection, ring, radius, angle, x, y)."""
    nodes = []
    for index, connection in enumerate(connections):
        ring = LAYERS.index(connection.layer) + 1
        radius = ring * gap
        angle = angles[index]
        nodes.append((index, connection, ring, radius, angle,
                      radius * math.cos(angle), radius * math.sin(angle)))
    return nodes


def _place_labels(nodes: list[tuple[Any, ...]], obstacles: list[Box], outer: float,
                  measure: Measure) -> dict[int, tuple[str, Box, bool]]:
    """Each label near its node, inner rings first; those with no room go to the sides."""
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
    return placed


def _bounds(outer: float, boxes: Iterable[Box]) -> Box:
    """The box holding the outer ring and every text box, with a margin."""
    bounds = Box(-outer - NODE_RADIUS, -outer - NODE_RADIUS, outer + NODE_RADIUS,
                 outer + NODE_RADIUS)
    for box in boxes:
        bounds = bounds.union(box)
    return Box(bounds.x0 - MARGIN, bounds.y0 - MARGIN, bounds.x1 + MARGIN,
               bounds.y1 + MARGIN)


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


__all__ = [
    "CENTRE_FONT", "CENTRE_RADIUS", "LABEL_FONT", "LABEL_PAD", "LINE_SPACING", "NODE_RADIUS",
    "RING_FONT", "Box", "EcomapLayout", "Measure", "PlacedConnection", "PlacedRing",
    "layout_ecomap", "measure_text", "ring_gap", "wrap_label",
]
