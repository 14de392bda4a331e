"""``partnerkit demo``: a fictional school, pseudonymous, the same however often it runs."""

from __future__ import annotations

from partnerkit.demo import DEMO_PUPILS, create_demo
from partnerkit.records import Connection, PupilProfile, load_records
from partnerkit.store import Store


def test_the_demo_has_pupils_partners_and_answers(tmp_path):
    summary = create_demo(data=tmp_path)
    store = Store(data=tmp_path)
    pupils = load_records(store, "demo", PupilProfile)
    assert [p.pupil for p in pupils] == [p.pupil for p in DEMO_PUPILS] == summary.pupils
    assert len(load_records(store, "demo", Connection)) >= 5
    assert store.list("demo", "directory_entry")
    assert store.list("demo", "answer")


def test_running_the_demo_twice_changes_nothing(tmp_path):
    create_demo(data=tmp_path)
    before = Store(data=tmp_path).count_history()
    create_demo(data=tmp_path)
    assert Store(data=tmp_path).count_history() == before


def test_demo_pupils_are_pseudonymous(tmp_path):
    create_demo(data=tmp_path)
    store = Store(data=tmp_path)
    for pupil in DEMO_PUPILS:
        assert store.real_name("demo", pupil.pupil) is None
        assert pupil.pupil.startswith("P-")


def test_the_demo_finds_each_workbook_seeder_and_runs_them_in_order(tmp_path, monkeypatch):
    import sys

    from partnerkit import demo

    seeders = tmp_path / "seeders"
    seeders.mkdir()
    (seeders / "zz_calls.py").write_text("CALLS = []\n")  # no seed(): not a seeder
    for name, order, count in [("zz_late", 90, 4), ("zz_early", 10, 3)]:
        (seeders / f"{name}.py").write_text(
            "from partnerkit.demo.zz_calls import CALLS\n"
            f"ORDER = {order}\n"
            "def seed(store, workspace, author):\n"
            f"    CALLS.append(({name!r}, workspace, author))\n"
            f"    return {count}\n")
    plain = create_demo(data=tmp_path / "plain").records
    monkeypatch.setattr(demo, "__path__", [*demo.__path__, str(seeders)])
    monkeypatch.setattr(demo, "SEEDERS", list(demo.SEEDERS))
    try:
        summary = create_demo(data=tmp_path / "data")
        calls = sys.modules["partnerkit.demo.zz_calls"].CALLS
    finally:
        for name in ("zz_calls", "zz_late", "zz_early"):
            sys.modules.pop(f"partnerkit.demo.{name}", None)
    author = demo.DEMO_AUTHOR
    assert calls == [("zz_early", "demo", author), ("zz_late", "demo", author)]
    assert summary.records == plain + 3 + 4
