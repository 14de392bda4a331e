"""The sharing log: what was shared about a pupil, with whom, on what basis, and what was not.

GIRFEC practice asks a school to record every sharing of a child's information and every
decision not to share. Two sources make one log, oldest first:

* every request for assistance that was made (its record says the service, the reason,
  and the basis: the agreement of the parents/carers and the learner, or the child
  protection exception with the local procedure named);
* :class:`SharingEntry` records: a report exported about the pupil, a subject access
  bundle handed over, information shared another way, or a decision not to share.

The log appears in the subject access bundle and in the pupil's pack (the map summary).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from partnerkit.records.base import Record, new_id
from partnerkit.records.mapping import PupilRef
from partnerkit.records.support import RequestForAssistance

if TYPE_CHECKING:
    from partnerkit.store import Store

Basis = Literal["consent", "child_protection", "subject_access", "parent_request", "export",
                "other"]
BASES: dict[str, str] = {
    "consent": "agreement of the parents/carers and the learner",
    "child_protection": "child protection exception",
    "subject_access": "subject access request (UK GDPR article 15)",
    "parent_request": "parent's request for the educational record (Pupils' Educational "
                      "Records (Scotland) Regulations 2003)",
    "export": "a report exported from partnerkit (to whom it goes is recorded when it is "
              "handed over)",
    "other": "another basis (see the reason)",
}
"""Each basis for sharing and how the log words it."""
COLUMNS = ("on", "shared", "what", "with_whom", "basis", "source", "by")
"""The fixed columns of a :func:`sharing_log` row."""


EXPORT_ID_PREFIX = "export-"
"""Export entries' ids start so: a report's own export log does not make it out of date."""


def is_export_key(key: str) -> bool:
    """Whether a record key (``<pupil>/<id>``) is a sharing entry logging a report export."""
    return "/" in key and key.split("/", 1)[1].startswith(EXPORT_ID_PREFIX)


class SharingEntry(Record):
    """One sharing of a pupil's information, or one decision not to share it."""

    kind = "sharing_entry"

    pupil: PupilRef = Field(title="Pupil reference")
    id: str = Field(default_factory=new_id, title="Entry id")
    shared: bool = Field(True, title="Shared (untick for a decision not to share)")
    what: str = Field(title="What was shared (or asked for)", min_length=1, max_length=1000)
    with_whom: str = Field(title="With whom", min_length=1, max_length=300)
    basis: Basis = Field("consent", title="Basis", json_schema_extra={"choices": BASES})
    procedure: str = Field("", title="Local child protection procedure followed",
                           max_length=500, validate_default=True)
    reason: str = Field("", title="Reason", max_length=2000, validate_default=True)
    on: dt.date = Field(title="Date")

    @field_validator("procedure", mode="after")
    @classmethod
    def _procedure_named(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("basis") == "child_protection" and not value.strip():
            raise ValueError("sharing under the child protection exception follows the local "
                             "procedure: name it")
        return value

    @field_validator("reason", mode="after")
    @classmethod
    def _reason_given(cls, value: str, info: ValidationInfo) -> str:
        if not value.strip() and (info.data.get("shared") is False
                                  or info.data.get("basis") == "other"):
            raise ValueError("say why (a decision not to share, or another basis, needs "
                             "its reason)")
        return value

    def record_key(self) -> str:
        """Entries are filed under their pupil."""
        return f"{self.pupil}/{self.id}"


def basis_text(basis: str, procedure: str = "") -> str:
    """How the log words a basis (the child protection exception names its procedure)."""
    text = BASES.get(basis, basis)
    return f"{text}: {procedure}" if basis == "child_protection" and procedure else text


def record_sharing(store: Store, workspace: str, author: str, **values: Any) -> SharingEntry:
    """Validate and save one sharing entry (``values`` are :class:`SharingEntry` fields)."""
    from partnerkit.records.base import save_record, validate_record

    entry = validate_record(SharingEntry, values)
    save_record(store, workspace, entry, author)
    return entry


def record_export(store: Store, workspace: str, by: str, pupil: str, what: str, *,
                  to: str = "") -> SharingEntry:
    """Log a report about the pupil leaving partnerkit: what, by whom, and to whom if known.

    Every door that hands a pupil's report out (a page's download, ``partnerkit render``)
    calls this. It is written on the plain store (under a guarded one): the log is kept
    whatever the exporter may write, as the account that exported (``by``). Without a
    recipient, the entry says who took it ("downloaded by <account>"), the honest minimum.
    """
    from partnerkit.access import GuardedStore

    plain = store.store if isinstance(store, GuardedStore) else store
    return record_sharing(plain, workspace, by, pupil=pupil, what=what,
                          with_whom=to or f"not known: taken out of partnerkit by {by}",
                          basis="export", on=plain.clock().date(),
                          id=f"{EXPORT_ID_PREFIX}{new_id()}")


def _request_row(stored: Any) -> dict[str, Any] | None:
    """A made request for assistance as a log row (a draft shares nothing: None)."""
    request = RequestForAssistance.model_validate(stored.data)
    if request.status != "requested":
        return None
    basis = ("child_protection" if request.child_protection else "consent")
    return {"on": request.requested_on or stored.created_at.date(), "shared": True,
            "what": f"request for assistance: {request.reason}".strip(),
            "with_whom": request.service_label(),
            "basis": basis_text(basis, request.local_procedure),
            "source": "request for assistance", "by": stored.author}


def _entry_row(stored: Any) -> dict[str, Any]:
    entry = SharingEntry.model_validate(stored.data)
    what = entry.what if entry.shared else f"{entry.what} (not shared: {entry.reason})"
    basis = basis_text(entry.basis, entry.procedure)
    if entry.shared and entry.reason:
        basis = f"{basis} ({entry.reason})"
    return {"on": entry.on, "shared": entry.shared, "what": what, "with_whom": entry.with_whom,
            "basis": basis, "source": "sharing log", "by": stored.author}


def sharing_log(store: Store, workspace: str, pupil: str) -> list[dict[str, Any]]:
    """The pupil's sharing log, oldest first; each row has the :data:`COLUMNS`."""
    rows = [row for stored in store.list(workspace, RequestForAssistance.kind,
                                         prefix=f"{pupil}/")
            if (row := _request_row(stored)) is not None]
    rows += [_entry_row(s) for s in store.list(workspace, SharingEntry.kind, prefix=f"{pupil}/")]
    return sorted(rows, key=lambda row: (row["on"], row["source"], row["what"]))
