"""Tests for partnerkit.mapping_tool.report: the pupil partnership pack and page fragments."""

from __future__ import annotations

import stat
from pathlib import Path

from partnerkit import mapping_tool
from partnerkit.content import load_content
from partnerkit.mapping_tool import report
from partnerkit.records.base import save_record
from partnerkit.records.mapping import Answer, Connection
from partnerkit.store import Store


def test_the_summary_holds_every_part_and_escapes_what_was_typed(pupil_store: Store):
    save_record(pupil_store, "school", Connection(
        pupil="P-1", id="x1", name="<script>alert(1)</script>", layer="families",
        quality="stressful", offers="Lifts & <b>meals</b>"), "Ann")
    save_record(pupil_store, "school", Answer(question="mapping_tool.question.2",
                                              subject="P-1", text="We need <i>more</i>"),
                "Ann")
    page = report.map_summary_html(pupil_store, "school", "P-1")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Lifts &amp; &lt;b&gt;meals&lt;/b&gt;" in page
    assert "We need &lt;i&gt;more&lt;/i&gt;" in page
    assert page.count("<svg") == 1 and 'id="connection-x1"' in page
    assert "Ecomap for P-1: 1 connection" in page
    for heading in ("Pupil characteristics", "Connections by layer", "Gaps and suggestions",
                    "Reflective questions", "School networks", "Community context"):
        assert heading in page
    assert "stressful relationship" in page.lower()
    assert "Not answered yet." in page
    assert load_content().item("mapping_tool.question.6").text in page
    assert "Eastfield" in page and "poverty" in page


def test_the_summary_file_is_owner_only(pupil_store: Store, tmp_path: Path):
    path = report.save_map_summary(pupil_store, "school", "P-1", tmp_path / "s.html")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_pupil_pack_carries_the_staged_support_plan(demo_data):
    from partnerkit.store import Store as _Store

    page = report.map_summary_html(_Store(data=demo_data), "demo", "P-1001")
    section = page[page.index('id="staged-support"'):]
    assert "Assessment/identification of needs" in section
    assert "Visual timetables" in section
    assert "Requests for assistance" in section


def test_the_pack_is_importable_where_render_expects_it():
    assert mapping_tool.map_summary_html is report.map_summary_html


def test_fragments_escape_what_they_are_given():
    html = report.part("connection_row", name="<i>Mum</i>", role="", quality="strong")
    assert html == "<span><bdi>&lt;i&gt;Mum&lt;/i&gt;</bdi> <em>(strong)</em></span>"
    html = report.part("field_error", label="Layer", message="a < b")
    assert html == '<div class="pk-error" role="alert">⚠ Layer: a &lt; b</div>'


def _count_builds(monkeypatch) -> list[str]:
    built: list[str] = []
    build = report._summary_html

    def counting(store, workspace, pupil, names, content):
        built.append(pupil)
        return build(store, workspace, pupil, names, content)

    monkeypatch.setattr(report, "_summary_html", counting)
    report._LAST_SUMMARY.clear()
    return built


def test_the_same_summary_asked_twice_with_nothing_changed_is_built_once(
        pupil_store: Store, monkeypatch):
    built = _count_builds(monkeypatch)
    first = report.map_summary_html(pupil_store, "school", "P-1")
    again = report.map_summary_html(pupil_store, "school", "P-1")
    assert again == first and built == ["P-1"]


def test_a_summary_is_built_again_after_any_change_in_the_workspace(
        pupil_store: Store, monkeypatch):
    built = _count_builds(monkeypatch)
    report.map_summary_html(pupil_store, "school", "P-1")
    save_record(pupil_store, "school", Connection(pupil="P-1", name="Aunt Jo",
                                                  layer="families"), "Ann")
    after = report.map_summary_html(pupil_store, "school", "P-1")
    assert "Aunt Jo" in after and len(built) == 2


def test_a_named_summary_is_built_again_after_the_real_name_changes(
        pupil_store: Store, monkeypatch):
    built = _count_builds(monkeypatch)
    pupil_store.set_real_name("school", "P-1", "Kit Morven", "Ann")
    assert "Kit Morven" in report.map_summary_html(pupil_store, "school", "P-1", names=True)
    pupil_store.set_real_name("school", "P-1", "Kit Lennox", "Ann")
    named = report.map_summary_html(pupil_store, "school", "P-1", names=True)
    assert "Kit Lennox" in named and "Kit Morven" not in named and len(built) == 2


def test_the_summary_writes_gaps_and_relationships_in_words(pupil_store: Store):
    save_record(pupil_store, "school", Connection(pupil="P-1", id="y1", name="Aunt Jo",
                                                  layer="families"), "Ann")
    page = report.map_summary_html(pupil_store, "school", "P-1")
    assert "No one on this layer" in page and "empty layer" not in page
    assert "<td>not said yet</td>" in page and "<td>None</td>" not in page
