from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from partnerkit import store as store_module
from partnerkit.errors import DataFolderError, StoreCorruptError, StoreError, StoreTooNewError
from partnerkit.store import Store


def test_save_then_get_returns_the_data_author_and_version(any_store: Store):
    any_store.save("school", "note", "a", {"text": "first"}, "Ann")
    saved = any_store.save("school", "note", "a", {"text": "second"}, "Bob")
    got = any_store.get("school", "note", "a")
    assert got.data == {"text": "second"}
    assert got.version == 2 == saved.version
    assert got.author == "Ann" and got.updated_by == "Bob"


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


# ---------------------------------------------------------------- the SQLite file


def test_store_file_and_data_folder_are_owner_only(tmp_path: Path):
    st = Store(data=tmp_path / "data")
    st.save("w", "note", "a", {"t": 1}, "Ann")
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    for path in (tmp_path / "data").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_an_existing_world_readable_store_is_tightened(tmp_path: Path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    os.chmod(path, 0o644)
    Store(data=tmp_path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_data_folder_that_cannot_be_made_is_named_in_the_message(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DataFolderError) as info:
        Store(data=blocker / "data")
    assert str(blocker / "data") in str(info.value)
    assert "--data" in str(info.value)


def test_a_file_given_as_data_folder_is_refused(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DataFolderError, match="is a file"):
        Store(data=blocker)


def test_a_store_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path):
    Store(data=tmp_path).close()
    path = tmp_path / "partnerkit.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StoreTooNewError) as info:
        Store(data=tmp_path)
    assert "99" in str(info.value) and "upgrade partnerkit" in str(info.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-middle"])
def test_a_damaged_store_file_is_refused_and_not_overwritten(tmp_path: Path, damage: str):
    st = Store(data=tmp_path)
    for i in range(300):
        st.save("w", "note", f"k{i}", {"text": "x" * 200}, "Ann")
    st.close()
    path = tmp_path / "partnerkit.sqlite"
    data = path.read_bytes()
    if damage == "garbage":
        data = b"this is not a database at all" * 100
    elif damage == "truncated":
        data = data[:300]
    else:
        middle = len(data) // 2
        data = data[:4096] + b"\x00" * 4096 * 3 + data[4096 * 4:]
        assert middle
    path.write_bytes(data)
    with pytest.raises(StoreCorruptError) as info:
        Store(data=tmp_path)
    assert str(path) in str(info.value) and "backup" in str(info.value)
    assert path.read_bytes() == data


def test_an_upgrade_migrates_and_keeps_every_record(tmp_path: Path, monkeypatch):
    st = Store(data=tmp_path)
    st.save("w", "note", "a", {"text": "kept"}, "Ann")
    st.close()

    def add_tags(conn):
        conn.exec_driver_sql("ALTER TABLE records ADD COLUMN tags TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 2, add_tags)
    upgraded = Store(data=tmp_path)
    assert upgraded.schema_version() == 2
    assert upgraded.get("w", "note", "a").data == {"text": "kept"}
    assert (tmp_path / "partnerkit.sqlite.before-v2").exists()


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
        from partnerkit import store as s
        st = s.Store(data={str(tmp_path)!r})
        st.save("w", "note", "a", {{"text": "committed"}}, "Ann")
        original = s.Store._log
        def crash(self, conn, *args, **kwargs):
            original(self, conn, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
        s.Store._log = crash
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


def test_an_unsupported_database_url_is_refused():
    with pytest.raises(StoreError, match="not a supported database"):
        Store("mysql://localhost/x")


def test_only_if_new_refuses_to_replace_a_record(any_store: Store):
    from partnerkit.errors import RecordExistsError

    any_store.save("school", "attempt", "a/1", {"score": 0.5}, "Ann", only_if_new=True)
    with pytest.raises(RecordExistsError) as info:
        any_store.save("school", "attempt", "a/1", {"score": 1.0}, "Ann", only_if_new=True)
    assert "a/1" in str(info.value)
    assert any_store.get("school", "attempt", "a/1").data == {"score": 0.5}
    assert len(any_store.history("school", "attempt", "a/1")) == 1
