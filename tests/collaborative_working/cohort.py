"""A small training cohort with accounts, and sessions that act as one of them.

Built on the test's own store (never the demo): ``enrol`` adds the accounts and their
memberships of workspace "school"; ``session_as`` gives a workbook session whose store is
the :class:`~partnerkit.access.GuardedStore` of that account, as ``session.start`` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerkit import access
from partnerkit.access import Account, GuardedStore, load_account
from partnerkit.session import Session
from partnerkit.store import Store

YOUTH = "Eastfield Youth Project"
PEOPLE = {"ann": ("Ann Example", access.PRACTITIONER, None),
          "bob": ("Bob Sample", access.PRACTITIONER, None),
          "yaz": ("Yaz Youth", access.PRACTITIONER, YOUTH),
          "tom": ("Tom Trainer", access.TRAINER, None),
          "ada": ("Ada Admin", access.ADMIN, None)}
"""Username -> (full name, role in workspace "school", partner organisation)."""


def enrol(store: Store, workspace: str = "school") -> dict[str, Account]:
    """Add the cohort's accounts to ``store``; return each as loaded back from it."""
    for username, (name, role, organisation) in PEOPLE.items():
        if store.account_row(username) is None:
            store.add_account(username, name, created_by="test")
        store.set_membership(username, workspace, role, added_by="test",
                             organisation=organisation)
    return {username: load_account(store, username) for username in PEOPLE}


def cohort_folder(folder: Path) -> Store:
    """A data folder of its own with workspace "school" and the cohort's accounts.

    Its store keeps the real clock (a workbook run reads the real clock too); the
    caller closes it.
    """
    store = Store(data=folder)
    store.ensure_workspace("school")
    enrol(store)
    return store


def act_as(monkeypatch: pytest.MonkeyPatch, folder: Path, username: str) -> None:
    """Make the next workbook runs (their kernels) act as ``username`` on ``folder``."""
    monkeypatch.setenv("PARTNERKIT_DATA", str(folder))
    monkeypatch.delenv("PARTNERKIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("PARTNERKIT_ACCOUNT", username)


def session_as(store: Store, account: Account, data_dir: Path, workspace: str = "school",
               **params) -> Session:
    """A workbook session for ``account``: every read and write through the permission check."""
    return Session(store=GuardedStore(store, account), workspace=workspace,
                   author=account.username, data_dir=data_dir, params=params, account=account)
