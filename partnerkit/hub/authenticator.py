"""Signing in to the hub with a partnerkit account, for partners with no school account.

An admin adds the partner (``partnerkit users add``), which is the approval; the partner
signs in at the hub's own page with that username and password. The same rules as
``partnerkit serve``'s sign-in apply (:func:`partnerkit.accounts.sign_in`: one message for
an unknown user or a wrong password, a lock after five failures, every attempt audited).
The account's workspaces and roles go to the hub as its groups
(:func:`partnerkit.hub.groups.group_name`), so the hub and partnerkit agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jupyterhub.auth import Authenticator
from tornado import web
from traitlets import Unicode

from partnerkit.accounts import sign_in
from partnerkit.errors import PartnerkitError, SignInError
from partnerkit.hub.groups import group_name
from partnerkit.store import open_store


class PartnerkitAuthenticator(Authenticator):
    """JupyterHub sign-in against partnerkit's accounts (argon2 passwords, locks, audit)."""

    data = Unicode("", help="partnerkit's data folder (default: $PARTNERKIT_DATA)",
                   config=True)
    database_url = Unicode("", help="the store's database URL (default: "
                                    "$PARTNERKIT_DATABASE_URL)", config=True)

    async def authenticate(self, handler: Any, data: dict[str, str]) -> dict[str, Any] | None:
        """The hub user and their groups, or None for a wrong username or password."""
        try:
            store = open_store(self.data or None, self.database_url or None)
        except PartnerkitError as exc:
            self.log.error("partnerkit store cannot be opened: %s", exc)
            raise web.HTTPError(503, "partnerkit's store cannot be opened now; try again "
                                     "later or tell the person who runs this service") from exc
        try:
            signed = sign_in(store, data.get("username", ""), data.get("password", ""),
                             datetime.now(UTC))
        except SignInError as exc:
            self.log.info("partnerkit sign-in refused: %s", exc)
            return None
        finally:
            store.close()
        if signed.must_change_password or signed.needs_second_factor:
            raise web.HTTPError(403, "this account must first choose its own password or set "
                                     "up its authenticator code: ask your admin")
        account = signed.account
        return {"name": account.username,
                "groups": [group_name(m.workspace, m.role) for m in account.memberships]}
