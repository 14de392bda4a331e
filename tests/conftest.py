"""Shared fixtures: a store in tmp_path, a clock, a session, a demo folder, a notebook runner.

A test folder overrides ``session_store`` or ``session_author`` in its own conftest.py
(as Voilà's test suite does) to give :func:`session_for` its own store or practitioner.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import papermill as pm
import pytest

from partnerkit.demo import create_demo
from partnerkit.demo.accounts import DEMO_ADMIN
from partnerkit.kernel_clients import SteadyKernelManager
from partnerkit.paths import workbooks_dir
from partnerkit.session import Session
from partnerkit.store import Store


class SettableClock:
    """A clock the tests move by hand."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock()


@pytest.fixture
def store(tmp_path: Path, clock: SettableClock) -> Store:
    st = Store(data=tmp_path / "data", clock=clock)
    st.ensure_workspace("school")
    yield st
    st.close()


@pytest.fixture
def demo_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder filled by ``partnerkit demo``, set as PARTNERKIT_DATA."""
    folder = tmp_path / "demo-data"
    create_demo(data=folder)
    monkeypatch.setenv("PARTNERKIT_DATA", str(folder))
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL", raising=False)
    return folder


REPO = Path(__file__).resolve().parents[1]
CELL_TIMEOUT_S = 600
"""A workbook cell that runs longer than this in a test has hung: the test fails."""


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the lightest settings: tests that add many accounts stay fast.

    The cost is written into each hash, so a hash made with the default settings still
    checks (and the other way round).
    """
    from argon2 import PasswordHasher

    from partnerkit import accounts

    monkeypatch.setattr(accounts, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def kernel_account() -> str:
    """The account notebook kernels act as: a demo account (override per folder or test).

    The demo admin may open every workbook in the demo workspace; a test about what
    another role sees overrides this with that role's demo account (``demo-teacher``,
    ``demo-trainer`` ... see :data:`partnerkit.demo.accounts.DEMO_ACCOUNTS`).
    """
    return DEMO_ADMIN


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch, kernel_account: str) -> str:
    """Let notebook kernels import this checkout of partnerkit, acting as ``kernel_account``."""
    parts = [str(REPO), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(parts))
    monkeypatch.setenv("PARTNERKIT_ACCOUNT", kernel_account)
    return kernel_account


@pytest.fixture
def run_workbook(tmp_path: Path, kernel_env):
    """Execute a shipped workbook with papermill; return the executed notebook.

    Through the steady kernel client partnerkit's own renders use (a reply is never
    missed), and a cell that runs longer than :data:`CELL_TIMEOUT_S` fails the test
    rather than holding up the whole run.
    """

    def run(name: str, **parameters):
        source = workbooks_dir() / f"{name}.ipynb"
        out = tmp_path / f"{name}-{abs(hash(tuple(sorted(parameters.items()))))}.ipynb"
        return pm.execute_notebook(str(source), str(out), parameters=parameters,
                                   kernel_name="python3", progress_bar=False,
                                   cwd=str(tmp_path), execution_timeout=CELL_TIMEOUT_S,
                                   kernel_manager_class=SteadyKernelManager)

    return run


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path: Path):
    """A store URL for each backend: a SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'partnerkit.sqlite'}"
        return
    from tests.helpers.backends import fresh_postgres_database

    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def any_store(store_url: str, clock: SettableClock) -> Store:
    """A Store on each backend, with workspace 'school'."""
    st = Store(store_url, clock=clock)
    st.ensure_workspace("school")
    yield st
    st.close()


@pytest.fixture
def session_store(store: Store) -> Store:
    """The store the sessions of :func:`session_for` work on (override per folder)."""
    return store


@pytest.fixture
def session_author() -> str:
    """Who answers in the sessions of :func:`session_for` unless a test names someone."""
    return "Ann"


@pytest.fixture
def session_for(session_store: Store, session_author: str, tmp_path: Path):
    """Make a workbook session in workspace 'school': ``session_for(who, **parameters)``."""

    def make(who: str | None = None, *, workspace: str = "school", **params) -> Session:
        return Session(store=session_store, workspace=workspace, author=who or session_author,
                       data_dir=tmp_path, params=params)

    return make


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No Voilà request, server hand-over or account in the environment (set them per test)."""
    for name in ("VOILA_KERNEL_ID", "VOILA_REQUEST_URL", "VOILA_PREHEAT", "QUERY_STRING",
                 "PARTNERKIT_SERVED", "JUPYTERHUB_USER", "PARTNERKIT_ACCOUNT", "SCRIPT_NAME",
                 "PARTNERKIT_IDENTITY_DIR"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture(autouse=True)
def no_door_left_by_another_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no audit door in the environment.

    Building the server in this process (``serve.app.make_app``) sets
    ``$PARTNERKIT_DOOR`` and ``$PARTNERKIT_SERVED`` for its kernels; a later test of the
    store would otherwise record its entries as made from a page.
    """
    for name in ("PARTNERKIT_DOOR", "PARTNERKIT_SERVED"):
        monkeypatch.delenv(name, raising=False)
