"""The base of every record type and the typed calls between records and the store."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from partnerkit.errors import RecordValidationError

if TYPE_CHECKING:  # records take a store as an argument; rules import records, never the store
    from partnerkit.store import Change, Store, StoredRecord

RECORD_TYPES: dict[str, type[Record]] = {}
"""Every record type by its kind."""

R = TypeVar("R", bound="Record")


class Record(BaseModel):
    """A thing a practitioner enters. Subclasses set ``kind`` and define ``record_key``.

    Field metadata drives the form engine: ``title`` is the label, ``description`` the
    help text, and ``json_schema_extra`` may hold ``widget`` ("textarea", "checkboxes",
    "radio"), ``content`` (a content id whose text becomes the help) and ``choices``
    (labels for enumeration values).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind"):
            RECORD_TYPES[cls.kind] = cls

    def record_key(self) -> str:
        """The record's address within its workspace and kind."""
        raise NotImplementedError


def new_id() -> str:
    """A short random id for a record the practitioner adds (a connection, an entry)."""
    return uuid.uuid4().hex[:12]


def validate_record(record_type: type[R], data: dict[str, Any]) -> R:
    """Build a record from entered values or raise RecordValidationError per field."""
    try:
        return record_type.model_validate(data)
    except ValidationError as exc:
        raise _as_record_error(record_type, exc) from None


def _as_record_error(record_type: type[Record], exc: ValidationError) -> RecordValidationError:
    field_errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "__root__"
        field_errors.setdefault(field, _friendly(error))
    first_field, first_message = next(iter(field_errors.items()))
    label = _label(record_type, first_field)
    return RecordValidationError(first_message, field_errors=field_errors,
                                 value=exc.errors()[0].get("input"), where=label,
                                 fix="correct the value and it will be saved")


def _label(record_type: type[Record], field: str) -> str:
    info = record_type.model_fields.get(field)
    return (info.title if info and info.title else field.replace("_", " "))


def _friendly(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    value = error.get("input")
    if kind == "missing":
        return "this is required"
    if kind in {"string_too_short"} and not value:
        return "this is required"
    if kind.startswith("date"):
        return f"{value!r} is not a date; use the date picker or YYYY-MM-DD"
    if kind == "literal_error":
        return f"{value!r} is not one of the choices; pick one from the list"
    if kind in _BOUNDS:
        limit = next(iter((error.get("ctx") or {}).values()), "")
        return f"{value!r} is out of range: it must be {_BOUNDS[kind]} {limit}"
    if kind.startswith("int") or kind.startswith("float"):
        return f"{value!r} is not a number; type a whole number"
    return _friendly_size(kind, value, error.get("ctx") or {}) or _own_message(kind, error)


_BOUNDS = {"less_than_equal": "at most", "greater_than_equal": "at least",
           "less_than": "less than", "greater_than": "more than"}


def _friendly_size(kind: str, value: Any, ctx: dict[str, Any]) -> str | None:
    """Too long or too short, in words: how long it is and how long it may be."""
    if kind == "string_too_long":
        return (f"this is too long: at most {ctx.get('max_length')} characters fit, and it "
                f"has {len(str(value))}; shorten it")
    if kind == "string_too_short":
        return f"this is too short: type at least {ctx.get('min_length')} characters"
    if kind == "too_long":
        return f"there are too many: at most {ctx.get('max_length')}; remove some"
    if kind == "too_short":
        return f"there are too few: at least {ctx.get('min_length')} are needed"
    return None


def _own_message(kind: str, error: dict[str, Any]) -> str:
    """A validator's own message (written in words), else a plain one: never pydantic's."""
    if kind in {"value_error", "assertion_error"}:
        return str(error.get("msg", "")).removeprefix("Value error, ").removeprefix(
            "Assertion failed, ") or "this is not valid"
    return "this is not a value this field can take; check it and type it again"


def save_record(store: Store, workspace: str, record: Record, author: str, *,
                coalesce: timedelta | None = None, only_if_new: bool = False) -> StoredRecord:
    """Save a validated record under its kind and key (``only_if_new``: refuse to replace)."""
    return store.save(workspace, record.kind, record.record_key(),
                      record.model_dump(mode="json"), author, coalesce=coalesce,
                      only_if_new=only_if_new)


def load_record(store: Store, workspace: str, record_type: type[R], key: str,
                as_of: Any = None) -> R | None:
    """Load one record (as it is now, or as it was at ``as_of``), or None."""
    stored = store.get(workspace, record_type.kind, key, as_of=as_of)
    return None if stored is None else record_type.model_validate(stored.data)


def load_records(store: Store, workspace: str, record_type: type[R], *,
                 prefix: str | None = None, author: str | None = None) -> list[R]:
    """Load every current record of a type, optionally by key prefix or owner."""
    return [record_type.model_validate(s.data)
            for s in store.list(workspace, record_type.kind, prefix=prefix, author=author)]


def delete_record(store: Store, workspace: str, record: Record, author: str) -> bool:
    """Delete a record (its history is kept)."""
    return store.delete(workspace, record.kind, record.record_key(), author)


def record_history(store: Store, workspace: str, record: Record) -> list[Change]:
    """Every change to a record, oldest first."""
    return store.history(workspace, record.kind, record.record_key())
