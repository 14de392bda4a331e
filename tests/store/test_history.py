"""The history: who, when, before and after; reading as of a date; coalescing; counts."""

from __future__ import annotations

from datetime import timedelta

from partnerkit.store import Store


def test_history_keeps_who_when_before_and_after(any_store: Store, clock):
    any_store.save("school", "note", "a", {"text": "first"}, "Ann")
    clock.advance(minutes=5)
    any_store.save("school", "note", "a", {"text": "second"}, "Bob")
    history = any_store.history("school", "note", "a")
    assert [(c.op, c.author, c.before, c.after) for c in history] == [
        ("create", "Ann", None, {"text": "first"}),
        ("update", "Bob", {"text": "first"}, {"text": "second"}),
    ]
    assert history[1].at - history[0].at == timedelta(minutes=5)


def test_a_record_can_be_read_as_it_was_on_a_date(any_store: Store, clock):
    any_store.save("school", "note", "a", {"text": "september"}, "Ann")
    september = clock()
    clock.advance(days=30)
    any_store.save("school", "note", "a", {"text": "october"}, "Ann")
    assert any_store.get("school", "note", "a", as_of=september).data == {"text": "september"}
    assert any_store.get("school", "note", "a", as_of=september - timedelta(days=1)) is None
    assert any_store.get("school", "note", "a").data == {"text": "october"}


def test_coalesced_saves_by_one_author_keep_one_history_entry_per_sitting(any_store: Store,
                                                                          clock):
    any_store.save("school", "note", "a", {"text": "Old"}, "Ann")
    clock.advance(hours=1)
    for text in ["H", "He", "Hello"]:
        clock.advance(seconds=2)
        any_store.save("school", "note", "a", {"text": text}, "Ann", coalesce=timedelta(minutes=2))
    history = any_store.history("school", "note", "a")
    assert [(c.op, c.before, c.after) for c in history] == [
        ("create", None, {"text": "Old"}), ("update", {"text": "Old"}, {"text": "Hello"})]
    assert any_store.get("school", "note", "a").version == 4


def test_coalescing_never_merges_two_authors(any_store: Store, clock):
    any_store.save("school", "note", "a", {"text": "Ann's"}, "Ann")
    any_store.save("school", "note", "a", {"text": "Bob's"}, "Bob", coalesce=timedelta(hours=1))
    any_store.save("school", "note", "a", {"text": "Ann again"}, "Ann",
                   coalesce=timedelta(hours=1))
    assert [c.author for c in any_store.history("school", "note", "a")] == ["Ann", "Bob", "Ann"]


def test_change_counts_give_each_key_its_latest_change_and_number(any_store: Store, clock):
    any_store.ensure_workspace("other")
    any_store.save("school", "note", "a", {"text": "1"}, "Ann")
    clock.advance(minutes=1)
    any_store.save("school", "note", "a", {"text": "2"}, "Ann")
    any_store.save("school", "note", "b", {"text": "1"}, "Ann")
    any_store.save("other", "note", "c", {"text": "1"}, "Ann")
    counts = {key: (at, n) for key, at, n in any_store.change_counts("school")}
    assert set(counts) == {"a", "b"}
    assert counts["a"][1] == 2 and counts["b"][1] == 1
    latest = any_store.history("school", "note", "a")[-1].at
    assert counts["a"][0] == latest.isoformat(timespec="microseconds")
    assert any_store.count_history("school") == 3 and any_store.count_history() == 4


def test_a_real_name_counts_as_one_more_key_only_when_names_are_asked_for(any_store: Store):
    any_store.save("school", "profile", "P-1", {"n": 1}, "Ann")
    any_store.set_real_name("school", "P-1", "Jane Example", "Ann")
    assert [k for k, _, _ in any_store.change_counts("school")] == ["P-1"]
    named = sorted(k for k, _, _ in any_store.change_counts("school", names=True))
    assert named == ["P-1", "P-1/~name"]
