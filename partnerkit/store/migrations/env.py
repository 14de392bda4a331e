"""Alembic's environment: run the revisions through the connection partnerkit passes.

:func:`partnerkit.store.migrate.prepare` passes its connection, already inside the
store's locked transaction, as ``config.attributes["connection"]``; the revisions then
run in that transaction. Alembic's own commands may pass ``sqlalchemy.url`` instead (a
new revision is written against a store at head; ``--sql`` prints the SQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection

from partnerkit.store.tables import metadata


def _run_with(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        _run_with(conn)
        conn.commit()
    engine.dispose()


_main()
