"""PostgreSQL down while a page saves: the page says "Not saved" in plain words and keeps the
text; once the database is back the next save stores the answer whole, and nothing
half-written is in the store or its history.

The server runs over a fresh PostgreSQL database. The database is made unreachable the way
an outage looks to partnerkit: new connections are refused (``ALLOW_CONNECTIONS false``)
and every open one is ended (``pg_terminate_backend``); it is allowed again after.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from partnerkit.demo import create_demo
from partnerkit.store import open_store
from tests.browser.conftest import running_server, signed_in_page
from tests.helpers.backends import fresh_postgres_database, postgres_url
from tests.helpers.isolation import pinned, wait_for_widgets
from tests.helpers.served_pages import assert_no_traceback, form_of, open_workbook, status_of
from tests.serve.people import add_people

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

FIELD = "Siblings"


@pytest.fixture
def pg_server(tmp_path, chromium_path):
    """``partnerkit serve`` (no preheated kernels) over a fresh PostgreSQL database."""
    with fresh_postgres_database() as url:
        def prepare(data):
            create_demo(data=data, url=url)
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("PARTNERKIT_DATABASE_URL", url)
                add_people(data)

        with running_server(tmp_path, "--pool", "0", prepare=prepare,
                            env={"PARTNERKIT_DATABASE_URL": url}) as server:
            server.database_url = url
            yield server


def _admin() -> sa.Engine:
    """A connection to the test server's own database (not the one made unreachable)."""
    base = postgres_url().replace("postgresql://", "postgresql+psycopg://", 1)
    return sa.create_engine(base, isolation_level="AUTOCOMMIT")


@contextmanager
def database_down(url: str) -> Iterator[None]:
    """The database of ``url`` refuses new connections and has none open; back after."""
    name = sa.make_url(url).database
    admin = _admin()
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :name AND pid <> pg_backend_pid()"),
                         {"name": name})
        yield
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.dispose()


def _stored(url: str) -> tuple[list[str], list[str]]:
    """The Siblings answers of the demo pupil P-1001's profile: now, and in each history entry."""
    store = open_store(url=url)
    try:
        (record,) = [r for r in store.list("demo", "pupil_profile") if r.key == "P-1001"]
        history = store.history("demo", "pupil_profile", record.key)
        return ([record.data.get("siblings")],
                [(entry.after or {}).get("siblings") for entry in history])
    finally:
        store.close()


def test_a_save_while_postgres_is_down_says_not_saved_and_keeps_the_text(browser, pg_server):
    tab = signed_in_page(browser, pg_server)
    open_workbook(tab, pg_server, "mapping_tool", pupil="P-1001")
    wait_for_widgets(tab)
    box = pinned(tab, tab.get_by_label(FIELD, exact=True).first)
    status = status_of(form_of(tab, box))
    _, original = _stored(pg_server.database_url)
    before = f"Two brothers {uuid.uuid4().hex[:6]}"
    box.fill(before)
    expect(status).to_contain_text("Saved at")

    during = before + " and a sister in P3"
    with database_down(pg_server.database_url):
        box.fill(during)
        expect(status).to_contain_text("Not saved")
        expect(status).to_contain_text("Your text is still in the form; once the store is "
                                       "back, your next change saves it all.")
        expect(box).to_have_value(during)
        assert_no_traceback(tab)
        assert "Saved at" not in status.inner_text()
        assert "Error" not in status.inner_text()

    whole = during + " (older)"
    box.fill(whole)
    expect(status).to_contain_text("Saved at")
    expect(box).to_have_value(whole)
    now, history = _stored(pg_server.database_url)
    assert now == [whole]
    assert history[:len(original)] == original
    assert set(history[len(original):]) <= {before, whole} and history[-1] == whole
    tab.context.close()
