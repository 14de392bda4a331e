"""What the hash-chained audit trail costs one save: with and without it, interleaved.

Not a test: a script that prints figures. One practitioner saves a pupil's profile
through the permission check (:class:`partnerkit.access.GuardedStore`), as a page does;
every save of a pupil's record appends one chained audit entry. The saves alternate in
blocks between the real store and the same store with its audit switched off, so both
see the same machine load (printed beside the figures); p50/p95 per save for each, on
SQLite and PostgreSQL (``--database-url``; a fresh database, dropped after). The plain
``Store.save`` (no check, no audit) is the floor. ``benchmarks/store_saves.py --guarded
[--no-audit]`` measures the same with a room of writers. Usage::

    python benchmarks/audit_cost.py [--saves 300] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerkit.access import Account, GuardedStore, Membership  # noqa: E402
from partnerkit.store import Store  # noqa: E402

BLOCK = 10


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def figures(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.2f}  p95 {cuts[94]:6.2f} ms"


def measure(url: str, saves: int) -> dict[str, list[float]]:
    store = Store(url)
    store.ensure_workspace("room")
    who = Account("ann", "Ann", (Membership("room", "practitioner"),))
    audited = GuardedStore(store, who)
    quiet_store = Store(url)
    quiet_store.audit = lambda *_a, **_k: None  # no entry appended on its own
    quiet_store.audit_entry = lambda *_a, **_k: None  # no entry saved with a write
    quiet = GuardedStore(quiet_store, who)
    times: dict[str, list[float]] = {"with the audit trail": [], "without it (check only)": [],
                                     "floor: Store.save": []}
    ways = list(zip(times, (audited.save, quiet.save, store.save), strict=True))
    for block in range(saves // BLOCK):
        for name, save in ways:
            for i in range(BLOCK):
                started = time.perf_counter()
                save("room", "pupil_profile", f"P-{block}-{i}", {"stage": "P5", "n": i}, "ann")
                times[name].append(time.perf_counter() - started)
    entries = store.verify_audit()
    store.close()
    quiet_store.close()
    assert entries.intact and entries.entries == saves
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--database-url", default=os.environ.get(
        "PARTNERKIT_TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/partnerkit.sqlite")]
        if args.database_url:
            from tests.helpers.backends import scratch_database

            with scratch_database(args.database_url, "pk_bench") as pg:
                targets.append(("PostgreSQL", pg))
                run(targets, args.saves)
        else:
            run(targets, args.saves)


def run(targets: list[tuple[str, str]], saves: int) -> None:
    for label, url in targets:
        print(f"== {label}: {saves} saves each, one writer, blocks of {BLOCK} interleaved "
              f"({load()})")
        for name, seconds in measure(url, saves).items():
            print(f"   {name:<26} {figures(seconds)}   ({load()})")


if __name__ == "__main__":
    main()
