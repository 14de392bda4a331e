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
