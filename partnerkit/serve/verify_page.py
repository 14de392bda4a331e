"""The certificate verification page of ``partnerkit serve`` (``/verify``): open to everyone.

Whoever holds a certificate (an employer, a registration body) types its code, or opens
``/verify?code=PK-...``, and the page says whether it is genuine and shows the text the
certificate was issued with, to compare with the paper; a certificate altered in the
store fails. Uploading the certificate's PDF (a POST with the server's XSRF token)
checks that PDF's text as well, so an altered certificate fails. The page is
``templates/verify.html.j2`` (autoescaped); a bad code or file gets a plain message
beside the field, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from partnerkit.errors import PartnerkitError
from partnerkit.page import UNEXPECTED_ERROR
from partnerkit.serve.pages import render_page
from partnerkit.serve.state import ServerState
from partnerkit.store import open_store

VERIFY_CSP = ("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
              "form-action 'self'; base-uri 'none'")
"""The page loads nothing and cannot be framed."""
MAX_PDF_BYTES = 5 * 1024 * 1024
"""The largest PDF the page reads (a certificate is a few tens of kilobytes)."""

log = logging.getLogger(__name__)


def check(data: Any, code: str, pdf: bytes | None = None) -> dict[str, Any]:
    """What the page shows for a code (and the PDF's text, if given): its template values."""
    from partnerkit.collaborative_working.certificate import certificate_text, pdf_text, verify

    try:
        text = pdf_text(pdf) if pdf else None
        store = open_store(data)
        try:
            result = verify(store, code, data, text=text)
        finally:
            store.close()
    except PartnerkitError as exc:
        return {"code": code, "errors": [("code", str(exc))]}
    except Exception:  # noqa: BLE001 - never a traceback on a page; the log has it
        log.exception("verifying a certificate failed")
        return {"code": code, "errors": [("code", UNEXPECTED_ERROR)]}
    shown = certificate_text(result.certificate.model_dump()) if result.certificate else ""
    return {"code": code, "result": result, "lines": shown.splitlines(), "checked_pdf": bool(pdf)}


def verify_handler() -> type:
    """The Jupyter Server handler answering ``/verify`` (open: no sign-in needed)."""
    from jupyter_server.auth.decorator import allow_unauthenticated
    from jupyter_server.base.handlers import JupyterHandler

    class VerifyHandler(JupyterHandler):
        """Say whether a certificate is genuine."""

        partnerkit_open = True

        def _page(self, values: dict[str, Any]) -> None:
            self.set_header("Cache-Control", "no-store")
            self.set_header("Content-Security-Policy", VERIFY_CSP)
            self.finish(render_page("verify.html.j2", xsrf=self.xsrf_token.decode(),
                                    base_url=self.base_url, **{"code": "", "result": None,
                                                                 **values}))

        @allow_unauthenticated
        def get(self) -> None:
            code = self.get_query_argument("code", "").strip()
            self._page(check(ServerState.of(self).data, code) if code else {})

        @allow_unauthenticated
        def post(self) -> None:
            code = self.get_body_argument("code", "").strip()
            files = self.request.files.get("pdf") or []
            pdf = files[0]["body"] if files and files[0]["body"] else None
            if pdf is not None and len(pdf) > MAX_PDF_BYTES:
                self._page({"code": code, "errors": [("pdf", "the file is larger than 5 MB: "
                                                              "it is not a certificate")]})
                return
            if not code:
                self._page({"errors": [("code", "type the verification code printed on "
                                                 "the certificate")]})
                return
            self._page(check(ServerState.of(self).data, code, pdf))

    return VerifyHandler
