"""Fixtures for the staged support tests: a school with two pupils and a session factory."""

from __future__ import annotations

import pytest

from partnerkit.records.base import save_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.store import Store

WHO = "Pat Practitioner"


@pytest.fixture
def school(store: Store) -> Store:
    """The test store with pupils P-2001 and P-2002 in workspace 'school'."""
    save_record(store, "school", PupilProfile(pupil="P-2001", stage="S2"), WHO)
    save_record(store, "school", PupilProfile(pupil="P-2002", stage="S3"), WHO)
    return store


@pytest.fixture
def session_store(school: Store) -> Store:
    """The staged support sessions work on the school with its two pupils."""
    return school


@pytest.fixture
def session_author() -> str:
    """The practitioner these tests answer as."""
    return WHO
