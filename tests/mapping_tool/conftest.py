"""Fixtures of the mapping tool tests: a store with one pupil's profile."""

from __future__ import annotations

import pytest

from partnerkit.records.base import save_record
from partnerkit.records.mapping import PupilProfile
from partnerkit.store import Store


@pytest.fixture
def pupil_store(store: Store) -> Store:
    """The ``school`` workspace with pupil P-1 (needs poverty, lives in Eastfield)."""
    save_record(store, "school", PupilProfile(pupil="P-1", needs=["poverty"],
                                              neighbourhood="Eastfield"), "Ann")
    return store
