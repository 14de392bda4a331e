"""Erasure on PostgreSQL: the pupil's rows are deleted and the tables vacuumed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from partnerkit.data_protection import erasure
from partnerkit.store import Store
from tests.data_protection.conftest import (
    OTHER,
    PUPIL,
    WORKSPACE,
    Clock,
    _accounts,
    _files,
    _pupil,
    as_account,
)
from tests.helpers.backends import fresh_postgres_database


@pytest.mark.postgres
def test_erasure_on_postgresql_removes_every_row_of_the_pupil(data):
    with fresh_postgres_database() as url:
        store = Store(url, clock=Clock())
        try:
            store.ensure_workspace(WORKSPACE)
            _accounts(store)
            _pupil(store)
            _files(data)
            dpo = as_account(store, "dpo")
            said = erasure.erase(dpo, erasure.plan(dpo, WORKSPACE, PUPIL, data), "asked")
            assert said.startswith(f"Erased pupil {PUPIL}: 6 records, 7 history entries")
            with store.engine.connect() as conn:
                for table, column in (("records", "key"), ("history", "key"),
                                      ("pupil_names", "pupil")):
                    left = conn.execute(sa.text(f"SELECT count(*) FROM {table} "
                                                f"WHERE {column} LIKE :p"),
                                        {"p": f"{PUPIL}%"}).scalar()
                    assert left == 0, table
            assert store.get(WORKSPACE, "pupil_profile", OTHER) is not None
        finally:
            store.close()
