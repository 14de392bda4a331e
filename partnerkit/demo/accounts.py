"""The demo's accounts: one per role, the training cohort, one shared demo-only password.

Every demo account has the password :data:`DEMO_PASSWORD`, printed by ``partnerkit demo``
and marked as demo only. The computer's login name is linked to ``demo-admin``, so
JupyterLab, papermill and ``partnerkit render`` act as the demo admin without ``--as``.
The cohort's practitioners (:data:`partnerkit.demo.collaborative_working.DEMO_COHORT`)
get accounts named like ``morag.grant``: their module work is filed under those
usernames. Adding them again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from partnerkit import accounts
from partnerkit.access import ADMIN, DP_LEAD, PRACTITIONER, SCHOOL_LEAD, TRAINER
from partnerkit.demo.collaborative_working import DEMO_COHORT, cohort_username
from partnerkit.demo.principles import DEMO_PARTNER

if TYPE_CHECKING:
    from partnerkit.store import Store

DEMO_PASSWORD = "glenbrae-demo-only"
"""The one password of every demo account (demo only: never for real pupils' data)."""
DEMO_ONLY = "demo only — do not use real pupils' data with these accounts"


@dataclass(frozen=True)
class DemoAccount:
    """One demo account: username, full name, role in the demo workspace, organisation."""

    username: str
    name: str
    role: str
    organisation: str | None = None


DEMO_ADMIN = "demo-admin"
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(DEMO_ADMIN, "Demo Admin", ADMIN),
    DemoAccount("demo-lead", "Fiona Campbell (demo school lead)", SCHOOL_LEAD),
    DemoAccount("demo-teacher", "Ross Mackay (demo teacher)", PRACTITIONER),
    DemoAccount("demo-partner", "Sam Reid (demo youth worker)", PRACTITIONER, DEMO_PARTNER),
    DemoAccount("demo-trainer", "Anna Thomson (demo trainer)", TRAINER),
    DemoAccount("demo-dpo", "Graham Walker (demo data-protection lead)", DP_LEAD),
)
"""One demo account per role; the partner speaks for the partner whose ratings the demo has."""


def cohort_accounts() -> tuple[DemoAccount, ...]:
    """The demo training cohort as practitioner accounts."""
    return tuple(DemoAccount(cohort_username(name), name, PRACTITIONER) for name in DEMO_COHORT)


@lru_cache(maxsize=1)
def _demo_hash() -> str:
    """One argon2 hash of the demo password for every demo account (hashing is slow)."""
    return accounts.hash_password(DEMO_PASSWORD)


@dataclass
class DemoAccounts:
    """What :func:`add_demo_accounts` did: the accounts, and the login it linked (if any)."""

    roles: tuple[DemoAccount, ...]
    cohort: tuple[DemoAccount, ...]
    added: int
    login: str
    linked_to: str | None


def add_demo_accounts(store: Store, workspace: str, by: str) -> DemoAccounts:
    """Add the demo accounts in ``workspace`` and link this computer's login to demo-admin.

    An account or membership that is there already is left as it is (a password changed
    since stays changed), and a login linked to another account stays linked to it.
    """
    roles, cohort = DEMO_ACCOUNTS, cohort_accounts()
    added = sum(_add(store, workspace, account, by) for account in (*roles, *cohort))
    login = accounts.login_name()
    linked = store.login_account(login)
    if linked is None:
        store.map_login(login, DEMO_ADMIN)
        store.audit(by, "login-link", allowed=True, key=DEMO_ADMIN, detail=login)
        linked = DEMO_ADMIN
    return DemoAccounts(roles, cohort, added, login, linked)


def _add(store: Store, workspace: str, account: DemoAccount, by: str) -> int:
    """Add one demo account (1), or nothing when it is there with its role (0)."""
    held = {m.workspace for m in store.memberships(username=account.username)}
    if workspace in held:
        return 0
    new = accounts.add_user(store, account.username, account.name, account.role, workspace,
                            by=by, password_hash=_demo_hash(),
                            organisation=account.organisation)
    return int(new)
