"""A record type with one field of each kind, and its form, for the form tests."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from partnerkit.forms import RecordForm, record_form
from partnerkit.records.base import Record
from partnerkit.store import Store


class Row(BaseModel):
    who: str = Field("", title="Who")
    what: str = Field("", title="What")


class Sample(Record):
    kind = "test_sample"

    key: str = Field("k", title="Key")
    title: str = Field(title="Title", min_length=1)
    body: str = Field("", title="Body", json_schema_extra={"widget": "textarea"})
    status: Literal["open", "closed"] = Field("open", title="Status",
                                              json_schema_extra={"choices": {"open": "Still open"}})
    rating: Literal[1, 2, 3, 4, 5] | None = Field(None, title="Rating")
    count: int = Field(0, title="Count", ge=0, le=10)
    due: dt.date | None = Field(None, title="Due date")
    done: bool = Field(False, title="Done")
    tags: list[str] = Field(default_factory=list, title="Tags")
    rows: list[Row] = Field(default_factory=list, title="Roles")

    def record_key(self) -> str:
        return self.key


def form(store: Store, **kwargs) -> RecordForm:
    """The form of the sample record with key ``k``."""
    return record_form(Sample, store=store, workspace="school", author="Ann",
                       fixed={"key": "k"}, **kwargs)


def saved(store: Store) -> dict | None:
    """The saved sample record's data, or None."""
    record = store.get("school", "test_sample", "k")
    return None if record is None else record.data
