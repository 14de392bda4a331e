"""Fixtures for the collaborative working tests: a session for a named practitioner."""

from __future__ import annotations

import pytest

from tests.collaborative_working.attempts import WHO


@pytest.fixture
def session_author() -> str:
    """The practitioner these tests answer as."""
    return WHO
