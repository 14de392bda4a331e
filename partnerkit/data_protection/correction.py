"""Corrections: one field of a pupil's record changed, with the reason beside before and after.

The record is saved with its new value (its history keeps the change like any other) and
a :class:`~partnerkit.records.protection.Correction` record, filed under the pupil, keeps
the field, the value before, the value after and the reason. The new value must pass the
record type's own checks, so a correction never saves what a form would refuse.
"""

from __future__ import annotations

import json
from typing import Any

from partnerkit.access import CORRECT, GuardedStore
from partnerkit.data_protection.subject import addresses, check, known_pupil
from partnerkit.errors import NotFoundError, RecordValidationError
from partnerkit.records import RECORD_TYPES, validate_record
from partnerkit.records.base import save_record
from partnerkit.records.protection import Correction


def _target(guarded: GuardedStore, workspace: str, ref: str, kind: str, key: str | None) -> Any:
    key = key or ref
    if (kind, key) not in addresses(guarded, workspace, ref) or kind not in RECORD_TYPES:
        held = ", ".join(f"{k} {v}" for k, v in addresses(guarded, workspace, ref)) or "none"
        raise NotFoundError(f"is not a record of pupil {ref}", value=f"{kind} {key}",
                            where="record to correct", fix=f"use one of: {held}")
    stored = guarded.store.get(workspace, kind, key)
    if stored is None:
        raise NotFoundError("was deleted, so it cannot be corrected", value=f"{kind} {key}",
                            where="record to correct", fix="erase it instead, if it is wrong")
    return stored


def prepare(guarded: GuardedStore, workspace: str, pupil: object, kind: str, field: str,
            value: Any, reason: str, *, key: str | None = None) -> tuple[Any, Correction]:
    """Check a correction whole without saving it: (the corrected record, the correction).

    The same checks as :func:`correct` (who may, which pupil, record and field, the new
    value passes the record type's checks, a reason is given), so a page can show what
    will change before anyone confirms it.
    """
    check(guarded, CORRECT, workspace, str(pupil))
    ref = known_pupil(guarded, workspace, pupil)
    stored = _target(guarded, workspace, ref, kind, key)
    record_type = RECORD_TYPES[kind]
    if field not in record_type.model_fields or field == "pupil":
        raise RecordValidationError("is not a field that can be corrected", value=field,
                                    where=f"{kind} {stored.key}",
                                    fix="use one of: " + ", ".join(
                                        f for f in record_type.model_fields if f != "pupil"))
    fixed = validate_record(record_type, {**stored.data, field: value})
    note = validate_record(Correction, {
        "pupil": ref, "record_kind": kind, "corrected_key": stored.key, "field": field,
        "before": stored.data.get(field), "after": fixed.model_dump(mode="json")[field],
        "reason": reason})
    if note.before == note.after:
        raise RecordValidationError("is the value the record holds already", value=value,
                                    where=f"{kind} {stored.key}, field {field}",
                                    fix="type the right value, or leave the record as it is")
    return fixed, note


def correct(guarded: GuardedStore, workspace: str, pupil: object, kind: str, field: str,
            value: Any, reason: str, *, key: str | None = None) -> Correction:
    """Change ``field`` of the pupil's record ``kind``/``key`` to ``value``, keeping why."""
    fixed, note = prepare(guarded, workspace, pupil, kind, field, value, reason, key=key)
    author = guarded.account.username
    save_record(guarded.store, workspace, fixed, author)
    save_record(guarded.store, workspace, note, author)
    guarded.store.audit(author, "correct", allowed=True, workspace=workspace, kind=kind,
                        key=note.corrected_key,
                        detail=f"field {field} (the reason is kept with the correction)")
    return note


def typed_value(text: str, before: Any) -> Any:
    """What a person typed as the new value, read as the field holds it.

    A list (the value before was one, or the text starts with ``[``) is a JSON list, or
    one item per line; anything else stays text, and the record type's own checks read
    it (a date, a number, yes or no) or refuse it with their message.
    """
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            return json.loads(stripped)
        except ValueError:
            raise RecordValidationError("is not a list written as JSON", value=text,
                                        where="new value",
                                        fix='write ["first", "second"], or one item per '
                                            "line") from None
    if isinstance(before, list):
        return [line.strip() for line in text.splitlines() if line.strip()]
    return stripped
