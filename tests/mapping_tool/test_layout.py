"""Tests for partnerkit.mapping_tool.layout: connections on rings, labels that never overlap."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool import layout
from partnerkit.records.mapping import LAYERS, Connection
from tests.mapping_tool.maps import make, overlapping


@pytest.mark.parametrize("count", [0, 1, 5, 12, 40])
def test_every_connection_sits_on_the_ring_of_its_layer(count):
    connections = make(count)
    result = layout.layout_ecomap(connections, pupil_label="P-1001")
    rings = {r.layer: r.radius for r in result.rings}
    assert [r.layer for r in result.rings] == list(LAYERS)
    assert sorted(rings.values()) == [rings[layer] for layer in LAYERS]  # inside out
    assert len(result.connections) == count
    for placed, connection in zip(result.connections, connections, strict=True):
        assert placed.id == connection.id and placed.layer == connection.layer
        assert placed.ring == LAYERS.index(connection.layer) + 1
        assert math.hypot(placed.x, placed.y) == pytest.approx(rings[connection.layer])


def test_forty_connections_have_no_two_labels_overlapping():
    result = layout.layout_ecomap(make(40), pupil_label="P-1001")
    boxes = result.label_boxes()
    assert len(boxes) == 1 + len(LAYERS) + 40
    assert overlapping(boxes) == []


def test_forty_connections_on_one_crowded_ring_still_do_not_overlap():
    result = layout.layout_ecomap(make(40, layers=["families"]))
    assert overlapping(result.label_boxes()) == []
    assert all(p.ring == 1 for p in result.connections)


def test_no_two_connections_share_a_ray():
    result = layout.layout_ecomap(make(40))
    angles = sorted(p.angle % (2 * math.pi) for p in result.connections)
    gaps = [b - a for a, b in itertools.pairwise(angles)]
    assert min(gaps) > math.radians(4)


def test_labels_keep_clear_of_every_node():
    result = layout.layout_ecomap(make(40))
    nodes = [layout.Box(p.x - layout.NODE_RADIUS, p.y - layout.NODE_RADIUS,
                        p.x + layout.NODE_RADIUS, p.y + layout.NODE_RADIUS)
             for p in result.connections]
    near = [p for p in result.connections if not p.leader]
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
    result = layout.layout_ecomap(connections)
    assert overlapping(result.label_boxes()) == []
    bounds = result.bounds
    for box in result.label_boxes():
        assert bounds.x0 <= box.x0 and box.x1 <= bounds.x1
        assert bounds.y0 <= box.y0 and box.y1 <= bounds.y1


def test_long_names_are_wrapped_to_two_lines_and_cut():
    label = layout.wrap_label("Eastfield Youth Project and Family Learning Centre for All")
    assert label.count("\n") == 1 and label.endswith("…")
    assert layout.wrap_label("Mum") == "Mum"


def test_a_connection_on_an_unknown_layer_is_refused():
    bad = Connection.model_construct(pupil="P-1", id="x", name="Odd", layer="moon",
                                     quality="strong", direction="both")
    with pytest.raises(PartnerkitError, match="moon"):
        layout.layout_ecomap([bad])
