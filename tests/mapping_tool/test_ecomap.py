"""Tests for partnerkit.mapping_tool.ecomap: the drawing, its styles, key and files."""

from __future__ import annotations

import itertools
import math
import stat
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyArrowPatch

from partnerkit.errors import PartnerkitError
from partnerkit.mapping_tool import ecomap, layout
from partnerkit.records.base import save_record
from partnerkit.records.mapping import LAYERS, Connection
from partnerkit.store import Store
from tests.mapping_tool.maps import make


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
        assert tips[0] == pytest.approx(layout.CENTRE_RADIUS)
    if direction == "from_pupil":
        assert tips[0] > layout.CENTRE_RADIUS + 0.5


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


def test_the_pupil_ecomap_files_are_written(pupil_store: Store, tmp_path: Path):
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Mum", layer="families"),
                "Ann")
    png = ecomap.save_pupil_ecomap(pupil_store, "school", "P-1", tmp_path / "m.png")
    svg = ecomap.save_pupil_ecomap(pupil_store, "school", "P-1", tmp_path / "m.svg")
    assert png.read_bytes()[:4] == b"\x89PNG" and svg.read_text().count('id="connection-') == 1


def test_the_pupil_ecomap_shows_the_real_name_only_when_asked(pupil_store: Store):
    pupil_store.set_real_name("school", "P-1", "Jane Smith", "Ann")
    assert "Jane" not in repr(ecomap.pupil_ecomap(pupil_store, "school", "P-1"))
    assert "Jane Smith" in repr(ecomap.pupil_ecomap(pupil_store, "school", "P-1", names=True))
