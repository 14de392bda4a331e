"""Widget scripts the browser keeps: a page does not ask the server for them again.

Voilà serves the page's front-end extensions (``/voila/labextensions/...``, the widget
scripts) with ``Cache-Control: no-cache``, so on every page the browser asks again for
each of them and the server answers "not modified": a dozen requests a page, each
waiting its turn on a busy server before the page can start its widgets. Their file
names carry a hash of their content (webpack's ``[name].[contenthash].js``): a changed
script has a new name. Those are kept by the browser for a year without asking.
Files without a hash in their name (``style.js``) are asked for again, as before.
"""

from __future__ import annotations

import re

HASHED = re.compile(r"\.[0-9a-f]{16,}\.js$")
"""A script named with its content hash (``7.2a0ce575775f5aad.js``)."""
KEPT = "private, max-age=31536000, immutable"
EXTENSIONS_ROUTE = "/voila/labextensions/"


def keeping_hashed_scripts(handler_class: type) -> type:
    """``handler_class`` (Voilà's extension files), with hashed scripts kept for a year."""

    class KeptHashedScripts(handler_class):  # type: ignore[misc, valid-type]
        def set_headers(self) -> None:
            super().set_headers()
            if HASHED.search(self.request.path):
                self.set_header("Cache-Control", KEPT)

    KeptHashedScripts.__name__ = f"KeptHashed{handler_class.__name__}"
    return KeptHashedScripts


def keep_extension_scripts(handlers: list) -> list:
    """Voilà's handlers with the extension files' route keeping hashed scripts."""
    return [(spec[0], keeping_hashed_scripts(spec[1]), *spec[2:])
            if EXTENSIONS_ROUTE in str(spec[0]) else spec for spec in handlers]
