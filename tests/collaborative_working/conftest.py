"""Fixtures for the collaborative working tests: a session for a named practitioner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from partnerkit.session import Session
from partnerkit.store import Store
from tests.collaborative_working.attempts import WHO


@pytest.fixture
def session_for(store: Store, tmp_path: Path) -> Callable[..., Session]:
    """Make a session on the test store in workspace 'school' for a practitioner."""

    def make(who: str = WHO) -> Session:
        return Session(store=store, workspace="school", author=who, data_dir=tmp_path)

    return make
