"""Changed-only renders: what is up to date, from the store's changes and the manifest."""

from __future__ import annotations

from partnerkit import render
from partnerkit.demo import DEMO_AUTHOR
from partnerkit.records import DirectoryEntry, PupilProfile, load_record, save_record
from partnerkit.render import manifest
from partnerkit.render.targets import Target
from partnerkit.store import open_store
from tests.render.conftest import DEMO_PUPILS, by_name


def test_changed_only_skips_what_has_not_changed(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    pupils = DEMO_PUPILS[:3]

    def run(formats="html"):
        return by_name(render.render(fixtures["clean_namespace"], pupils, formats, out, jobs=1,
                                     changed_only=True, data_dir=demo_data, progress=False))

    assert {r.status for r in run().values()} == {"written"}
    notebook = out / "notebooks" / "clean_namespace-P-1001.ipynb"
    before = notebook.stat().st_mtime_ns
    again = run()
    assert {r.status for r in again.values()} == {"unchanged"}
    assert notebook.stat().st_mtime_ns == before

    store = open_store(demo_data)
    profile = load_record(store, "demo", PupilProfile, "P-1002")
    save_record(store, "demo", profile.model_copy(update={"stage": "S6"}), DEMO_AUTHOR)
    after_pupil_change = run()
    assert {n: r.status for n, r in after_pupil_change.items()} == {
        "P-1001": "unchanged", "P-1002": "written", "P-1003": "unchanged"}
    assert "Stage S6" in (out / "html" / "clean_namespace-P-1002.html").read_text()

    save_record(store, "demo", DirectoryEntry(organisation="New partner", offers="Help"),
                DEMO_AUTHOR)
    store.close()
    assert {r.status for r in run().values()} == {"written"}  # shared records touch all
    assert {r.status for r in run("html,docx").values()} == {"written"}  # a new format
    assert {r.status for r in run("docx").values()} == {"unchanged"}


def test_changed_only_always_retries_a_failed_target(demo_data, tmp_path, fixtures):
    out = tmp_path / "r"
    for _ in range(2):
        summary = render.render(fixtures["fails_for_one_pupil"], DEMO_PUPILS[1:3], "html",
                                out, jobs=1, changed_only=True, data_dir=demo_data,
                                progress=False)
    assert {n: r.status for n, r in by_name(summary).items()} == {
        "P-1002": "unchanged", "P-1003": "failed"}


def test_store_changes_are_filed_under_each_pupil(store):
    save_record(store, "school", PupilProfile(pupil="P-1"), "a")
    save_record(store, "school", PupilProfile(pupil="P-2"), "a")
    before = manifest.store_changes(store, "school")
    save_record(store, "school", PupilProfile(pupil="P-2", stage="S1"), "a")
    after = manifest.store_changes(store, "school")
    assert before["P-1"] == after["P-1"] and before["P-2"] != after["P-2"]


def test_a_pupil_target_ignores_only_other_pupils_changes():
    changes = {"P-1": "a#1", "P-2": "b#1", "directory": "c#1"}
    one = Target("P-1", "P-1")
    seen = manifest.target_changes(changes, one, ["P-1", "P-2"])
    assert seen == manifest.target_changes({**changes, "P-2": "b#2"}, one, ["P-1", "P-2"])
    assert seen != manifest.target_changes({**changes, "P-1": "a#2"}, one, ["P-1", "P-2"])
    assert seen != manifest.target_changes({**changes, "directory": "c#2"}, one,
                                           ["P-1", "P-2"])


def test_an_unreadable_manifest_is_an_empty_one(tmp_path):
    (tmp_path / manifest.MANIFEST).write_text("not json")
    assert manifest.load_manifest(tmp_path) == {"version": 1, "targets": {}}
