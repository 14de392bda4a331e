"""The sign-in pages of ``partnerkit serve``: sign in, choose a password, the code, sign out.

One column, a label above each field, an error summary at the top linking to the field
and the message beside it, a button that says what it does (the GOV.UK Design System's
patterns). The page is ``templates/signin.html.j2``, self-contained (its style is in the
page), so it needs no file the server only gives to people who have signed in.

The steps, each a redirect back to ``/signin`` which shows where the person is:

1. username and password (``accounts.sign_in``): one message for an unknown username
   and a wrong password; a locked account says so; a failure is answered only after a
   pause (:data:`FAILED_PAUSE_SECONDS`), so guessing is slow;
2. after a one-time code (``must_change_password``) the person chooses a password;
3. when a workspace asks for a second factor, the authenticator code; a person with no
   authenticator yet is shown a QR code to set one up, and it is saved once a code from
   it is right. :data:`MAX_WRONG_CODES` wrong codes end the attempt;
4. signed in: back to the page the person asked for.

Signing out (a button on every page) ends the session on the server and shuts down its
page kernels.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler

from partnerkit.errors import AccountError, PartnerkitError, SignInError
from partnerkit.serve import signin_steps as steps
from partnerkit.serve.lockdown import sign_in_url
from partnerkit.serve.pages import render_page
from partnerkit.serve.state import ServerState, clear_session_cookie, set_session_cookie
from partnerkit.serve.web_sessions import (
    CHOOSE_PASSWORD,
    IDLE,
    REPLACED,
    SECOND_FACTOR,
    SESSION_COOKIE,
    SIGNED_IN,
    SIGNED_OUT,
    TOO_MANY_CODES,
    WebSession,
)

FAILED_PAUSE_SECONDS = 1.0
"""How long a failed sign-in or a wrong code waits before its answer."""
MAX_WRONG_CODES = 3
SIGNIN_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
"""The sign-in page loads nothing at all: its style is in the page, its QR code inline."""


def ending_notice(reason: str | None, idle_minutes: float) -> str | None:
    """What the sign-in page says about a session that has ended, in plain words."""
    if reason is None:
        return None
    if reason == IDLE:
        return (f"Your session ended after {idle_minutes:g} minutes without activity. "
                "Everything you typed was saved as you typed it. Sign in again to go on.")
    if reason == SIGNED_OUT:
        return "You have signed out."
    if reason == TOO_MANY_CODES:
        return "The code was not right too many times. Sign in again to try once more."
    return "Your session has ended. Your answers are saved. Sign in again to go on."


def safe_next(value: str | None, base_url: str) -> str:
    """Where to go after signing in: a page of this server only, never another site."""
    value = (value or "").strip()
    parts = urlsplit(value)
    if (not value.startswith(base_url) or value.startswith("//") or "\\" in value
            or parts.scheme or parts.netloc
            or parts.path.startswith((f"{base_url}signin", f"{base_url}signout"))):
        return base_url
    return value


def capital(text: str) -> str:
    """The text with a capital first letter."""
    return text[:1].upper() + text[1:]


def sentence(error: PartnerkitError, subject: str = "") -> str:
    """An error as a person reads it: (subject) the message, then what to do."""
    text = capital(f"{subject} {error.message}".strip())
    return f"{text}. {capital(error.fix)}." if error.fix else f"{text}."


class SignInPage(JupyterHandler):
    """What the sign-in steps share: the state, the page, the session so far."""

    partnerkit_open = True

    @property
    def state(self) -> ServerState:
        """The server's sessions."""
        return ServerState.of(self)

    def pending(self) -> WebSession | None:
        """The session of this browser, signed in or on its way in."""
        return self.state.session_for(self, any_stage=True)

    def show(self, step: str, *, status: int = 200, **context: Any) -> None:
        """Answer with the sign-in page at ``step`` (autoescaped, self-contained)."""
        self.set_status(status)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", SIGNIN_CSP)
        self.finish(render_page("signin.html.j2", step=step, xsrf=self.xsrf_token.decode(),
                                base_url=self.base_url, **context))

    async def arrive(self, session: WebSession) -> None:
        """The person is all the way in: record it and go to the page they asked for."""
        session.stage = SIGNED_IN
        session.pending_secret = None
        await self.off_thread(steps.audit, self.state.data, session.username, "sign-in")
        self.redirect(session.next_page)

    async def off_thread(self, work: Any, *args: Any) -> Any:
        """Run a store step in a worker thread."""
        return await asyncio.get_running_loop().run_in_executor(None, work, *args)

    def problem(self, error: BaseException) -> None:
        """The store cannot be read: say so plainly (503), never a traceback."""
        from partnerkit.serve.landing import render_problem

        self.set_status(503)
        self.set_header("Cache-Control", "no-store")
        self.finish(render_problem(error))


class SignInHandler(SignInPage):
    """``/signin``: the form, or the step a person signing in has reached."""

    @allow_unauthenticated
    async def get(self) -> None:
        """Show the step this browser is at (or go on, once signed in)."""
        if not self.state.signing_in:
            self.redirect(self.base_url)
            return
        session = self.pending()
        next_page = safe_next(self.get_query_argument("next", None), self.base_url)
        if session is not None and session.signed_in:
            self.redirect(next_page)
        elif session is not None:
            await self.show_step(session)
        else:
            self.show_form(next_page)

    def show_form(self, next_page: str, **context: Any) -> None:
        """The username and password form, with why a session ended if it did."""
        reason = self.state.ended_reason(self)
        if self.get_query_argument("signed_out", None):
            reason = SIGNED_OUT
        if self.get_cookie(SESSION_COOKIE):
            clear_session_cookie(self)
        self.show("sign-in", notice=ending_notice(reason, self.state.idle_minutes),
                  next_page=next_page, **context)

    async def show_step(self, session: WebSession, **context: Any) -> None:
        """The page for a session on its way in: a new password, or the code."""
        if session.stage == CHOOSE_PASSWORD:
            self.show("choose-password", name=session.name, **context)
            return
        if session.pending_secret is None and not await self.off_thread(
                steps.has_second_factor, self.state.data, session.username):
            session.pending_secret = steps.new_secret()
        self.show("second-factor", name=session.name, **context,
                  **setup_context(session))

    @allow_unauthenticated
    async def post(self) -> None:
        """Check the username and password; then the next step, or in."""
        if not self.state.signing_in:
            self.redirect(self.base_url)
            return
        username = self.get_body_argument("username", "").strip()
        password = self.get_body_argument("password", "")
        next_page = safe_next(self.get_body_argument("next", None), self.base_url)
        errors = [(field, text) for field, text, given in (
            ("username", "Enter your username", username),
            ("password", "Enter your password", password)) if not given]
        if errors:
            self.show("sign-in", status=400, errors=errors, username=username,
                      next_page=next_page)
            return
        try:
            signed = await self.off_thread(steps.check_password, self.state.data, username,
                                           password)
        except SignInError as exc:
            await asyncio.sleep(FAILED_PAUSE_SECONDS)
            self.show("sign-in", status=403, errors=[("password", sentence(exc))],
                      username=username, next_page=next_page)
            return
        except PartnerkitError as exc:
            self.problem(exc)
            return
        await self.start_session(signed, next_page)

    async def start_session(self, signed: Any, next_page: str) -> None:
        """A new session for the account (any older one of this browser ends)."""
        older = self.pending()
        if older is not None:
            self.state.end_session(older, REPLACED)
        stage = (CHOOSE_PASSWORD if signed.must_change_password
                 else SECOND_FACTOR if signed.needs_second_factor else SIGNED_IN)
        session = self.state.book.start(signed.account.username, signed.account.name,
                                        stage, next_page)
        set_session_cookie(self, session)
        if stage == SIGNED_IN:
            await self.arrive(session)
        else:
            self.redirect(sign_in_url(self))


def setup_context(session: WebSession) -> dict[str, Any]:
    """The QR code and key of an authenticator being set up (nothing once it is)."""
    if session.pending_secret is None:
        return {}
    from partnerkit.accounts import totp_uri
    from partnerkit.serve.pages import qr_svg

    secret = session.pending_secret
    key = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return {"qr_svg": qr_svg(totp_uri(secret, session.username)), "setup_key": key}


class ChoosePasswordHandler(SignInPage):
    """``/signin/password``: after a one-time code, the person's own password."""

    @allow_unauthenticated
    async def post(self) -> None:
        """Save the new password if it is good and typed twice the same; then go on."""
        session = self.pending()
        if session is None or session.stage != CHOOSE_PASSWORD:
            self.redirect(sign_in_url(self))
            return
        new = self.get_body_argument("new_password", "")
        again = self.get_body_argument("confirm_password", "")
        error = password_problem(new, again)
        if error is not None:
            self.show("choose-password", status=400, name=session.name, errors=[error])
            return
        try:
            more = await self.off_thread(steps.choose_password, self.state.data,
                                         session.username, new)
        except PartnerkitError as exc:
            self.problem(exc)
            return
        if more:
            session.stage = SECOND_FACTOR
            self.redirect(sign_in_url(self))
        else:
            await self.arrive(session)


def password_problem(new: str, again: str) -> tuple[str, str] | None:
    """What is wrong with a new password, as (field, message); None if it will do."""
    from partnerkit.accounts import check_password

    if not new:
        return "new_password", "Enter a new password"
    try:
        check_password(new, where="new password")
    except AccountError as exc:
        return "new_password", sentence(exc, "the new password")
    if again != new:
        return ("confirm_password",
                "The two passwords are not the same. Type the new password again")
    return None


class CodeHandler(SignInPage):
    """``/signin/code``: the authenticator code (after setting one up, if need be)."""

    @allow_unauthenticated
    async def post(self) -> None:
        """Check the code: right, and the person is in; wrong, and they try again."""
        session = self.pending()
        if session is None or session.stage != SECOND_FACTOR:
            self.redirect(sign_in_url(self))
            return
        code = self.get_body_argument("code", "").strip()
        if not code:
            self.show("second-factor", status=400, name=session.name, **setup_context(session),
                      errors=[("code", "Enter the 6-digit code from your authenticator app")])
            return
        try:
            check = await self.off_thread(steps.check_code, self.state.data, session.username,
                                          code, session.pending_secret)
        except PartnerkitError as exc:
            self.problem(exc)
            return
        if check.right:
            await self.arrive(session)
            return
        await self.wrong_code(session, check.locked)

    async def wrong_code(self, session: WebSession, locked: bool) -> None:
        """After a pause: try again, or (too many, or locked) start from the beginning."""
        session.wrong_codes += 1
        await asyncio.sleep(FAILED_PAUSE_SECONDS)
        if locked or session.wrong_codes >= MAX_WRONG_CODES:
            self.state.end_session(session, TOO_MANY_CODES)
            self.redirect(sign_in_url(self))
            return
        self.show("second-factor", status=403, name=session.name, **setup_context(session),
                  errors=[("code", "The code is not right. Type the code your authenticator "
                                   "app shows now (it changes every 30 seconds)")])


class SignOutHandler(SignInPage):
    """``/signout``: end the session on the server, close its pages, forget the cookie."""

    @allow_unauthenticated
    async def post(self) -> None:
        """Sign out (a button on every page sends this)."""
        session = self.pending()
        if session is not None and not session.local:
            self.state.end_session(session, SIGNED_OUT)
            await self.off_thread(steps.audit, self.state.data, session.username, "sign-out")
        if self.state.signing_in:
            clear_session_cookie(self)
            self.redirect(sign_in_url(self) + "?signed_out=1")
        else:
            self.redirect(self.base_url)

    @allow_unauthenticated
    def get(self) -> None:
        """Signing out is a button (a form sent by POST); an address alone does nothing."""
        self.redirect(self.base_url)
