"""The audit trail as a hash chain: append-only, tamper-evident, anchored.

Each audit entry keeps ``prev_hash`` (the hash of the entry before it; the first entry's
is :data:`GENESIS`) and ``hash``: SHA-256 over the previous hash, a newline and the
entry's canonical form (its :data:`CHAINED_FIELDS` as JSON with sorted keys, compact
separators, UTF-8). Editing an entry breaks its own hash; removing one breaks the link
of the entry after it; reordering entries breaks the links of both. Removing entries at
the end leaves a shorter chain that is still whole: that is what anchors are for. An
anchor records the head of the chain (its last entry's id and hash) and how many
entries it holds, at a time; the store makes one every :data:`ANCHOR_EVERY` entries, the
data-protection lead makes and exports one whenever they like (``partnerkit audit
anchor``) and keeps it away from the store, and :func:`verify` checks the chain against
every stored anchor and any exported one.

Entries are appended one at a time under a lock, so two processes writing at once never
fork the chain: on SQLite the store's write transaction holds the file (``BEGIN
IMMEDIATE``); on PostgreSQL :func:`append` takes a transaction-scoped advisory lock.
A unique index on ``prev_hash`` refuses a fork even if a writer forgot the lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

GENESIS = "0" * 64
"""The previous hash of the first entry."""
CHAINED_FIELDS = ("at", "account", "action", "workspace", "kind", "key", "allowed",
                  "detail", "door")
"""What an entry's hash covers (its id is its place in the chain, checked by the links)."""
ANCHOR_EVERY = 500
"""The store anchors the chain by itself each time it grows by this many entries."""
PG_AUDIT_LOCK = 424243
"""The PostgreSQL advisory lock appends take (the migration lock is 424242)."""
DOOR_ENV = "PARTNERKIT_DOOR"
"""Set by each door for the processes it starts: ``page``, ``lab``, ``render``."""
DOORS = ("page", "lab", "render", "cli", "notebook")
"""The ways in an entry may name (``notebook``: a kernel no partnerkit door started)."""


def current_door() -> str:
    """The door this process works through: ``$PARTNERKIT_DOOR``, a served page, else CLI.

    A Jupyter kernel that no partnerkit door started (no ``$PARTNERKIT_DOOR``) is a
    ``notebook``; a plain Python process is the ``cli``.
    """
    named = os.environ.get(DOOR_ENV)
    if named in DOORS:
        return named
    if os.environ.get("PARTNERKIT_SERVED"):
        return "page"
    return "notebook" if _in_kernel() else "cli"


def _in_kernel() -> bool:
    """Whether this process is a running Jupyter kernel (not merely one that imported it)."""
    app = sys.modules.get("ipykernel.kernelapp")
    return bool(app is not None and app.IPKernelApp.initialized())


def canonical(entry: dict[str, Any]) -> bytes:
    """An entry's canonical bytes: its chained fields as sorted, compact UTF-8 JSON."""
    values = {name: entry.get(name) for name in CHAINED_FIELDS}
    values["allowed"] = bool(values["allowed"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def chain_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 (hex) over the previous hash, a newline and the entry's canonical bytes."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(entry)).hexdigest()


def lock(conn: Connection) -> None:
    """Serialize appends: an advisory lock on PostgreSQL (SQLite's write lock is held)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_AUDIT_LOCK})")


def head(conn: Connection, audit: sa.Table) -> Any:
    """The last entry's (id, hash), or None for an empty trail."""
    return conn.execute(sa.select(audit.c.id, audit.c.hash)
                        .order_by(audit.c.id.desc()).limit(1)).first()


def append(conn: Connection, audit: sa.Table, anchors: sa.Table,
           entry: dict[str, Any]) -> int:
    """Add one entry at the end of the chain (inside the caller's write transaction).

    Anchors the chain when it has grown by :data:`ANCHOR_EVERY` entries since the last
    anchor. Returns the new entry's id.
    """
    lock(conn)
    last = head(conn, audit)
    prev = last.hash if last is not None else GENESIS
    digest = chain_hash(prev, entry)
    new_id = conn.execute(sa.insert(audit).values(**entry, prev_hash=prev, hash=digest)
                          .returning(audit.c.id)).scalar_one()
    anchored = conn.execute(sa.select(sa.func.max(anchors.c.entry_id))).scalar() or 0
    if new_id - anchored >= ANCHOR_EVERY:
        add_anchor(conn, audit, anchors, entry["at"], "partnerkit")
    return new_id


def add_anchor(conn: Connection, audit: sa.Table, anchors: sa.Table, at: str,
               made_by: str) -> dict[str, Any]:
    """Record the chain's head now (last id, its hash, how many entries); return it."""
    lock(conn)
    last = head(conn, audit)
    count = conn.execute(sa.select(sa.func.count()).select_from(audit)).scalar_one()
    anchor = {"at": at, "entry_id": last.id if last else 0,
              "head_hash": last.hash if last else GENESIS, "entries": count,
              "made_by": made_by}
    conn.execute(sa.insert(anchors).values(**anchor))
    return anchor


@dataclass
class Verdict:
    """What :func:`verify` found: intact or the first bad entry, with what is wrong."""

    entries: int = 0
    head_hash: str = GENESIS
    head_id: int = 0
    anchors_checked: int = 0
    bad_entry: int | None = None
    problem: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when every link, every hash and every anchor checked out."""
        return self.problem is None


def rows_in_order(conn: Connection, audit: sa.Table) -> Iterator[Any]:
    """Every entry, oldest first, streamed."""
    result = conn.execution_options(yield_per=1000).execute(
        sa.select(audit).order_by(audit.c.id))
    yield from result


def verify(conn: Connection, audit: sa.Table, anchors: sa.Table,
           extra_anchors: list[dict[str, Any]] | None = None) -> Verdict:
    """Walk the chain oldest first; then check it against every anchor.

    The first entry whose hash does not match its contents (edited), or whose link does
    not name the entry before it (one removed, or entries reordered) is the bad entry.
    """
    verdict = Verdict()
    stored = [dict(r._mapping) for r in conn.execute(sa.select(anchors)
                                                      .order_by(anchors.c.id))]
    every = stored + list(extra_anchors or [])
    wanted = {int(anchor["entry_id"]) for anchor in every}
    seen: dict[int, tuple[str, int]] = {}
    prev, prev_id = GENESIS, None
    for row in rows_in_order(conn, audit):
        problem = _link_problem(conn, audit, dict(row._mapping), prev, prev_id)
        if problem is not None:
            verdict.bad_entry, verdict.problem = row.id, problem
            return verdict
        verdict.entries += 1
        prev, prev_id = row.hash, row.id
        if row.id in wanted:
            seen[row.id] = (row.hash, verdict.entries)
    verdict.head_hash, verdict.head_id = prev, prev_id or 0
    for anchor in every:
        _check_anchor(verdict, anchor, seen)
        if not verdict.intact:
            return verdict
    return verdict


def _link_problem(conn: Connection, audit: sa.Table, entry: dict[str, Any], prev: str,
                  prev_id: int | None) -> str | None:
    """What is wrong with one entry's link and hash, or None."""
    if entry["prev_hash"] != prev:
        after = f"entry {prev_id}" if prev_id is not None else "the start of the trail"
        elsewhere = conn.execute(sa.select(audit.c.id)
                                 .where(audit.c.hash == entry["prev_hash"])).scalar()
        if elsewhere is not None:
            return (f"does not follow {after}: it follows entry {elsewhere}, so the entries "
                    "were reordered")
        return (f"does not follow {after}: the entry it follows is missing, so an entry "
                "was removed")
    if chain_hash(prev, entry) != entry["hash"]:
        return "was changed after it was written: its hash does not match its contents"
    return None


def _check_anchor(verdict: Verdict, anchor: dict[str, Any],
                  seen: dict[int, tuple[str, int]]) -> None:
    """Mark the verdict bad when the chain does not hold what an anchor recorded."""
    verdict.anchors_checked += 1
    entry_id, expected = int(anchor["entry_id"]), anchor["head_hash"]
    made = f"the anchor of {anchor.get('at', '?')} ({anchor.get('entries')} entries)"
    if entry_id == 0:
        return
    found = seen.get(entry_id)
    if found is None:
        verdict.bad_entry = entry_id
        verdict.problem = (f"is missing, but {made} ends with it: entries were removed "
                           "from the end of the trail")
    elif found[0] != expected:
        verdict.bad_entry = entry_id
        verdict.problem = (f"is not the entry {made} ends with: the trail was rewritten "
                           "up to it")
    elif found[1] != int(anchor["entries"]):
        verdict.bad_entry = entry_id
        verdict.problem = (f"is entry number {found[1]} of the trail, but {made} counted "
                           f"{anchor['entries']}: entries before it were removed")
