"""A small training cohort with accounts, and sessions that act as one of them.

Built on the test's own store (never the demo): ``enrol`` adds the accounts and their
memberships of workspace "school"; ``session_as`` gives a workbook session whose store is
the :class:`~partnerkit.access.GuardedStore` of that account, as ``session.start`` does.
"""

from __future__ import annotations

from pathlib import Path

from partnerkit import access
from partnerkit.access import Account, GuardedStore, load_account
from partnerkit.session import Session
from partnerkit.store import Store

PEOPLE = {"ann": ("Ann Example", access.PRACTITIONER),
          "bob": ("Bob Sample", access.PRACTITIONER),
          "tom": ("Tom Trainer", access.TRAINER),
          "ada": ("Ada Admin", access.ADMIN)}
"""Username -> (full name, role in workspace "school")."""


def enrol(store: Store, workspace: str = "school") -> dict[str, Account]:
    """Add the cohort's accounts to ``store``; return each as loaded back from it."""
    for username, (name, role) in PEOPLE.items():
        if store.account_row(username) is None:
            store.add_account(username, name, created_by="test")
        store.set_membership(username, workspace, role, added_by="test")
    return {username: load_account(store, username) for username in PEOPLE}


def session_as(store: Store, account: Account, data_dir: Path, workspace: str = "school",
               **params) -> Session:
    """A workbook session for ``account``: every read and write through the permission check."""
    return Session(store=GuardedStore(store, account), workspace=workspace,
                   author=account.username, data_dir=data_dir, params=params, account=account)
