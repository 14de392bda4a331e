"""The store's tables as SQLAlchemy ``Table`` objects: the schema at the head revision.

These describe the schema the code reads and writes. The migrations in
``migrations/versions/`` build it; a test checks the two agree (Alembic's
``compare_metadata`` finds no difference after an upgrade to head). Times are kept as
ISO 8601 text in UTC and record data as JSON text, so SQLite and PostgreSQL store
exactly the same thing.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

meta_table = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""Facts about the store itself; ``schema_version`` is read by releases before Alembic."""

workspaces_table = sa.Table(
    "workspaces", metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)
"""A school or a training cohort: every record belongs to one."""

records_table = sa.Table(
    "records", metadata,
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("kind", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(400), primary_key=True),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
    sa.Column("deleted", sa.Boolean, nullable=False, default=False),
)
"""The current version of every record, addressed by (workspace, kind, key)."""

history_table = sa.Table(
    "history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("workspace", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("op", sa.String(10), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Index("ix_history_record", "workspace", "kind", "key", "id"),
)
"""Every change to every record: who, when, the operation, the data before and after."""

pupil_names_table = sa.Table(
    "pupil_names", metadata,
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("pupil", sa.String(100), primary_key=True),
    sa.Column("real_name", sa.Text, nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("updated_by", sa.Text, nullable=False),
)
"""A pupil's real name, kept apart from their records (which use the reference only)."""
