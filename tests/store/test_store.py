"""The Store: save, get, list, delete and real names apart (many writers: test_concurrency)."""

from __future__ import annotations

import pytest

from partnerkit.errors import RecordExistsError, StoreError
from partnerkit.store import Store


def test_save_then_get_returns_the_data_author_and_version(any_store: Store):
    any_store.save("school", "note", "a", {"text": "first"}, "Ann")
    saved = any_store.save("school", "note", "a", {"text": "second"}, "Bob")
    got = any_store.get("school", "note", "a")
    assert got.data == {"text": "second"}
    assert got.version == 2 == saved.version
    assert got.author == "Ann" and got.updated_by == "Bob"


def test_delete_hides_the_record_but_keeps_its_history(any_store: Store):
    any_store.save("school", "note", "a", {"text": "x"}, "Ann")
    assert any_store.delete("school", "note", "a", "Ann") is True
    assert any_store.get("school", "note", "a") is None
    assert any_store.list("school", "note") == []
    assert [c.op for c in any_store.history("school", "note", "a")] == ["create", "delete"]
    assert any_store.delete("school", "note", "a", "Ann") is False


def test_list_filters_by_prefix_and_owner_and_workspace(any_store: Store):
    any_store.ensure_workspace("other")
    any_store.save("school", "conn", "P-1/1", {"n": 1}, "Ann")
    any_store.save("school", "conn", "P-1/2", {"n": 2}, "Bob")
    any_store.save("school", "conn", "P-2/1", {"n": 3}, "Ann")
    any_store.save("other", "conn", "P-1/9", {"n": 4}, "Ann")
    assert [r.key for r in any_store.list("school", "conn", prefix="P-1/")] == ["P-1/1", "P-1/2"]
    assert [r.key for r in any_store.list("school", "conn", author="Ann")] == ["P-1/1", "P-2/1"]
    assert sorted(any_store.workspaces()) == ["other", "school"]


def test_prefix_with_like_wildcards_is_taken_literally(any_store: Store):
    any_store.save("school", "conn", "P_1/1", {"n": 1}, "Ann")
    any_store.save("school", "conn", "PX1/1", {"n": 2}, "Ann")
    assert [r.key for r in any_store.list("school", "conn", prefix="P_1/")] == ["P_1/1"]


def test_a_save_without_an_author_is_refused(any_store: Store):
    with pytest.raises(StoreError, match="author"):
        any_store.save("school", "note", "a", {"text": "x"}, " ")


def test_user_text_round_trips_exactly(any_store: Store):
    text = "<b>bold</b> {{ 7*7 }} =SUM(A1) 'quote' \"dq\" \u00e9\u4e2d\U0001f600\n" + "x" * 50_000
    any_store.save("school", "note", "a", {"text": text}, "Ann")
    assert any_store.get("school", "note", "a").data["text"] == text


def test_real_names_are_kept_apart_from_records(store: Store):
    store.set_real_name("school", "P-1", "Jane Example", "Ann")
    assert store.real_name("school", "P-1") == "Jane Example"
    assert store.list("school", "pupil_profile") == []
    store.set_real_name("school", "P-1", "", "Ann")
    assert store.real_name("school", "P-1") is None


def test_only_if_new_refuses_to_replace_a_record(any_store: Store):
    any_store.save("school", "attempt", "a/1", {"score": 0.5}, "Ann", only_if_new=True)
    with pytest.raises(RecordExistsError) as info:
        any_store.save("school", "attempt", "a/1", {"score": 1.0}, "Ann", only_if_new=True)
    assert "a/1" in str(info.value)
    assert any_store.get("school", "attempt", "a/1").data == {"score": 0.5}
    assert len(any_store.history("school", "attempt", "a/1")) == 1
