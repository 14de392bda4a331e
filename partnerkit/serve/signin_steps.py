"""The store's side of signing in, one function per step, each opening the store itself.

The sign-in handlers run these in a worker thread (hashing a password takes a moment;
the server keeps answering other pages meanwhile). Each function opens the store, does
its one step through :mod:`partnerkit.accounts`, records it in the audit trail and
closes the store again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from partnerkit import accounts
from partnerkit.access import Account, load_account
from partnerkit.store import Store, open_store

T = TypeVar("T")


def with_store(data: Path, work: Callable[[Store], T]) -> T:
    """Run ``work`` on the data folder's store, closed again afterwards."""
    store = open_store(data)
    try:
        return work(store)
    finally:
        store.close()


def now() -> datetime:
    """The time now (aware, UTC), as the sign-in rules compare it."""
    return datetime.now(UTC)


def check_password(data: Path, username: str, password: str) -> accounts.SignedIn:
    """The account, if the username and password are right (``accounts.sign_in``)."""
    return with_store(data, lambda store: accounts.sign_in(store, username, password, now()))


def choose_password(data: Path, username: str, new_password: str) -> bool:
    """Save the person's own password; True when a second factor is still to come."""
    def work(store: Store) -> bool:
        accounts.set_password(store, username, new_password, by=username)
        return accounts.needs_second_factor(store, load_account(store, username))

    return with_store(data, work)


@dataclass(frozen=True)
class CodeCheck:
    """What checking an authenticator code found."""

    right: bool
    locked: bool = False


def has_second_factor(data: Path, username: str) -> bool:
    """True when the account has an authenticator set up already."""
    return with_store(data, lambda store: bool(getattr(store.account_row(username),
                                                       "totp_secret", None)))


def check_code(data: Path, username: str, code: str, pending_secret: str | None) -> CodeCheck:
    """Check an authenticator code; a new authenticator (``pending_secret``) is saved if right.

    A wrong code counts as a failed sign-in: enough of them in a row lock the account,
    as wrong passwords do, and a right password does not start the count again (only a
    right code does), so knowing the password gives no more guesses at the code.
    """
    def work(store: Store) -> CodeCheck:
        if pending_secret is not None:
            right = _code_fits(pending_secret, code)
            if right:
                store.update_account(username, totp_secret=pending_secret)
                store.audit(username, "second-factor-set", allowed=True, key=username)
        else:
            right = accounts.second_factor_matches(store, username, code)
        if right:
            store.update_account(username, failed_sign_ins=0, locked_until=None)
            return CodeCheck(True)
        failures, locked = store.count_failed_sign_in(
            username, accounts.LOCK_AFTER, now() + timedelta(minutes=accounts.LOCK_MINUTES))
        store.audit(username, "account-locked" if locked else "second-factor", allowed=False,
                    detail=f"wrong authenticator code ({failures} failures in a row)")
        return CodeCheck(False, locked=locked is not None)

    return with_store(data, work)


def _code_fits(secret: str, code: str) -> bool:
    import pyotp

    return pyotp.TOTP(secret).verify("".join((code or "").split()), valid_window=1)


def new_secret() -> str:
    """A new authenticator secret (saved only once a code from it is right)."""
    import pyotp

    return pyotp.random_base32()


def audit(data: Path, username: str, action: str, detail: str | None = None) -> None:
    """Record a sign-in, sign-out or ended session in the audit trail."""
    with_store(data, lambda store: store.audit(username, action, allowed=True, detail=detail))


def account_now(data: Path, username: str) -> Account:
    """The account and its memberships as stored now."""
    return with_store(data, lambda store: load_account(store, username))


def run_later(work: Callable[..., Any], *args: Any) -> None:
    """Run ``work(*args)`` in a worker thread from the server's loop; failures are logged."""
    import asyncio
    import logging

    def guarded() -> None:
        try:
            work(*args)
        except Exception:  # noqa: BLE001 - bookkeeping must never break a request
            logging.getLogger(__name__).warning("could not record %s", work.__name__,
                                                exc_info=True)

    try:
        asyncio.get_running_loop().run_in_executor(None, guarded)
    except RuntimeError:
        guarded()
