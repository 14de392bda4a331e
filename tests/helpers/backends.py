"""Store backends for the tests: a SQLite file in tmp_path, and a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

TEST_URL_ENV = "PARTNERKIT_TEST_DATABASE_URL"


def postgres_url() -> str | None:
    """The test server URL, or None (postgres tests then skip, or fail in CI)."""
    url = os.environ.get(TEST_URL_ENV)
    if not url and os.environ.get("PARTNERKIT_REQUIRE_POSTGRES"):
        pytest.fail(f"{TEST_URL_ENV} is not set but PostgreSQL tests are required; "
                    "run scripts/test.sh, which starts the server")
    return url


@contextmanager
def scratch_database(server: str, prefix: str = "pk_test") -> Iterator[str]:
    """Create an empty database on a PostgreSQL server; drop it afterwards."""
    base = sa.make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: sa.Engine, name: str, tries: int = 20) -> None:
    """Drop a scratch database, waiting out an autovacuum worker on it.

    ``WITH (FORCE)`` ends the tests' own connections, but a test role may not end the
    server's autovacuum worker (a busy database gets one), so the drop is tried again.
    """
    import time

    for attempt in range(tries):
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError:
            if attempt == tries - 1:
                raise
            time.sleep(0.5)


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database on the test server; drop it afterwards."""
    url = postgres_url()
    if not url:
        pytest.skip(f"no PostgreSQL server ({TEST_URL_ENV} unset)")
    with scratch_database(url) as fresh:
        yield fresh


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""The store backends a test runs on; ``-m postgres`` picks the PostgreSQL runs."""


@contextmanager
def backend_url(backend: str, folder: Path) -> Iterator[str]:
    """A store URL on ``backend``: a SQLite file in ``folder``, or a fresh PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'data' / 'partnerkit.sqlite'}"
        return
    with fresh_postgres_database() as url:
        yield url
