"""Fixtures of the admin tests: a store with two workspaces and an admin, hashed fast."""

from __future__ import annotations

import pytest

from partnerkit import accounts
from partnerkit.store import Store

PASSWORD = "three unrelated words"


@pytest.fixture(autouse=True)
def _fast(fast_hashing):
    """Real argon2 at its lightest settings: imports add many accounts."""


@pytest.fixture
def school(store: Store) -> Store:
    """Workspaces 'school' (admin ada) and 'cohort-1' (trainer tam)."""
    accounts.add_workspace(store, "cohort-1", "Cohort 1", by="test")
    accounts.add_user(store, "ada", "Ada Admin", "admin", "school", by="test", password=PASSWORD)
    accounts.add_user(store, "tam", "Tam Trainer", "trainer", "cohort-1", by="test",
                      password=PASSWORD)
    return store
