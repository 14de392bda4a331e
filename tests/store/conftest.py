"""The store tests' backends: ``store_url`` marked, so ``-m postgres`` picks PostgreSQL runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.backends import BACKENDS, backend_url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A store URL for each backend (overrides the suite's unmarked one)."""
    with backend_url(request.param, tmp_path) as url:
        yield url
