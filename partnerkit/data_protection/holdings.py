"""Everything held about one pupil, as one dictionary (the subject access bundle's content).

Profile, real name (if held), map connections, answers, plans, staged support, requests
for assistance, holds, leaving date, corrections (each record as it is now, or marked
deleted), every history entry of each, the rows of the workspace's attendance files
naming the pupil, the sharing log, the report files about them in the data folder and the
audit entries about them. A parent's request for the educational record gets the same
without the audit entries (the trail's internals: who looked, refusals).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from partnerkit.access import EXPORT, GuardedStore
from partnerkit.data_protection import folder as files
from partnerkit.data_protection.subject import addresses, check, known_pupil
from partnerkit.records.sharing import sharing_log
from partnerkit.store.rows import stamp

SUBJECT, PARENT = "subject", "parent"
AUDIENCES = {SUBJECT: "the pupil (subject access request)",
             PARENT: "a parent or carer (request for the educational record)"}


def _record(raw: Any, workspace: str, kind: str, key: str) -> dict[str, Any]:
    """One record now (or its last state, if deleted) and its whole history."""
    changes = raw.history(workspace, kind, key)
    current = raw.get(workspace, kind, key)
    last = changes[-1] if changes else None
    return {
        "kind": kind, "key": key, "current": current is not None,
        "data": current.data if current is not None else (last.before if last else None),
        "created_by": changes[0].author if changes else (current.author if current else ""),
        "updated_at": stamp(current.updated_at) if current else (
            stamp(last.at) if last else ""),
        "history": [{"version": c.version, "op": c.op, "author": c.author, "at": stamp(c.at),
                     "before": c.before, "after": c.after} for c in changes],
    }


def _audit(raw: Any, workspace: str, pupil: str) -> list[dict[str, Any]]:
    """The audit entries about the pupil (its records' keys, or the pupil itself), oldest first."""
    about = [row for row in raw.audit_entries(workspace=workspace)
             if row.key == pupil or (row.key or "").startswith(f"{pupil}/")]
    return [{"at": row.at, "account": row.account, "action": row.action, "kind": row.kind,
             "key": row.key, "allowed": bool(row.allowed), "detail": row.detail}
            for row in reversed(about)]


def _attendance(found: files.FolderHoldings, data_dir: Path) -> list[dict[str, Any]]:
    return [{"file": str(path.relative_to(data_dir)), "rows": rows}
            for path, rows in found.attendance.items()]


def gather(guarded: GuardedStore, workspace: str, pupil: object, data_dir: Path, *,
           audience: str = SUBJECT) -> dict[str, Any]:
    """Everything held about one pupil (checked: the account may export, the pupil is known).

    The export is audited (``export``, with the audience), not each read it makes.
    """
    check(guarded, EXPORT, workspace, str(pupil))
    ref = known_pupil(guarded, workspace, pupil)
    raw = guarded.store
    name = raw.real_name(workspace, ref)
    found = files.find(data_dir, workspace, ref, name)
    bundle: dict[str, Any] = {
        "pupil": ref, "workspace": workspace, "audience": AUDIENCES[audience],
        "made_at": stamp(raw.clock()), "made_by": guarded.account.username,
        "real_name": name,
        "records": [_record(raw, workspace, kind, key)
                    for kind, key in addresses(guarded, workspace, ref)],
        "attendance": _attendance(found, data_dir),
        "sharing": [{**row, "on": _day(row["on"])} for row in sharing_log(raw, workspace, ref)],
        "report_files": [str(p.relative_to(data_dir)) for p in found.report_files],
    }
    if audience == SUBJECT:
        bundle["audit"] = _audit(raw, workspace, ref)
    raw.audit(guarded.account.username, "export", allowed=True, workspace=workspace,
              kind="pupil", key=ref, detail=f"subject access bundle for {AUDIENCES[audience]}")
    return bundle


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)
