"""Who a render reads as, and what that account may render.

A render acts as one account (:func:`acting_account`: ``--as``, else
``$PARTNERKIT_ACCOUNT``, else the login name's linked account), reads the store through
:class:`~partnerkit.access.GuardedStore` for it, and its kernels act as it too. Before any
kernel starts, :func:`check_render` refuses the whole render when the account is not a
member of the workspace or may not open the workbook there; :func:`refusals` then says
which targets it may not read: another person's reflective log (or module answers), unless
the account is a trainer and the writer shared some entries with them. Those targets are
refused one by one (listed with the reason), the others rendered. Every refusal is
written to the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnerkit.access import READ, Account, GuardedStore, check_open, decide
from partnerkit.accounts import resolve_account
from partnerkit.errors import AccessDeniedError, RenderInputError
from partnerkit.render.targets import Target, listing

if TYPE_CHECKING:
    from partnerkit.catalog import Workbook
    from partnerkit.store import Store

LOG_KIND = "log_entry"


def acting_account(store: Store, wanted: str | None = None) -> Account:
    """The account the render reads as (see :func:`partnerkit.accounts.resolve_account`)."""
    return resolve_account(store, (wanted or "").strip() or None)


def guarded(store: Store, account: Account) -> GuardedStore:
    """The store as the render's account may read it; every refusal audited."""
    return GuardedStore(store, account)


def check_render(store: Store, account: Account, workspace: str, row: Workbook) -> None:
    """Refuse a render of a workspace that is not there, not the account's, or not its workbook.

    Raises:
        RenderInputError: no such workspace (the fix lists the account's workspaces).
        AccessDeniedError: the account is not a member, or its role may not open the
            workbook there; the message says who can give access.
    """
    if workspace not in store.workspaces():
        known = list(guarded(store, account).workspaces())
        raise RenderInputError("is not a workspace in this store", value=workspace,
                               where="--workspace",
                               fix=f"use one of: {listing(known)} (or run 'partnerkit demo')")
    if account.role_in(workspace) is None:
        store.audit(account.username, "render-refused", allowed=False, workspace=workspace,
                    detail="not a member")
        raise AccessDeniedError(f"you ({account.username}) are not a member of workspace "
                                f"{workspace!r}", account=account.username, where="render",
                                fix="ask its school lead or an admin to add you, or render "
                                    "as a member: --as USERNAME")
    try:
        check_open(account, workspace, row.name)
    except AccessDeniedError:
        store.audit(account.username, "render-refused", allowed=False, workspace=workspace,
                    detail=f"may not open {row.name}")
        raise


def refusals(view: GuardedStore, workspace: str, row: Workbook,
             targets: list[Target]) -> dict[str, str]:
    """The targets the account may not render, by name, each with the plain reason.

    Only per-practitioner targets can be refused here: a reflective log is its writer's
    alone; a trainer may render the entries shared with them (and is refused when there
    are none). Other targets were allowed or refused as a whole by :func:`check_render`.
    """
    if row.target != "author":
        return {}
    found = {}
    for target in targets:
        author = str(target.value or "")
        reason = _author_refusal(view, workspace, author)
        if reason:
            found[target.name] = reason
            view.store.audit(view.account.username, "render-refused", allowed=False,
                             workspace=workspace, kind=LOG_KIND, key=author, detail=reason)
    return found


def _author_refusal(view: GuardedStore, workspace: str, author: str) -> str | None:
    decision = decide(view.account, READ, workspace, LOG_KIND, f"{author}/")
    if decision:
        return None
    if view.list(workspace, LOG_KIND, prefix=f"{author}/"):
        return None  # a trainer, and the writer shared some entries: only those are shown
    return f"{decision.reason}; {decision.fix}"


def check_author(view: GuardedStore, workspace: str, author: str | None) -> None:
    """Refuse an ``--author`` that is not a username of the workspace (stores with accounts).

    Module work is filed under usernames, so a full name would find nothing.
    """
    if author is None or view.account.local:
        return
    members = view.members(workspace)
    if author.strip() not in members:
        raise RenderInputError(f"is not a username in workspace {workspace!r}",
                               value=author, where="--author",
                               fix=f"use one of: {listing(sorted(members))}")
