"""The server's own pages from Jinja templates (autoescaped): sign-in, landing, refusals.

HTML is only ever made here, from ``templates/``; values reach it as template values and
are escaped, never pasted into markup. The one exception is the QR code of an
authenticator being set up: an SVG that segno draws from the ``otpauth://`` address.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

PAGE_DEFAULTS: dict[str, Any] = {
    "errors": [], "notice": None, "username": "", "next_page": "/", "name": "",
    "qr_svg": None, "setup_key": None, "local_login": None,
}
"""Values every page template may leave out (the templates are strict about the rest)."""


@lru_cache(maxsize=1)
def _environment() -> Any:
    from partnerkit.reports import environment

    return environment()


def render_page(template: str, **context: Any) -> str:
    """A page from ``templates/<template>``, with :data:`PAGE_DEFAULTS` for what is left out."""
    return _environment().get_template(template).render(**{**PAGE_DEFAULTS, **context})


def qr_svg(text: str) -> Any:
    """``text`` as a QR code: inline SVG markup with a title for screen readers."""
    import segno
    from markupsafe import Markup

    code = segno.make(text, error="m")
    return Markup(code.svg_inline(scale=5, border=4, title="QR code for your authenticator app",
                                  dark="#0b0c0c", light="#ffffff"))
