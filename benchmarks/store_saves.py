"""Save latency with a room saving at once: the Store against plain SQLAlchemy inserts.

Not a test: a script that prints figures. ``--writers`` processes (30, as 30 open forms
would: each Voilà kernel is its own process) each save ``--saves`` records (100) through
:func:`partnerkit.records.base.save_record`, as the mapping tool's forms do: three saves
in four amend the writer's pupil profile as it is typed (the same key again, autosaved
with coalescing, so the history keeps one entry per sitting), one in four adds a new
connection (a new key). All writers start together (a barrier) and save back to back,
with ``--pause-ms`` (random, 0 to that) between saves.

The floor: the same processes then write the same rows (a record row and a history row,
the same JSON) by plain SQLAlchemy inserts, one transaction each, the same number of
times, into tables of their own. The floor has no read, no coalescing and no lock-taking
beyond what an insert takes; it is what any save on this machine and database costs.

Run on SQLite (a file in a temporary folder) and on PostgreSQL (``--database-url``; a
fresh database is created for the run and dropped after). For each: p50/p95/p99/max per
save, for the Store and the floor, each with the machine's load average; and where a
Store save spends its time (mean per save, summed over every save of every writer):
getting a connection (pool checkout, a new connection and its settings), waiting for
the write lock (SQLite's ``BEGIN IMMEDIATE``; PostgreSQL's row lock is taken by the
record read), reading the record, writing the record, the history (reading the last
entry to coalesce, writing it), the commit (the disk flush), JSON encoding, and the rest
(Python: pydantic, SQLAlchemy). The breakdown listens to SQLAlchemy's events, which
costs a few microseconds a statement; ``--no-breakdown`` leaves it out. With
``--guarded`` each writer is a signed-in practitioner and saves through the one
permission check (:class:`partnerkit.access.GuardedStore`), which also writes an audit
entry for every save of a pupil's record, as every page does since sign-in: run it with
and without to see what the check and the audit cost. Usage::

    python benchmarks/store_saves.py [--writers 30] [--saves 100] [--pause-ms 0]
        [--database-url postgresql://...] [--only sqlite|postgres] [--no-breakdown]
        [--guarded [--no-audit]]

``--guarded`` against ``--guarded --no-audit`` gives the cost of the hash-chained audit
trail on a save (each audited save appends one chained entry, in its own transaction).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgresql://partnerkit_test:partnerkit_test@127.0.0.1:5432/postgres"
WORKSPACE = "room"
PHASES = ("connection set-up", "write lock wait (queue turn, BEGIN IMMEDIATE)",
          "read record (+ row lock)", "write record", "history (PostgreSQL: with the record write)",
          "commit (flush to disk)",
          "JSON encoding", "other statements", "Python (pydantic, SQLAlchemy, the rest)")

floor_meta = sa.MetaData()
floor_records = sa.Table(
    "floor_records", floor_meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workspace", sa.String(100)), sa.Column("kind", sa.String(100)),
    sa.Column("key", sa.String(400)), sa.Column("author", sa.Text), sa.Column("data", sa.Text),
    sa.Column("version", sa.Integer), sa.Column("updated_at", sa.String(40)))
floor_history = sa.Table(
    "floor_history", floor_meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workspace", sa.String(100)), sa.Column("kind", sa.String(100)),
    sa.Column("key", sa.String(400)), sa.Column("version", sa.Integer),
    sa.Column("op", sa.String(10)), sa.Column("author", sa.Text), sa.Column("at", sa.String(40)),
    sa.Column("before", sa.Text), sa.Column("after", sa.Text))


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes), printed beside every figure."""
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


# ------------------------------------------------------------------ the records


def records_for(writer: int, saves: int) -> list[Any]:
    """What one practitioner's form saves: a profile typed into, connections added."""
    from partnerkit.records.mapping import Connection, PupilProfile

    pupil = f"P-{1000 + writer}"
    typed = ("Finds mornings hard since the move; ", "walks with a neighbour's child; ",
             "mum works shifts; ", "likes the breakfast club; ")
    out: list[Any] = []
    for i in range(saves):
        if i % 4 == 3:
            out.append(Connection(
                pupil=pupil, id=f"c{i:03d}", name=f"Partner {i} ({writer})",
                layer="community_context", role="Youth worker", quality="strong",
                offers="After-school club twice a week, transport home. " * 3,
                helps_with=["poverty", "relationships"], key_contact="j.smith@example.org",
                notes=f"Met at the cluster meeting; follow up in week {i}."))
        else:
            out.append(PupilProfile(
                pupil=pupil, stage="P6", language_at_home="Polish", simd_quintile=2,
                current_challenges="".join(typed[j % 4] for j in range(i + 1)),
                needs=["poverty", "family_dynamics"]))
    return out


# ------------------------------------------------------------------ where the time goes


class Probe:
    """Sums, per phase, the time Store saves spend, from SQLAlchemy's events."""

    def __init__(self, engine: sa.Engine) -> None:
        from sqlalchemy import event

        from partnerkit.store import store as store_module

        self.totals: dict[str, float] = defaultdict(float)
        self._mark = 0.0
        self._commit_at: float | None = None
        pool = engine.pool
        checkout = pool.connect

        def timed_checkout() -> Any:
            start = time.perf_counter()
            try:
                return checkout()
            finally:
                self.totals[PHASES[0]] += time.perf_counter() - start

        pool.connect = timed_checkout  # type: ignore[method-assign]
        dump = store_module.dump

        def timed_dump(data: Any) -> Any:
            start = time.perf_counter()
            try:
                return dump(data)
            finally:
                self.totals[PHASES[6]] += time.perf_counter() - start

        store_module.dump = timed_dump
        take = getattr(store_module, "_take", None)

        def timed_take(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return take(*args)  # type: ignore[misc]
            finally:
                self.totals[PHASES[1]] += time.perf_counter() - start

        if take is not None:  # the SQLite write queue
            store_module._take = timed_take
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._commit)

    def _before(self, *_args: Any) -> None:
        self._mark = time.perf_counter()

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.totals[self.phase_of(statement)] += time.perf_counter() - self._mark

    @staticmethod
    def phase_of(statement: str) -> str:
        """Which phase a SQL statement belongs to."""
        text = " ".join(statement.split()).upper()
        if text.startswith("BEGIN"):
            return PHASES[1]
        if "HISTORY" in text:
            return PHASES[4]
        if text.startswith("SELECT") and "FROM RECORDS" in text:
            return PHASES[2]
        if "RECORDS" in text:
            return PHASES[3]
        return PHASES[7]

    def _commit(self, _conn: Any) -> None:
        self._commit_at = time.perf_counter()

    def saved(self, started: float, ended: float) -> None:
        """Close one save: the commit runs until the save returns; the rest is Python."""
        if self._commit_at is not None:
            self.totals[PHASES[5]] += ended - self._commit_at
            self._commit_at = None
        self.totals["total"] += ended - started


# ------------------------------------------------------------------ one writer process


def writer(url: str, index: int, saves: int, pause_ms: float, breakdown: bool,
           barrier: Any, results: Any, guarded: bool = False, audit: bool = True) -> None:
    """One open form: Store saves, then the floor's plain inserts, timed one by one."""
    sys.path.insert(0, str(ROOT))
    from partnerkit.access import GuardedStore, load_account
    from partnerkit.forms.autosave import AUTOSAVE_COALESCE
    from partnerkit.records.base import save_record
    from partnerkit.store import Store

    author = writer_name(index)
    records = records_for(index, saves)
    rng = random.Random(index)
    store = Store(url)
    target = GuardedStore(store, load_account(store, author)) if guarded else store
    if not audit:  # --no-audit: the permission check alone, to see what the trail costs
        store.audit = lambda *_args, **_kwargs: None
    probe = Probe(store.engine) if breakdown else None
    barrier.wait()
    timings: list[float] = []
    for record in records:
        started = time.perf_counter()
        save_record(target, WORKSPACE, record, author, coalesce=AUTOSAVE_COALESCE)
        ended = time.perf_counter()
        timings.append(ended - started)
        if probe is not None:
            probe.saved(started, ended)
        _pause(rng, pause_ms)
    store.close()
    rows = [(r.kind, r.record_key(), json.dumps(r.model_dump(mode="json"), sort_keys=True))
            for r in records]
    barrier.wait()
    results.put((index, timings, floor(url, rows, author, rng, pause_ms),
                 dict(probe.totals) if probe else None))


def writer_name(index: int) -> str:
    """The username of writer ``index`` (a practitioner of the workspace with --guarded)."""
    return f"practitioner-{index}"


def floor(url: str, rows: list[tuple[str, str, str]], author: str, rng: random.Random,
          pause_ms: float) -> list[float]:
    """The same rows by plain SQLAlchemy inserts, one transaction each."""
    from partnerkit.store.engine import resolve_url

    sa_url = sa.make_url(resolve_url(url))
    args = {"timeout": 60} if sa_url.get_backend_name() == "sqlite" else {}
    engine = sa.create_engine(sa_url, connect_args=args)
    timings = []
    for version, (kind, key, data) in enumerate(rows, start=1):
        now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(sa.insert(floor_records).values(
                workspace=WORKSPACE, kind=kind, key=key, author=author, data=data,
                version=version, updated_at=now))
            conn.execute(sa.insert(floor_history).values(
                workspace=WORKSPACE, kind=kind, key=key, version=version, op="update",
                author=author, at=now, before=None, after=data))
        timings.append(time.perf_counter() - started)
        _pause(rng, pause_ms)
    engine.dispose()
    return timings


def _pause(rng: random.Random, pause_ms: float) -> None:
    if pause_ms > 0:
        time.sleep(rng.uniform(0, pause_ms) / 1000)


# ------------------------------------------------------------------ one database


@contextmanager
def sqlite_url() -> Iterator[str]:
    """A store file in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="pk-saves-") as folder:
        yield f"sqlite:///{Path(folder) / 'data' / 'partnerkit.sqlite'}"


@contextmanager
def postgres_url(server: str) -> Iterator[str]:
    """A fresh database on the server, dropped after the run."""
    sys.path.insert(0, str(ROOT))
    from tests.helpers.backends import scratch_database

    with scratch_database(server, prefix="pk_bench") as url:
        yield url


def run(label: str, url: str, args: argparse.Namespace) -> None:
    """Prepare the database, run every writer, check nothing was lost, print the figures."""
    from partnerkit.store import Store
    from partnerkit.store.engine import resolve_url

    store = Store(url)
    store.ensure_workspace(WORKSPACE)
    for index in range(args.writers):
        if args.guarded and store.account_row(writer_name(index)) is None:
            store.add_account(writer_name(index), f"Practitioner {index}", created_by="bench")
            store.set_membership(writer_name(index), WORKSPACE, "practitioner",
                                 added_by="bench")
    store.close()
    engine = sa.create_engine(resolve_url(url))
    floor_meta.create_all(engine)
    engine.dispose()
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(args.writers), ctx.Queue()
    procs = [ctx.Process(target=writer, args=(url, w, args.saves, args.pause_ms,
                                              not args.no_breakdown, barrier, results,
                                              args.guarded, not args.no_audit))
             for w in range(args.writers)]
    for proc in procs:
        proc.start()
    outcome = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join()
    report(label, url, args, outcome)


def report(label: str, url: str, args: argparse.Namespace, outcome: list[Any]) -> None:
    """Print the figures, the breakdown and a check that nothing was lost."""
    from partnerkit.store import Store

    store_times = [t for _, times, _, _ in outcome for t in times]
    floor_times = [t for _, _, times, _ in outcome for t in times]
    print(f"\n== {label}: {args.writers} writer processes x {args.saves} saves, "
          f"pause 0-{args.pause_ms:g} ms ({load_average()})")
    how = ("Store.save (save_record)   " if not args.guarded else
           "GuardedStore (check only)  " if args.no_audit else "GuardedStore (check, audit)")
    print(f"   {how} {figures(store_times)}")
    print(f"   floor (plain inserts)      {figures(floor_times)}")
    totals: dict[str, float] = defaultdict(float)
    for *_, probe in outcome:
        for phase, value in (probe or {}).items():
            totals[phase] += value
    if totals:
        print_breakdown(totals, len(store_times))
    store = Store(url)
    history = store.count_history(WORKSPACE)
    kept = len(store.list(WORKSPACE, "connection")) + len(store.list(WORKSPACE, "pupil_profile"))
    store.close()
    expected = args.writers * (args.saves // 4 + 1)
    print(f"   check: {kept} records, {history} history entries (expected {expected} of "
          "each: one profile per writer, its saves coalesced, and each new connection)")


def figures(seconds: list[float]) -> str:
    """p50/p95/p99/max of a list of durations, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return (f"p50 {cuts[49]:7.1f}  p95 {cuts[94]:7.1f}  p99 {cuts[98]:7.1f}  "
            f"max {ms[-1]:7.1f} ms   ({load_average()})")


def print_breakdown(totals: dict[str, float], saves: int) -> None:
    """Mean milliseconds per save in each phase, and its share of a save."""
    total = totals.pop("total")
    totals[PHASES[8]] = total - sum(totals.get(p, 0.0) for p in PHASES[:8])
    print(f"   where a Store save's time goes (mean per save, {load_average()}):")
    for phase in PHASES:
        value = totals.get(phase, 0.0)
        if value:
            print(f"     {phase:<46} {value / saves * 1000:7.2f} ms  {value / total:6.1%}")


def main() -> None:
    """Run the benchmark on the databases asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=30)
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--pause-ms", type=float, default=200.0)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--no-breakdown", action="store_true")
    parser.add_argument("--guarded", action="store_true",
                        help="save through the permission check and audit, as pages do")
    parser.add_argument("--no-audit", action="store_true",
                        help="with --guarded: leave out the audit entries (the hash-chained "
                             "trail), to measure what the trail costs a save")
    args = parser.parse_args()
    print(f"store saves benchmark ({load_average()}, {os.cpu_count()} cores)")
    if args.only != "postgres":
        with sqlite_url() as url:
            run("SQLite", url, args)
    if args.only != "sqlite":
        with postgres_url(args.database_url) as url:
            run("PostgreSQL", url, args)


if __name__ == "__main__":
    main()
