"""Tests for partnerkit.mapping_tool.ecomap: layout on rings, labels that never overlap, drawing, words."""

from __future__ import annotations

import itertools
import math
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyArrowPatch

from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool import ecomap
from partnerkit.records.mapping import DIRECTIONS, LAYERS, QUALITIES, Connection

NAMES = ["Mum", "Step-dad", "Gran (maternal)", "Mr Khan", "Breakfast club",
         "Young Carers Network", "Eastfield Youth Project and Family Learning Centre",
         "Calm Minds Counselling", "Peer mentor (S5)", "Campus police officer", "SDS worker",
         "Home school link worker", "Family friend", "Best friend", "WWWWWWWWWWWWWWWWWWWWWWWW"]


def make(n: int, *, layers=None, offset: int = 0) -> list[Connection]:
    return [Connection(pupil="P-1", id=f"c{i:02d}", name=f"{NAMES[(i + offset) % len(NAMES)]} {i}",
                       layer=(layers or LAYERS)[i % len(layers or LAYERS)],
                       quality=QUALITIES[i % 3], direction=DIRECTIONS[(i // 3) % 3])
            for i in range(n)]


def overlapping(boxes):
    return [(a, b) for a, b in itertools.combinations(range(len(boxes)), 2)
            if boxes[a].overlaps(boxes[b])]


# ------------------------------------------------------------------ layout


@pytest.mark.parametrize("count", [0, 1, 5, 12, 40])
def test_every_connection_sits_on_the_ring_of_its_layer(count):
    connections = make(count)
    layout = ecomap.layout_ecomap(connections, pupil_label="P-1001")
    rings = {r.layer: r.radius for r in layout.rings}
    assert [r.layer for r in layout.rings] == list(LAYERS)
    assert sorted(rings.values()) == [rings[layer] for layer in LAYERS]  # inside out
    assert len(layout.connections) == count
    for placed, connection in zip(layout.connections, connections, strict=True):
        assert placed.id == connection.id and placed.layer == connection.layer
        assert placed.ring == LAYERS.index(connection.layer) + 1
        assert math.hypot(placed.x, placed.y) == pytest.approx(rings[connection.layer])


def test_forty_connections_have_no_two_labels_overlapping():
    layout = ecomap.layout_ecomap(make(40), pupil_label="P-1001")
    boxes = layout.label_boxes()
    assert len(boxes) == 1 + len(LAYERS) + 40
    assert overlapping(boxes) == []


def test_forty_connections_on_one_crowded_ring_still_do_not_overlap():
    layout = ecomap.layout_ecomap(make(40, layers=["families"]))
    assert overlapping(layout.label_boxes()) == []
    assert all(p.ring == 1 for p in layout.connections)


def test_no_two_connections_share_a_ray():
    layout = ecomap.layout_ecomap(make(40))
    angles = sorted(p.angle % (2 * math.pi) for p in layout.connections)
    gaps = [b - a for a, b in itertools.pairwise(angles)]
    assert min(gaps) > math.radians(4)


def test_labels_keep_clear_of_every_node():
    layout = ecomap.layout_ecomap(make(40))
    nodes = [ecomap.Box(p.x - ecomap.NODE_RADIUS, p.y - ecomap.NODE_RADIUS,
                        p.x + ecomap.NODE_RADIUS, p.y + ecomap.NODE_RADIUS)
             for p in layout.connections]
    near = [p for p in layout.connections if not p.leader]
    assert near, "most labels should sit beside their node"
    for placed in near:
        assert not any(placed.label_box.overlaps(node) for node in nodes)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LAYERS), st.text(min_size=1, max_size=60)
                          .filter(lambda s: s.strip())),
                min_size=0, max_size=40))
def test_any_map_up_to_forty_has_no_overlapping_labels(items):
    connections = [Connection(pupil="P-1", id=f"h{i}", name=name.strip()[:200], layer=layer)
                   for i, (layer, name) in enumerate(items)]
    layout = ecomap.layout_ecomap(connections)
    assert overlapping(layout.label_boxes()) == []
    bounds = layout.bounds
    for box in layout.label_boxes():
        assert bounds.x0 <= box.x0 and box.x1 <= bounds.x1
        assert bounds.y0 <= box.y0 and box.y1 <= bounds.y1


def test_long_names_are_wrapped_to_two_lines_and_cut():
    label = ecomap.wrap_label("Eastfield Youth Project and Family Learning Centre for All")
    assert label.count("\n") == 1 and label.endswith("…")
    assert ecomap.wrap_label("Mum") == "Mum"


def test_a_connection_on_an_unknown_layer_is_refused():
    bad = Connection.model_construct(pupil="P-1", id="x", name="Odd", layer="moon",
                                     quality="strong", direction="both")
    with pytest.raises(PartnerkitError, match="moon"):
        ecomap.layout_ecomap([bad])


# ------------------------------------------------------------------ drawing


def rendered_label_boxes(figure):
    FigureCanvasAgg(figure)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = next(a for a in figure.axes if a.get_gid() == "ecomap")
    return [t.get_bbox_patch().get_window_extent(renderer) if t.get_bbox_patch()
            else t.get_window_extent(renderer) for t in ax.texts]


@pytest.mark.parametrize("offset", [0, 3, 7])
def test_drawn_labels_do_not_overlap_at_forty(offset):
    figure = ecomap.ecomap_figure(make(40, offset=offset), pupil_label="P-1001")
    boxes = rendered_label_boxes(figure)
    assert len(boxes) == 1 + len(LAYERS) + 40
    assert [(a, b) for a, b in itertools.combinations(range(len(boxes)), 2)
            if boxes[a].overlaps(boxes[b])] == []


def test_the_drawing_holds_one_line_per_connection_in_its_style():
    connections = make(9)
    figure = ecomap.ecomap_figure(connections)
    assert figure.drawn_connections() == 9
    assert repr(figure) == "<Ecomap of Pupil: 9 connections drawn>"
    ax = next(a for a in figure.axes if a.get_gid() == "ecomap")
    lines = {ln.get_gid(): ln for ln in ax.lines if str(ln.get_gid()).startswith("connection-")}
    for c in connections:
        line = lines[f"connection-{c.id}"]
        if c.quality == "strong":
            assert line.get_linestyle() == "-" and line.get_linewidth() >= 3
            assert len(line.get_xdata()) == 2
        elif c.quality == "tenuous":
            assert line.get_linestyle() == "--"
        else:
            assert line.get_linestyle() == "-" and len(line.get_xdata()) > 8  # zigzag


@pytest.mark.parametrize(("direction", "heads"), [("to_pupil", 1), ("from_pupil", 1),
                                                  ("both", 2)])
def test_arrows_show_the_direction_of_support(direction, heads):
    connection = Connection(pupil="P-1", id="a", name="Gran", layer="school_networks",
                            direction=direction)
    figure = ecomap.ecomap_figure([connection])
    ax = next(a for a in figure.axes if a.get_gid() == "ecomap")
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == heads
    tips = [math.hypot(*a._posA_posB[1]) for a in arrows]
    if direction == "to_pupil":
        assert tips[0] == pytest.approx(ecomap.CENTRE_RADIUS)
    if direction == "from_pupil":
        assert tips[0] > ecomap.CENTRE_RADIUS + 0.5


def test_the_drawing_has_a_legend_that_does_not_rely_on_colour():
    figure = ecomap.ecomap_figure(make(3))
    legend = next(a for a in figure.axes if a.get_gid() == "legend")
    words = " ".join(t.get_text() for t in legend.texts)
    for needed in ("solid thick", "dashed", "zigzag", "to the pupil", "from the pupil",
                   "both ways"):
        assert needed in words


def test_names_with_dollar_signs_are_drawn_as_typed():
    connection = Connection(pupil="P-1", id="d", name="$5 fund $x$", layer="multi_agency")
    figure = ecomap.ecomap_figure([connection])
    ax = next(a for a in figure.axes if a.get_gid() == "ecomap")
    assert "$5 fund $x$" in [t.get_text() for t in ax.texts]
    assert ecomap.figure_bytes(figure, "png").startswith(b"\x89PNG")


def test_png_and_svg_are_written_owner_only(tmp_path: Path):
    connections = make(40)
    png = ecomap.save_ecomap(connections, tmp_path / "map.png", pupil_label="P-1001")
    svg = ecomap.save_ecomap(connections, tmp_path / "out" / "map.svg")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and text.count('id="connection-') == 40
    for path in (png, svg):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_format_can_be_forced_and_a_bad_one_is_refused(tmp_path: Path):
    path = ecomap.save_ecomap(make(2), tmp_path / "map.bin", format="svg")
    assert b"<svg" in path.read_bytes()
    with pytest.raises(PartnerkitError, match="'gif'.*use 'png' or 'svg'"):
        ecomap.save_ecomap(make(2), tmp_path / "map.gif")
    assert not (tmp_path / "map.gif").exists()


def test_svg_markup_is_an_svg_element():
    markup = ecomap.svg_markup(ecomap.ecomap_figure(make(3)))
    assert markup.startswith("<svg") and "<?xml" not in markup


# ------------------------------------------------------------------ words


def test_the_description_mentions_every_connection_layer_by_layer():
    connections = make(40)
    text = ecomap.describe_ecomap(connections, pupil_label="P-1001")
    assert text.startswith("Ecomap for P-1001: 40 connections")
    for c in connections:
        assert f"- {c.name}" in text
    titles = ecomap.layer_titles()
    positions = [text.index(titles[layer]) for layer in LAYERS]
    assert positions == sorted(positions)
    assert "zigzag" in text and "dashed" in text and "solid thick" in text
    assert "both ways" in text and "to the pupil" in text and "from the pupil" in text


def test_the_description_says_which_layers_are_empty():
    text = ecomap.describe_ecomap([Connection(pupil="P-1", name="Mum", layer="families",
                                              role="Parent")], pupil_label="P-9")
    assert "P-9: 1 connection," in text
    assert "- Mum (Parent): strong relationship" in text
    assert "Ring 2, School networks: no connections yet." in text
