"""The store's first schema, exactly as partnerkit 0.1.0 made it (before Alembic).

partnerkit 0.1.0 versioned its schema by hand: ``meta.schema_version`` 1, made by one
step that created these five tables and wrote that number. A store it made is stamped
with this revision when first opened, not re-created. The tables are spelled out here,
not taken from ``tables.py``, so this revision stays what it was when ``tables.py``
changes.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create meta, workspaces, records, history and pupil_names; schema_version 1."""
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
    )
    op.create_table(
        "records",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("kind", sa.String(100), primary_key=True),
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
    )
    _create_history()
    op.create_table(
        "pupil_names",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("pupil", sa.String(100), primary_key=True),
        sa.Column("real_name", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])


def _create_history() -> None:
    op.create_table(
        "history",
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
    )
    op.create_index("ix_history_record", "history", ["workspace", "kind", "key", "id"])


def downgrade() -> None:
    """Drop the five tables (only for an empty store: a downgrade is never run on data)."""
    for table in ("pupil_names", "history", "records", "workspaces", "meta"):
        op.drop_table(table)
