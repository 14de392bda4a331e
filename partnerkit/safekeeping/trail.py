"""The audit trail from the command line: verify the chain, export entries, export an anchor.

``verify`` says in one line whether the chain is whole and, if not, which entry is the
first bad one and what is wrong with it. ``export`` writes the entries asked for (a
workspace, a pupil, an account, a door, a time span) as CSV a spreadsheet opens safely
(no cell runs as a formula) or as JSON lines, owner-only. ``anchor`` records the chain's
head in the store and writes it to an owner-only JSON file for the data-protection lead
to keep away from the store: a later ``verify --anchor FILE`` proves nothing before that
head was rewritten or removed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnerkit import paths
from partnerkit.errors import AuditTrailError
from partnerkit.tables.out import neutralise

if TYPE_CHECKING:
    from partnerkit.store import Store

ANCHOR_FORMAT = "partnerkit-audit-anchor/1"
COLUMNS = ("id", "at", "account", "action", "allowed", "door", "workspace", "kind", "key",
           "detail", "hash")
"""The columns of an export, in order (the hash lets an export be checked against the chain)."""
FORMATS = ("csv", "jsonl")


def verify(store: Store, anchor_files: list[str] | None = None) -> tuple[bool, str]:
    """Check the chain and every anchor; (intact, the one line to print)."""
    extra = [read_anchor(Path(name)) for name in anchor_files or ()]
    verdict = store.verify_audit(extra)
    if verdict.intact:
        return True, (f"The audit trail is intact: {verdict.entries} entries, head "
                      f"{verdict.head_hash[:16]}… (entry {verdict.head_id}), checked against "
                      f"{verdict.anchors_checked} anchors.")
    return False, (f"The audit trail is broken at entry {verdict.bad_entry}: entry "
                   f"{verdict.bad_entry} {verdict.problem}. {verdict.entries} entries before "
                   "it are intact; restore the store from a backup made before the change "
                   "and tell your data-protection officer.")


def read_anchor(path: Path) -> dict[str, Any]:
    """An exported anchor, checked: format, entry id, hash and count."""
    where = f"anchor file {path}"
    try:
        anchor = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuditTrailError("does not exist", value=str(path), where=where,
                              fix="give the file partnerkit audit anchor wrote") from None
    except (OSError, ValueError) as exc:
        raise AuditTrailError(f"cannot be read as an anchor ({exc})", value=str(path),
                              where=where,
                              fix="give the file partnerkit audit anchor wrote") from None
    fine = (isinstance(anchor, dict) and anchor.get("format") == ANCHOR_FORMAT
            and isinstance(anchor.get("entry_id"), int) and isinstance(anchor.get("entries"), int)
            and isinstance(anchor.get("head_hash"), str) and len(anchor["head_hash"]) == 64)
    if not fine:
        raise AuditTrailError("is not a partnerkit audit anchor", value=str(path), where=where,
                              fix="give the file partnerkit audit anchor wrote")
    return anchor


def anchor(store: Store, by: str, out: str | None) -> tuple[Path, dict[str, Any]]:
    """Anchor the chain now and write the anchor, owner-only, to ``out`` (or the data folder)."""
    made = store.anchor_audit(by)
    record = {"format": ANCHOR_FORMAT, "store": repr(store), **made}
    stamp = made["at"][:19].replace(":", "")
    target = Path(out) if out else _default_folder(store) / f"audit-anchor-{stamp}.json"
    _write_private(target, json.dumps(record, indent=2) + "\n")
    return target, record


def export(store: Store, out: str | None, *, fmt: str = "csv", **filters: Any) -> tuple[Path, int]:
    """Write the entries the filters pick, oldest first; (the file, how many entries)."""
    if fmt not in FORMATS:
        raise AuditTrailError("is not an export format", value=fmt, where="--format",
                              fix="use csv or jsonl")
    rows = store.audit_entries(oldest_first=True, **_times(filters))
    entries = [{name: getattr(row, name) for name in COLUMNS} for row in rows]
    text = _csv(entries) if fmt == "csv" else "".join(
        json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
    target = Path(out) if out else _default_folder(store) / f"audit-trail.{fmt}"
    _write_private(target, text)
    return target, len(entries)


def _times(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters with ``since``/``until`` read as dates or times (ISO 8601)."""
    picked = {name: value for name, value in filters.items() if value is not None}
    for name in ("since", "until"):
        if name in picked and isinstance(picked[name], str):
            try:
                picked[name] = datetime.fromisoformat(picked[name])
            except ValueError:
                raise AuditTrailError("is not a date or time", value=picked[name],
                                      where=f"--{name}",
                                      fix="write it as 2026-12-01 or 2026-12-01T09:30") from None
    return picked


def _csv(entries: list[dict[str, Any]]) -> str:
    """Entries as CSV with a heading row; no cell runs as a formula in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([neutralise(entry[name]) for name in COLUMNS])
    return buffer.getvalue()


def _default_folder(store: Store) -> Path:
    """Where exports go by default: ``audit/`` in the store's data folder, or here."""
    base = store.path.parent if store.path is not None else Path.cwd()
    return paths.private_dir(base / "audit")


def _write_private(target: Path, text: str) -> None:
    """Write a file readable by its owner only (made so before any byte is written)."""
    paths.private_file(target)
    target.write_text(text, encoding="utf-8")
