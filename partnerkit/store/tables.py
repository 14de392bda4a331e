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

accounts_table = sa.Table(
    "accounts", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("email", sa.Text, nullable=True),
    sa.Column("password_hash", sa.Text, nullable=True),
    sa.Column("must_change_password", sa.Boolean, nullable=False, default=False),
    sa.Column("totp_secret", sa.Text, nullable=True),
    sa.Column("failed_sign_ins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.String(40), nullable=True),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
)
"""A person who signs in. The password is kept only as an argon2 hash; a one-time
sign-in code is kept the same way, with ``must_change_password`` set."""

memberships_table = sa.Table(
    "memberships", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("role", sa.String(40), nullable=False),
    sa.Column("organisation", sa.Text, nullable=True),
    sa.Column("added_at", sa.String(40), nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
)
"""An account's role in one workspace (one person may belong to several); a partner's
``organisation`` is whom they speak for when they rate the principles."""

logins_table = sa.Table(
    "logins", metadata,
    sa.Column("login", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False),
)
"""A computer login name and the account it acts as in JupyterLab and batch renders."""

audit_table = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("workspace", sa.String(100), nullable=True),
    sa.Column("kind", sa.String(100), nullable=True),
    sa.Column("key", sa.String(400), nullable=True),
    sa.Column("allowed", sa.Boolean, nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("door", sa.String(20), nullable=True),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_workspace", "workspace", "id"),
    sa.Index("ux_audit_prev_hash", "prev_hash", unique=True),
)
"""Who read or changed what, and every refusal, sign-in and account change, from which
door; each entry chained by hash to the one before (see :mod:`.audit_chain`)."""

audit_anchors_table = sa.Table(
    "audit_anchors", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("entry_id", sa.Integer, nullable=False),
    sa.Column("head_hash", sa.String(64), nullable=False),
    sa.Column("entries", sa.Integer, nullable=False),
    sa.Column("made_by", sa.Text, nullable=False),
)
"""The audit chain's head at a moment: its last entry, that entry's hash, how many."""

second_factor_table = sa.Table(
    "workspace_settings", metadata,
    sa.Column("workspace", sa.String(100), primary_key=True),
    sa.Column("second_factor", sa.Boolean, nullable=False, default=False),
)
"""A workspace's own rules: whether its leads, data-protection leads and admins must
use a second factor (a code from an authenticator app) to sign in."""
