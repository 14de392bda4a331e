"""What practitioners enter: typed, validated records and the calls that store them.

Each record type is a pydantic model with a ``kind`` (its table of records) and a
``record_key()`` (its address within a workspace). The form engine builds its widgets
from the fields; the store keeps them as JSON with their history. The record types
live by feature in the modules of this package and are all re-exported here.
"""

from partnerkit.records import (  # noqa: F401  (registers every record type in RECORD_TYPES)
    attendance,
    module,
    plan,
    training,
)
from partnerkit.records.base import (
    RECORD_TYPES,
    Record,
    delete_record,
    load_record,
    load_records,
    new_id,
    record_history,
    save_record,
    validate_record,
)
from partnerkit.records.mapping import (
    DIRECTIONS,
    LAYERS,
    NEEDS,
    QUALITIES,
    Answer,
    Connection,
    DirectoryEntry,
    PupilProfile,
    check_pupil_ref,
)

__all__ = [
    "DIRECTIONS", "LAYERS", "NEEDS", "QUALITIES", "RECORD_TYPES", "Answer", "Connection",
    "DirectoryEntry", "PupilProfile", "Record", "check_pupil_ref", "delete_record",
    "load_record", "load_records", "new_id", "record_history", "save_record",
    "validate_record",
]
