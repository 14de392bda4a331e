"""The script of a served page: partnerkit's own small front end for Voilà's pages.

A page's HTML carries its cells' outputs and the id of the kernel that ran them; its
script connects the widgets to that kernel. Voilà's own script is a whole JupyterLab
application (88 files, 4.7 MB) that a fresh browser spends about two seconds compiling
and running before the first field shows; this one is a single file of about 0.84 MB,
built from the same libraries (ipywidgets' JupyterLab manager, JupyterLab's output
renderers and services) by ``src/page.js``.

``src/`` is its source, ``package.json`` and ``package-lock.json`` its pinned npm
libraries; ``dist/`` is the build (``page.js``, ``page.css``), made by ``pip install``
(hatch-jupyter-builder runs ``npm install`` and ``npm run build`` here; it needs Node.js).
``/partnerkit/page/<file>`` serves the build behind sign-in, like Voilà's own files; the
page asks for it with its content's hash in the address, so a browser keeps it.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

from partnerkit.errors import ServeError

BUILD = Path(__file__).resolve().parent / "dist"
FILES = ("page.js", "page.css")
ROUTE = r"/partnerkit/page/(page\.js|page\.css)"
KEPT = "private, max-age=31536000, immutable"


def missing_build() -> ServeError:
    """The error for a source folder whose page script was never built."""
    return ServeError(
        "the pages' script has not been built", value=str(BUILD),
        where="partnerkit's page script",
        fix="install partnerkit with pip (pip install . in the source folder builds it; "
            "it needs Node.js and npm: apt-get install nodejs npm)")


@functools.cache
def version() -> str:
    """A hash of the built files, put in their address so that a new build is fetched."""
    digest = hashlib.sha256()
    for name in FILES:
        try:
            digest.update((BUILD / name).read_bytes())
        except FileNotFoundError:
            raise missing_build() from None
    return digest.hexdigest()[:16]


def handler_class() -> type:
    """Tornado's file handler for the build, kept by the browser when asked by version."""
    from tornado import web

    class PageScriptHandler(web.StaticFileHandler):
        """``page.js`` and ``page.css``; the lockdown lets only signed-in people here."""

        def set_extra_headers(self, path: str) -> None:
            if self.get_query_argument("v", None) == version():
                self.set_header("Cache-Control", KEPT)

    return PageScriptHandler


def route(root: str) -> tuple[str, type, dict[str, Any]]:
    """The handler spec serving the build under the server's ``root`` address."""
    return (root + ROUTE, handler_class(), {"path": str(BUILD)})
