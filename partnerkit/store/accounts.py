"""Accounts, memberships, login names, workspace settings and the audit trail, as stored rows.

This is storage only: the store keeps what it is given (a password is already an
argon2 hash here) and knows no rule about who may do what; that is
:mod:`partnerkit.access`, and hashing, codes and sign-in are :mod:`partnerkit.accounts`.
:class:`AccountRows` is mixed into :class:`~partnerkit.store.Store`, so its methods run
in the store's transactions and write queue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from partnerkit.store import audit_chain
from partnerkit.store.rows import Clock, parse_stamp, stamp
from partnerkit.store.tables import (
    accounts_table,
    audit_anchors_table,
    audit_table,
    logins_table,
    memberships_table,
    meta_table,
    second_factor_table,
)

ACCOUNT_FIELDS = ("name", "email", "password_hash", "must_change_password", "totp_secret",
                  "failed_sign_ins", "locked_until")
"""The account columns :meth:`AccountRows.update_account` may change."""
SENSITIVITY_KEY = "sensitivity:"
"""The ``meta`` key prefix of a workspace's own sensitivity marking (see ``set_sensitivity``)."""


class AccountRows:
    """The account tables of the store (mixed into :class:`~partnerkit.store.Store`)."""

    engine: sa.Engine
    clock: Clock
    _run: Callable[[Callable[[Connection], Any]], Any]

    # ---------------------------------------------------------------- accounts

    def add_account(self, username: str, name: str, *, created_by: str,
                    email: str | None = None, password_hash: str | None = None,
                    must_change_password: bool = False) -> None:
        """Add an account (the caller has checked the username is free and well formed)."""
        self._run(lambda conn: conn.execute(sa.insert(accounts_table).values(
            username=username, name=name, email=email, password_hash=password_hash,
            must_change_password=must_change_password, totp_secret=None, failed_sign_ins=0,
            locked_until=None, created_at=stamp(self.clock()), created_by=created_by)))

    def account_row(self, username: str) -> Any:
        """The account's row, or None."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(accounts_table)
                                .where(accounts_table.c.username == username)).first()

    def account_rows(self) -> list[Any]:
        """Every account, by username."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(accounts_table)
                                .order_by(accounts_table.c.username)).all()

    def update_account(self, username: str, **values: Any) -> bool:
        """Change some of an account's columns (:data:`ACCOUNT_FIELDS`); False if absent."""
        unknown = set(values) - set(ACCOUNT_FIELDS)
        if unknown:
            raise ValueError(f"not account fields: {sorted(unknown)}")
        result = self._run(lambda conn: conn.execute(
            sa.update(accounts_table).where(accounts_table.c.username == username)
            .values(**values)))
        return bool(result.rowcount)

    def remove_account(self, username: str) -> bool:
        """Remove an account, its memberships and login names; False if absent."""
        def work(conn: Connection) -> bool:
            conn.execute(sa.delete(memberships_table)
                         .where(memberships_table.c.username == username))
            conn.execute(sa.delete(logins_table).where(logins_table.c.username == username))
            gone = conn.execute(sa.delete(accounts_table)
                                .where(accounts_table.c.username == username))
            return bool(gone.rowcount)
        return self._run(work)

    def count_failed_sign_in(self, username: str, lock_after: int,
                             lock_until: datetime) -> tuple[int, datetime | None]:
        """Add one failed sign-in; lock the account at ``lock_after`` failures.

        Returns (failures so far, locked until or None). Counted inside one transaction,
        so failures at the same moment from two places are all counted.
        """
        def work(conn: Connection) -> tuple[int, datetime | None]:
            row = conn.execute(sa.select(accounts_table.c.failed_sign_ins)
                               .where(accounts_table.c.username == username)).first()
            if row is None:
                return 0, None
            failures = row.failed_sign_ins + 1
            locked = lock_until if failures >= lock_after else None
            conn.execute(sa.update(accounts_table)
                         .where(accounts_table.c.username == username)
                         .values(failed_sign_ins=failures,
                                 locked_until=stamp(locked) if locked else None))
            return failures, locked
        return self._run(work)

    # ------------------------------------------------------------- memberships

    def set_membership(self, username: str, workspace: str, role: str, *, added_by: str,
                       organisation: str | None = None) -> None:
        """Give an account a role in a workspace (replacing its role there, if any)."""
        def work(conn: Connection) -> None:
            conn.execute(sa.delete(memberships_table).where(
                memberships_table.c.username == username,
                memberships_table.c.workspace == workspace))
            conn.execute(sa.insert(memberships_table).values(
                username=username, workspace=workspace, role=role, organisation=organisation,
                added_at=stamp(self.clock()), added_by=added_by))
        self._run(work)

    def remove_membership(self, username: str, workspace: str) -> bool:
        """Take an account out of a workspace; False if it was not a member."""
        result = self._run(lambda conn: conn.execute(sa.delete(memberships_table).where(
            memberships_table.c.username == username,
            memberships_table.c.workspace == workspace)))
        return bool(result.rowcount)

    def memberships(self, *, username: str | None = None,
                    workspace: str | None = None) -> list[Any]:
        """Membership rows, of one account or one workspace (or all), ordered."""
        query = sa.select(memberships_table)
        if username is not None:
            query = query.where(memberships_table.c.username == username)
        if workspace is not None:
            query = query.where(memberships_table.c.workspace == workspace)
        with self.engine.connect() as conn:
            return conn.execute(query.order_by(memberships_table.c.workspace,
                                               memberships_table.c.username)).all()

    # ------------------------------------------------------------ login names

    def map_login(self, login: str, username: str) -> None:
        """Let a computer login name act as an account in JupyterLab and batch renders."""
        def work(conn: Connection) -> None:
            conn.execute(sa.delete(logins_table).where(logins_table.c.login == login))
            conn.execute(sa.insert(logins_table).values(login=login, username=username))
        self._run(work)

    def login_account(self, login: str) -> str | None:
        """The account a login name acts as, or None."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(logins_table.c.username)
                                .where(logins_table.c.login == login)).scalar()

    # ------------------------------------------------------- workspace settings

    def set_second_factor(self, workspace: str, required: bool) -> None:
        """Say whether a workspace's leads, data-protection leads and admins need a code."""
        def work(conn: Connection) -> None:
            conn.execute(sa.delete(second_factor_table)
                         .where(second_factor_table.c.workspace == workspace))
            conn.execute(sa.insert(second_factor_table)
                         .values(workspace=workspace, second_factor=required))
        self._run(work)

    def second_factor_required(self, workspace: str) -> bool:
        """True when the workspace asks its leads and admins for a second factor."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(second_factor_table.c.second_factor).where(
                second_factor_table.c.workspace == workspace)).scalar()
        return bool(value)

    def set_sensitivity(self, workspace: str, marking: str | None) -> None:
        """Keep the sensitivity marking a workspace's reports carry (None: back to the default).

        It is kept in the ``meta`` table under ``sensitivity:<workspace>`` (one row per
        workspace that has its own marking), so no schema change is needed.
        """
        key = SENSITIVITY_KEY + workspace

        def work(conn: Connection) -> None:
            conn.execute(sa.delete(meta_table).where(meta_table.c.key == key))
            if marking is not None:
                conn.execute(sa.insert(meta_table).values(key=key, value=marking))
        self._run(work)

    def sensitivity(self, workspace: str) -> str | None:
        """The workspace's own sensitivity marking, or None when it uses the default."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(meta_table.c.value).where(
                meta_table.c.key == SENSITIVITY_KEY + workspace)).scalar()

    # ------------------------------------------------------------------ audit

    def audit(self, account: str, action: str, *, allowed: bool, workspace: str | None = None,
              kind: str | None = None, key: str | None = None,
              detail: str | None = None, door: str | None = None) -> None:
        """Append one entry to the chained audit trail (its own small transaction).

        ``door`` is the way in (page, lab, render, cli); by default the one this process
        works through (:func:`~partnerkit.store.audit_chain.current_door`).
        """
        entry = self.audit_entry(account, action, allowed=allowed, workspace=workspace,
                                 kind=kind, key=key, detail=detail, door=door)
        self._run(lambda conn: self._append_audit(conn, entry))

    def audit_entry(self, account: str, action: str, *, allowed: bool = True,
                    workspace: str | None = None, kind: str | None = None,
                    key: str | None = None, detail: str | None = None,
                    door: str | None = None) -> dict[str, Any]:
        """One audit entry, stamped now, to append (:meth:`audit`) or to save with a write."""
        return {"at": stamp(self.clock()), "account": account, "action": action,
                "workspace": workspace, "kind": kind, "key": key, "allowed": allowed,
                "detail": detail, "door": door or audit_chain.current_door()}

    @staticmethod
    def _append_audit(conn: Connection, entry: dict[str, Any]) -> None:
        """Chain ``entry`` onto the audit trail inside the transaction of ``conn``."""
        audit_chain.append(conn, audit_table, audit_anchors_table, entry)

    def audit_entries(self, *, workspace: str | None = None, account: str | None = None,
                      action: str | None = None, limit: int | None = None,
                      pupil: str | None = None, door: str | None = None,
                      since: datetime | None = None, until: datetime | None = None,
                      oldest_first: bool = False) -> list[Any]:
        """Audit entries, newest first (or oldest first), filtered as asked.

        By any of workspace, account, action, pupil (their records' keys: ``P-1001`` and
        ``P-1001/...``), door and time (``since`` inclusive, ``until`` exclusive).
        """
        query = sa.select(audit_table).where(*_audit_filters(
            workspace=workspace, account=account, action=action, pupil=pupil, door=door,
            since=since, until=until))
        order = audit_table.c.id if oldest_first else audit_table.c.id.desc()
        query = query.order_by(order)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return conn.execute(query).all()

    def anchor_audit(self, made_by: str) -> dict[str, Any]:
        """Anchor the audit chain now (its head, its length); return the anchor."""
        at = stamp(self.clock())
        return self._run(lambda conn: audit_chain.add_anchor(
            conn, audit_table, audit_anchors_table, at, made_by))

    def audit_anchors(self) -> list[Any]:
        """Every stored anchor of the audit chain, oldest first."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(audit_anchors_table)
                                .order_by(audit_anchors_table.c.id)).all()

    def verify_audit(self, anchors: list[dict[str, Any]] | None = None
                     ) -> audit_chain.Verdict:
        """Check the audit chain, its stored anchors and any exported ``anchors``."""
        with self.engine.connect() as conn:
            return audit_chain.verify(conn, audit_table, audit_anchors_table, anchors)


def _audit_filters(*, workspace: str | None, account: str | None, action: str | None,
                   pupil: str | None, door: str | None, since: datetime | None,
                   until: datetime | None) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of :meth:`AccountRows.audit_entries`."""
    column = audit_table.c
    found: list[sa.ColumnElement[bool]] = [
        column[name] == value for name, value in (
            ("workspace", workspace), ("account", account), ("action", action),
            ("door", door)) if value is not None]
    if pupil is not None:
        found.append(sa.or_(column.key == pupil,
                            column.key.startswith(f"{pupil}/", autoescape=True)))
    if since is not None:
        found.append(column.at >= stamp(since))
    if until is not None:
        found.append(column.at < stamp(until))
    return found

def locked_until(row: Any) -> datetime | None:
    """When an account's lock ends (None if it is not locked)."""
    return parse_stamp(row.locked_until) if row is not None and row.locked_until else None
