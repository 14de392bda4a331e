"""Fixtures for the staged support tests: a school with two pupils and a session factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from partnerkit.records.base import save_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.session import Session
from partnerkit.store import Store

WHO = "Pat Practitioner"


@pytest.fixture
def school(store: Store) -> Store:
    """The test store with pupils P-2001 and P-2002 in workspace 'school'."""
    save_record(store, "school", PupilProfile(pupil="P-2001", stage="S2"), WHO)
    save_record(store, "school", PupilProfile(pupil="P-2002", stage="S3"), WHO)
    return store


@pytest.fixture
def session_for(school: Store, tmp_path: Path) -> Callable[..., Session]:
    """Make a session on the school for a pupil (the workbook's ``pupil`` parameter)."""

    def make(pupil: str = "P-2001") -> Session:
        return Session(store=school, workspace="school", author=WHO, data_dir=tmp_path,
                       params={"pupil": pupil})

    return make
