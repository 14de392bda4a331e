"""The Store: save, get, list, delete, real names apart, and many writers at once."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

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


# ----------------------------------------------------------- concurrency and crashes

WRITES_PER_PROCESS = 40
PROCESSES = 4


def _writer(url: str, worker: int) -> None:
    st = Store(url)
    for i in range(WRITES_PER_PROCESS):
        st.save("school", "note", f"w{worker}-{i}", {"worker": worker, "i": i}, f"author{worker}")
        st.save("school", "note", "shared", {"worker": worker, "i": i}, f"author{worker}")
    st.close()


def test_several_processes_saving_at_once_lose_no_write(store_url: str):
    Store(store_url).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(store_url, w)) for w in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    st = Store(store_url)
    own = [r for r in st.list("school", "note") if r.key != "shared"]
    assert len(own) == PROCESSES * WRITES_PER_PROCESS
    shared_history = st.history("school", "note", "shared")
    assert len(shared_history) == PROCESSES * WRITES_PER_PROCESS
    assert st.count_history("school") == 2 * PROCESSES * WRITES_PER_PROCESS
    assert [c.version for c in shared_history] == list(range(1, len(shared_history) + 1))
    for earlier, later in zip(shared_history, shared_history[1:], strict=False):
        assert later.before == earlier.after
    assert st.get("school", "note", "shared").data == shared_history[-1].after


def test_an_interrupted_write_leaves_the_last_committed_answer(tmp_path: Path):
    script = textwrap.dedent(f"""
        import os, signal
        from partnerkit.store import Store, history
        st = Store(data={str(tmp_path)!r})
        st.save("w", "note", "a", {{"text": "committed"}}, "Ann")
        original = history.log_change
        def crash(conn, *args, **kwargs):
            original(conn, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
        history.log_change = crash
        st.save("w", "note", "a", {{"text": "never committed"}}, "Ann")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == -9, result.stderr
    st = Store(data=tmp_path)
    assert st.get("w", "note", "a").data == {"text": "committed"}
    assert [c.after for c in st.history("w", "note", "a")] == [{"text": "committed"}]
    st.save("w", "note", "a", {"text": "after the crash"}, "Ann")
    assert st.get("w", "note", "a").version == 2


