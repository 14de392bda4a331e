"""Jupyter Server's extension point for who is asking: partnerkit's identity provider.

Voilà's application takes an ``identity_provider_class``; Jupyter Server's handlers ask
it for the current user. :class:`PartnerkitIdentity` answers from the session cookie
only (:meth:`~partnerkit.serve.state.ServerState.session_for`): no token in the address,
no ``Authorization`` header, no ``X-Forwarded-User``. It brings the sign-in pages
(:mod:`partnerkit.serve.signin`) and ``/partnerkit/whoami``, which a workbook page
asks to show who is signed in and to find out that a session has ended.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.identity import IdentityProvider, User
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from partnerkit.serve.signin import (
    ChoosePasswordHandler,
    CodeHandler,
    SignInHandler,
    SignOutHandler,
    ending_notice,
)
from partnerkit.serve.state import SETTINGS_KEY, ServerState

WHOAMI_PATH = "partnerkit/whoami"


class WhoAmIHandler(JupyterHandler):
    """``/partnerkit/whoami``: who this browser is signed in as, or why it no longer is.

    Asking does not count as activity: a page may ask whenever it likes without keeping
    its session alive. It says nothing about anyone but the cookie's own session.
    """

    partnerkit_open = True

    @allow_unauthenticated
    def get(self) -> None:
        """The session's person (name, username, local or not) and a form token; or why not."""
        state = ServerState.of(self)
        session = state.session_for(self)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        if session is None:
            reason = state.ended_reason(self)
            self.finish(json.dumps({"signed_in": False, "ended": reason is not None,
                                    "message": ending_notice(reason, state.idle_minutes),
                                    "sign_in": url_path_join(self.base_url, "signin")}))
            return
        self.finish(json.dumps({
            "signed_in": True, "username": session.username, "name": session.name,
            "local": session.local, "xsrf": self.xsrf_token.decode(),
            "sign_out": url_path_join(self.base_url, "signout")}))


def sign_in_handlers(base_url: str) -> list[tuple[str, type]]:
    """The open handlers: the sign-in steps, sign-out and whoami."""
    return [
        (url_path_join(base_url, "signin"), SignInHandler),
        (url_path_join(base_url, "signin/password"), ChoosePasswordHandler),
        (url_path_join(base_url, "signin/code"), CodeHandler),
        (url_path_join(base_url, "signout"), SignOutHandler),
        (url_path_join(base_url, WHOAMI_PATH), WhoAmIHandler),
    ]


class PartnerkitIdentity(IdentityProvider):
    """Who is asking: the signed-in session of the request's cookie, nothing else."""

    def get_user(self, handler: Any) -> User | None:
        """The session's person as a Jupyter user, or None (not signed in)."""
        state = handler.settings.get(SETTINGS_KEY)
        session = state.session_for(handler) if state is not None else None
        if session is None:
            return None
        return User(username=session.username, name=session.name,
                    display_name=session.name)

    def get_handlers(self) -> list[tuple[str, object]]:
        """The sign-in pages, sign-out and whoami (instead of Jupyter's login page)."""
        return list(sign_in_handlers(getattr(self.parent, "base_url", "/")))

    @property
    def auth_enabled(self) -> bool:
        """Always: every request is checked."""
        return True

    @property
    def login_available(self) -> bool:
        """There is a sign-in page."""
        return True

    def is_token_authenticated(self, handler: Any) -> bool:
        """Never: there are no tokens, so every form and API call gets the XSRF check."""
        return False

    def validate_security(self, app: Any, ssl_options: dict[str, Any] | None = None) -> None:
        """``partnerkit serve`` checks its own options (``serve.options``)."""
