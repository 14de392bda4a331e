"""Accounts, workspace memberships, login names, the audit trail and workspace settings.

Sign-in arrives: a person has an account (an argon2 password hash, never the password),
a role in each workspace they belong to, and every read and write of pupil records,
every refusal and every sign-in is written to the audit trail. Only adds tables; the
records and their history are untouched. The tables are spelled out here, not taken
from ``tables.py``, so this revision stays what it was when ``tables.py`` changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create accounts, memberships, logins, audit and workspace_settings."""
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("totp_secret", sa.Text, nullable=True),
        sa.Column("failed_sign_ins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.String(40), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("organisation", sa.Text, nullable=True),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
    )
    op.create_table(
        "logins",
        sa.Column("login", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("account", sa.Text, nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("workspace", sa.String(100), nullable=True),
        sa.Column("kind", sa.String(100), nullable=True),
        sa.Column("key", sa.String(400), nullable=True),
        sa.Column("allowed", sa.Boolean, nullable=False),
        sa.Column("detail", sa.Text, nullable=True),
    )
    op.create_index("ix_audit_workspace", "audit", ["workspace", "id"])
    op.create_table(
        "workspace_settings",
        sa.Column("workspace", sa.String(100), primary_key=True),
        sa.Column("second_factor", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    """Drop the five tables (only for a store without accounts: never run on data)."""
    for table in ("workspace_settings", "audit", "logins", "memberships", "accounts"):
        op.drop_table(table)
