"""Many writers at once, a killed writer, SQLite's write queue and dropped connections."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from partnerkit.store import Store
from partnerkit.store import engine as opening
from partnerkit.store.store import QUEUE_SUFFIX
from partnerkit.store.tables import history_table
from tests.helpers.backends import fresh_postgres_database

PROCESSES = 30
ROUNDS = 6
SITTING = timedelta(minutes=2)


def _writer(url: str, worker: int, barrier) -> None:
    """One open form: its own new records, a record everyone saves, a draft it types into."""
    st = Store(url)
    barrier.wait()
    for i in range(ROUNDS):
        st.save("school", "note", f"w{worker}-{i}", {"worker": worker, "i": i}, f"author{worker}")
        st.save("school", "note", "shared", {"worker": worker, "i": i}, f"author{worker}")
        st.save("school", "draft", f"d{worker}", {"typed": "x" * (i + 1)}, f"author{worker}",
                coalesce=SITTING)
    st.close()


def test_thirty_processes_saving_at_once_lose_no_write_and_no_history(store_url: str):
    Store(store_url).close()
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["partnerkit.store"])
    barrier = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_writer, args=(store_url, w, barrier)) for w in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    st = Store(store_url)
    own = [r for r in st.list("school", "note") if r.key != "shared"]
    assert len(own) == PROCESSES * ROUNDS
    shared_history = st.history("school", "note", "shared")
    assert len(shared_history) == PROCESSES * ROUNDS
    assert [c.version for c in shared_history] == list(range(1, len(shared_history) + 1))
    for earlier, later in zip(shared_history, shared_history[1:], strict=False):
        assert later.before == earlier.after
    assert st.get("school", "note", "shared").data == shared_history[-1].after
    for worker in range(PROCESSES):  # a sitting of typing is one entry, holding the last text
        draft = st.history("school", "draft", f"d{worker}")
        assert [(c.op, c.version, c.after) for c in draft] == [
            ("create", ROUNDS, {"typed": "x" * ROUNDS})]
    assert st.count_history("school") == 2 * PROCESSES * ROUNDS + PROCESSES
    st.close()


def test_a_killed_writer_loses_nothing_committed_and_holds_nothing(store_url: str):
    Store(store_url).close()
    script = textwrap.dedent(f"""
        import os, signal
        from partnerkit.store import Store, history
        st = Store({store_url!r})
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
    st = Store(store_url)
    assert st.get("w", "note", "a").data == {"text": "committed"}
    assert [c.after for c in st.history("w", "note", "a")] == [{"text": "committed"}]
    st.save("w", "note", "a", {"text": "after the crash"}, "Ann")  # no lock left behind
    assert st.get("w", "note", "a").version == 2
    st.close()


def test_a_coalesced_save_to_a_record_without_history_adds_an_entry(any_store: Store):
    any_store.save("school", "note", "a", {"text": "first"}, "Ann")
    with any_store.engine.begin() as conn:  # a record whose history row went missing
        conn.execute(sa.delete(history_table))
    any_store.save("school", "note", "a", {"text": "second"}, "Ann", coalesce=SITTING)
    history = any_store.history("school", "note", "a")
    assert [(c.op, c.before, c.after) for c in history] == [
        ("update", {"text": "first"}, {"text": "second"})]


# ------------------------------------------------------------------ SQLite's write queue


def _hold_queue(store: Store) -> int:
    """Take the store's write turn from outside it, as another process would."""
    fd = os.open(store.path.with_name(store.path.name + QUEUE_SUFFIX), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_the_write_queue_file_is_owner_only(store: Store):
    store.save("school", "note", "a", {"text": "x"}, "Ann")
    queue = store.path.with_name(store.path.name + QUEUE_SUFFIX)
    assert stat.S_IMODE(queue.stat().st_mode) == 0o600


def test_a_writer_waits_for_its_turn_and_saves_when_it_comes(store: Store):
    store.save("school", "note", "a", {"text": "first"}, "Ann")
    fd = _hold_queue(store)
    saver = threading.Thread(target=store.save,
                             args=("school", "note", "a", {"text": "second"}, "Ann"))
    saver.start()
    saver.join(timeout=0.5)
    assert saver.is_alive(), "the save went ahead while another writer had the turn"
    os.close(fd)
    saver.join(timeout=30)
    assert not saver.is_alive()
    assert store.get("school", "note", "a").data == {"text": "second"}


def test_a_writer_whose_turn_never_comes_goes_on_to_sqlite_s_own_lock(store: Store):
    store._queue.timeout = 0.05  # the holder is frozen; SQLite's lock itself is free
    fd = _hold_queue(store)
    try:
        store.save("school", "note", "a", {"text": "saved"}, "Ann")
    finally:
        os.close(fd)
    assert store.get("school", "note", "a").data == {"text": "saved"}


def test_a_queue_file_that_cannot_be_opened_leaves_the_saves_to_sqlite_s_lock(store: Store):
    queue = store.path.with_name(store.path.name + QUEUE_SUFFIX)
    queue.unlink()
    queue.mkdir()  # not a file that can be locked
    store.save("school", "note", "a", {"text": "saved"}, "Ann")
    assert store.get("school", "note", "a").data == {"text": "saved"}


# ------------------------------------------------------------------ PostgreSQL connections


@pytest.fixture
def pg_store():
    with fresh_postgres_database() as url:
        st = Store(url)
        yield st
        st.close()


def _drop_connections(st: Store) -> None:
    """End every server connection of the store's database, as a server restart would."""
    admin = sa.create_engine(st.url, poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    admin.dispose()


@pytest.mark.postgres
def test_a_connection_idle_long_enough_is_checked_and_replaced(pg_store: Store, monkeypatch):
    pg_store.save("school", "note", "a", {"text": "first"}, "Ann")
    _drop_connections(pg_store)
    monkeypatch.setattr(opening, "IDLE_PING_S", 0.0)
    assert pg_store.get("school", "note", "a").data == {"text": "first"}


@pytest.mark.postgres
def test_a_save_that_meets_a_dropped_connection_runs_again(pg_store: Store):
    pg_store.save("school", "note", "a", {"text": "first"}, "Ann")
    _drop_connections(pg_store)  # used a moment ago, so taken without a check
    pg_store.save("school", "note", "a", {"text": "second"}, "Ann")
    assert [c.after for c in pg_store.history("school", "note", "a")] == [
        {"text": "first"}, {"text": "second"}]


# ------------------------------------------- two stores on one file in one process

_READ_AND_CLOSE = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1])
    print(sorted(row[0] for row in conn.execute("SELECT key FROM records")))
    conn.close()
""")


def _keys_seen_by_another_process(path) -> str:
    """Open the file in a new process, list the record keys, close (as a render kernel does)."""
    return subprocess.run([sys.executable, "-c", _READ_AND_CLOSE, str(path)], check=True,
                          capture_output=True, text=True).stdout.strip()


def test_a_second_store_opened_in_a_process_keeps_the_first_store_s_saves(tmp_path):
    # A render kernel opens a store for its notebook, then another for the report. The
    # second opening must not drop the first one's locks: else another process closing
    # the file takes it for unused, removes its write-ahead log, and later saves vanish.
    first = Store(data=tmp_path)
    first.ensure_workspace("school", "School", "t")
    first.save("school", "note", "before", {"n": 1}, "t")
    second = Store(data=tmp_path)
    assert _keys_seen_by_another_process(first.path) == "['before']"
    first.save("school", "note", "after", {"n": 2}, "t")
    assert _keys_seen_by_another_process(first.path) == "['after', 'before']"
    second.close()
    first.save("school", "note", "last", {"n": 3}, "t")
    assert _keys_seen_by_another_process(first.path) == "['after', 'before', 'last']"
    first.close()


def test_a_store_file_is_checked_only_while_no_store_here_has_it_open(tmp_path, monkeypatch):
    checked = []
    real_check = opening.check_sqlite_file
    monkeypatch.setattr(opening, "check_sqlite_file",
                        lambda path, *a, **k: (checked.append(path), real_check(path, *a, **k)))
    first = Store(data=tmp_path)
    assert opening.held_here(first.path)
    second = Store(data=tmp_path)
    assert len(checked) == 1  # the second opening read no byte of the open file
    first.close()
    second.close()
    assert not opening.held_here(first.path)
    Store(data=tmp_path).close()
    assert len(checked) == 2  # nobody here had it open: checked again
