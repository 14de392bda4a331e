"""The subject access bundle as a page people read (HTML, printed to PDF).

Each record is a table of its fields as they are now; the history is one table of
changes (when, who, which record, and each field's value before and after); attendance
rows, the sharing log, report files and (for the pupil, not a parent) the audit entries
follow. Values are shown as typed (the template escapes them).
"""

from __future__ import annotations

from typing import Any

from partnerkit.reports import render_html

TEMPLATE = "subject_access.html.j2"
KIND_TITLES = {
    "pupil_profile": "Profile", "connection": "Map: people and organisations",
    "answer": "Answers", "staged_support_plan": "Staged support plan (ASPIRE)",
    "request_for_assistance": "Requests for assistance",
    "parent_partnership": "Partnership with parents/carers", "postcard": "Home/school postcards",
    "sharing_entry": "Sharing log entries", "legal_hold": "Legal hold",
    "pupil_left": "Leaving date", "correction": "Corrections",
}
"""What the bundle calls each kind of record."""


def show(value: Any) -> str:
    """A stored value as text: lists one item per line, nested values as ``name: value``."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(show(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {show(v)}" for k, v in value.items()
                         if show(v))
    return str(value)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None
                   ) -> list[dict[str, str]]:
    """Each field whose value differs between two versions: name, before and after."""
    old, new = before or {}, after or {}
    return [{"field": name.replace("_", " "), "before": show(old.get(name)),
             "after": show(new.get(name))}
            for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]


def _groups(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        rows = [(name.replace("_", " "), show(value))
                for name, value in (record["data"] or {}).items() if name != "pupil"]
        groups.setdefault(record["kind"], []).append({**record, "rows": rows})
    return [{"title": KIND_TITLES.get(kind, kind.replace("_", " ")), "records": items}
            for kind, items in groups.items()]


def _history(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = [{**change, "record": f"{KIND_TITLES.get(r['kind'], r['kind'])} ({r['key']})",
                "fields": changed_fields(change["before"], change["after"])}
               for r in records for change in r["history"]]
    return sorted(entries, key=lambda e: (e["at"], e["record"], e["version"]))


def audit_summary(entries: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The audit entries counted by person, action, record and outcome, first and last time.

    A page redrawn or a record opened every day makes thousands of entries; the readable
    copy counts them (the JSON keeps every one). None stays None (a parent's bundle).
    """
    if entries is None:
        return None
    grouped: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in entries:
        key = (entry["account"], entry["action"], entry["kind"], entry["key"], entry["allowed"])
        row = grouped.setdefault(key, {**entry, "count": 0, "first": entry["at"]})
        row["count"] += 1
        row["last"] = entry["at"]
    return sorted(grouped.values(), key=lambda row: (row["first"], row["account"]))


def bundle_html(bundle: dict[str, Any]) -> str:
    """The bundle as a report page (the same template prints to PDF)."""
    records = bundle["records"]
    return render_html(
        TEMPLATE, workspace=bundle["workspace"], frameworks=[],
        title=f"Everything held about pupil {bundle['pupil']}", bundle=bundle,
        groups=_groups(records), history=_history(records),
        attendance=bundle["attendance"], sharing=bundle["sharing"],
        report_files=bundle["report_files"], audit=audit_summary(bundle.get("audit")))


def subject_access_html(store: Any, workspace: str, pupil: str, data_dir: Any = None) -> str:
    """The subject access bundle of one pupil as a report page (the catalog's builder).

    ``store`` is the guarded store of the account rendering (only the data-protection
    lead may); the export is audited like ``partnerkit pupil export``.
    """
    from pathlib import Path

    from partnerkit import paths
    from partnerkit.data_protection.holdings import gather

    folder = Path(data_dir) if data_dir else paths.data_dir()
    return bundle_html(gather(store, workspace, pupil, folder))
