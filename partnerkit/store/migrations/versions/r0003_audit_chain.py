"""The audit trail chained by hash, the door of each entry, and anchors.

Adds ``door``, ``prev_hash`` and ``hash`` to ``audit`` and the ``audit_anchors`` table;
chains every entry written under revision 0002, oldest first (their door is unknown and
stays empty), with a unique index on ``prev_hash`` so the chain cannot fork, and
anchors the chain as it stands. Only adds: no entry is changed but for its two hashes.
The hash is :func:`partnerkit.store.audit_chain.chain_hash`, whose form is fixed: a
later change to it would need a revision that re-chains.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from partnerkit.store.audit_chain import GENESIS, chain_hash

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ENTRY = ("id", "at", "account", "action", "workspace", "kind", "key", "allowed", "detail")


def upgrade() -> None:
    """Add the columns and the anchors table, chain the old entries, anchor them."""
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("door", sa.String(20), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("entry_id", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("made_by", sa.Text, nullable=False),
    )
    last_id, head, count = _chain_old_entries()
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
        batch.create_index("ux_audit_prev_hash", ["prev_hash"], unique=True)
    if count:
        op.get_bind().execute(sa.text(
            "INSERT INTO audit_anchors (at, entry_id, head_hash, entries, made_by) "
            "VALUES (:at, :id, :hash, :n, 'partnerkit upgrade')"),
            {"at": datetime.now(UTC).isoformat(timespec="microseconds"), "id": last_id,
             "hash": head, "n": count})


def _chain_old_entries() -> tuple[int, str, int]:
    """Give each existing entry its links, oldest first; (last id, head hash, count)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT {', '.join(ENTRY)} FROM audit ORDER BY id")).all()
    prev, last_id = GENESIS, 0
    for row in rows:
        entry = {**row._mapping, "door": None}
        digest = chain_hash(prev, entry)
        conn.execute(sa.text("UPDATE audit SET prev_hash = :p, hash = :h WHERE id = :id"),
                     {"p": prev, "h": digest, "id": row.id})
        prev, last_id = digest, row.id
    return last_id, prev, len(rows)


def downgrade() -> None:
    """Drop the anchors and the chain's columns (the entries themselves stay)."""
    op.drop_table("audit_anchors")
    with op.batch_alter_table("audit") as batch:
        batch.drop_index("ux_audit_prev_hash")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("door")
