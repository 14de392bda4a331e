"""The mapping tool's data: a pupil's profile, connections, answers and gaps read from the store.

Every read checks the pupil reference with :func:`partnerkit.records.refs.pupil_ref`
(a bad reference raises :class:`~partnerkit.errors.PupilReferenceError`, whichever door
it came through). Tables are DataFrames with the fixed columns documented here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from partnerkit.content import Content
from partnerkit.errors import NotFoundError
from partnerkit.mapping_tool.rules import QUESTION_IDS, Gap, find_gaps
from partnerkit.records.base import load_record, load_records
from partnerkit.records.mapping import Answer, Connection, DirectoryEntry, PupilProfile
from partnerkit.records.refs import pupil_ref
from partnerkit.store import Store

LISTED_PUPILS = 20
"""An unknown pupil's message lists at most this many of the pupils there are."""

GAP_COLUMNS: tuple[str, ...] = ("gap_type", "subject", "detail", "suggestions")
"""The columns of the gap table.

``gap_type``: one of :data:`~partnerkit.mapping_tool.rules.GAP_TYPES`; ``subject``: the
layer, need or connection the gap is about; ``detail``: a sentence saying what is
missing; ``suggestions``: the directory organisations suggested, separated by "; "
(empty when none match).
"""

CONNECTION_COLUMNS: tuple[str, ...] = (
    "id", "name", "layer", "role", "quality", "direction", "offers", "helps_with",
    "works_with_family", "done_before", "key_contact", "contacted", "notes")
"""The columns of the connections table: the fields of a
:class:`~partnerkit.records.mapping.Connection` except the pupil, one row per connection
in the order they were added (``helps_with`` is a list of needs)."""


# ------------------------------------------------------------------ pupils


def pupils(store: Store, workspace: str) -> list[str]:
    """The pupil references with a profile in the workspace, sorted."""
    return sorted(p.pupil for p in load_records(store, workspace, PupilProfile))


def how_to_add(pupil: str) -> str:
    """The fix for an unknown pupil: how to add one with this reference."""
    return (f"to add a pupil, open the mapping workbook with the new reference "
            f"(pupil = \"{pupil}\") and fill in the pupil characteristics form, or run "
            "'partnerkit demo' to get example pupils P-1001 to P-1005")


def _listing(known: Sequence[str]) -> str:
    if not known:
        return "this workspace has no pupils yet"
    shown = ", ".join(known[:LISTED_PUPILS])
    if len(known) > LISTED_PUPILS:
        shown += f" and {len(known) - LISTED_PUPILS} more"
    return f"the pupils in this workspace are {shown}"


def require_pupil(store: Store, workspace: str, pupil: Any) -> PupilProfile:
    """The pupil's profile, or a NotFoundError listing the pupils there are and how to add one.

    Raises:
        PupilReferenceError: the reference is not a pseudonymous code.
        NotFoundError: the reference is valid but no profile has it.
    """
    reference = pupil_ref(pupil)
    profile = load_record(store, workspace, PupilProfile, reference)
    if profile is not None:
        return profile
    raise NotFoundError(f"there is no pupil {reference!r} in workspace {workspace!r}; "
                        f"{_listing(pupils(store, workspace))}", value=reference,
                        where="pupil", fix=how_to_add(reference))


def real_name(store: Store, workspace: str, pupil: str) -> str | None:
    """The pupil's real name, kept apart from the map, or None if none was given."""
    return store.real_name(workspace, pupil_ref(pupil))


# ------------------------------------------------------------------ the map


def pupil_connections(store: Store, workspace: str, pupil: str) -> list[Connection]:
    """The pupil's connections, in the order they were added."""
    return load_records(store, workspace, Connection, prefix=f"{pupil_ref(pupil)}/")


def connections_frame(store: Store, workspace: str, pupil: str) -> pd.DataFrame:
    """The pupil's connections as a table with the columns of :data:`CONNECTION_COLUMNS`."""
    rows = [c.model_dump(include=set(CONNECTION_COLUMNS))
            for c in pupil_connections(store, workspace, pupil)]
    return pd.DataFrame(rows, columns=list(CONNECTION_COLUMNS))


def directory_entries(store: Store, workspace: str) -> list[DirectoryEntry]:
    """The workspace's partner directory."""
    return load_records(store, workspace, DirectoryEntry)


def pupil_answers(store: Store, workspace: str, pupil: str) -> dict[str, str]:
    """The pupil's answers to the reflective questions by question id ("" if not answered)."""
    reference = pupil_ref(pupil)
    answers = {}
    for question in QUESTION_IDS:
        answer = load_record(store, workspace, Answer, f"{reference}/{question}")
        answers[question] = answer.text if answer else ""
    return answers


# ------------------------------------------------------------------ gaps


def gaps_frame(gaps: Sequence[Gap]) -> pd.DataFrame:
    """The gap table with the columns of :data:`GAP_COLUMNS` (one row per gap)."""
    rows = [{"gap_type": g.gap_type, "subject": g.subject, "detail": g.detail,
             "suggestions": "; ".join(e.organisation for e in g.suggestions)} for g in gaps]
    return pd.DataFrame(rows, columns=list(GAP_COLUMNS))


def pupil_gaps(store: Store, workspace: str, pupil: str,
               content: Content | None = None) -> list[Gap]:
    """The gaps in a stored pupil's map, with suggestions from the workspace directory."""
    profile = require_pupil(store, workspace, pupil)
    return find_gaps(profile, pupil_connections(store, workspace, profile.pupil),
                     directory_entries(store, workspace), content)


__all__ = [
    "CONNECTION_COLUMNS", "GAP_COLUMNS", "LISTED_PUPILS", "connections_frame",
    "directory_entries", "gaps_frame", "how_to_add", "pupil_answers", "pupil_connections",
    "pupil_gaps", "pupils", "real_name", "require_pupil",
]
