"""The plain-language guides, one per role, served by ``partnerkit serve`` behind sign-in.

The guides are Markdown files in ``docs/`` (shipped inside the package as
``partnerkit/docs``), with their screenshots in ``docs/images/`` (taken by
``scripts/screenshots.py``). Each is rendered by markdown-it-py with raw HTML turned
off, so whatever a guide says is shown as text, never as markup; the page around it is
``templates/guide.html.j2`` (autoescaped). Addresses:

- ``/guides``: the list of guides;
- ``/guides/<name>``: one guide (a name from :data:`GUIDES`; any other is a plain 404);
- ``/guides/images/<file>.png``: a screenshot (only ``.png`` files of ``docs/images``).

Like every page of the server they are for signed-in people only
(:mod:`partnerkit.serve.lockdown` sends anyone else to the sign-in page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from partnerkit import paths
from partnerkit.serve.pages import render_page

GUIDES_CSP = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self'; frame-ancestors 'none'; form-action 'self'")
"""A guide loads nothing from other sites, runs no script and cannot be framed."""
IMAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.png$")
"""The only image names served: a plain file name ending ``.png`` (no folders)."""


@dataclass(frozen=True)
class Guide:
    """One guide: its name (address and file ``docs/<name>.md``), title and who it is for."""

    name: str
    title: str
    audience: str

    @property
    def path(self) -> Path:
        """The guide's Markdown file."""
        return paths.docs_dir() / f"{self.name}.md"


GUIDES = (
    Guide("practitioner", "Guide for practitioners",
          "teachers, youth workers and other partners who fill in the workbooks"),
    Guide("school-lead", "Guide for school leads",
          "the person who leads partnership work in a school and looks after its people"),
    Guide("trainer", "Guide for trainers",
          "trainers who run the collaborative working module for a cohort"),
    Guide("data-protection-lead", "Guide for data-protection leads",
          "the person who checks how pupil information is kept and who looked at it"),
    Guide("running-the-server", "Guide for whoever runs the server",
          "the person who installs partnerkit, starts the server and adds accounts"),
)
"""The guides, in the order the landing page lists them."""


def find_guide(name: str) -> Guide | None:
    """The guide called ``name``, or None."""
    return next((g for g in GUIDES if g.name == name), None)


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "replacements", "smartquotes"])


def guide_body(guide: Guide) -> Any:
    """The guide's Markdown as HTML (raw HTML in the file is shown as text)."""
    from markupsafe import Markup

    return Markup(_markdown().render(guide.path.read_text(encoding="utf-8")))


def render_guide(guide: Guide, base_url: str = "/") -> str:
    """One guide's page (Jinja2, autoescaped around the rendered Markdown)."""
    return render_page("guide.html.j2", guide=guide, body=guide_body(guide), guides=GUIDES,
                       base_url=base_url)


def render_guide_list(base_url: str = "/") -> str:
    """The page that lists every guide."""
    return render_page("guide.html.j2", guide=None, body=None, guides=GUIDES,
                       base_url=base_url)


def image_path(name: str) -> Path | None:
    """The screenshot ``docs/images/<name>``, or None for any other name or a missing file."""
    if not IMAGE_NAME.match(name):
        return None
    found = paths.docs_dir() / "images" / name
    return found if found.is_file() else None


def guide_routes(root: str) -> list[tuple[str, type]]:
    """The guides' handler specs, under the server's ``root`` address."""
    page, image = guide_handler(), guide_image_handler()
    return [(root + "/guides", page), (root + r"/guides/([a-z-]+)", page),
            (root + r"/guides/images/([^/]+)", image)]


def guide_handler() -> type:
    """The Jupyter Server handler for ``/guides`` and ``/guides/<name>``."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class GuideHandler(JupyterHandler):
        """A guide, or the list of guides (the lockdown lets only signed-in people here)."""

        @web.authenticated
        def get(self, name: str | None = None) -> None:
            self.set_header("Content-Security-Policy", GUIDES_CSP)
            if name is None:
                self.finish(render_guide_list(self.base_url))
                return
            guide = find_guide(name)
            if guide is None:
                self.set_status(404)
                self.finish(render_page("guide.html.j2", guide=None, body=None,
                                        guides=GUIDES, base_url=self.base_url,
                                        missing=name))
                return
            self.finish(render_guide(guide, self.base_url))

    return GuideHandler


def guide_image_handler() -> type:
    """The Jupyter Server handler for the guides' screenshots."""
    from jupyter_server.base.handlers import JupyterHandler
    from tornado import web

    class GuideImageHandler(JupyterHandler):
        """A screenshot of ``docs/images`` (signed-in people only, PNG only)."""

        @web.authenticated
        def get(self, name: str) -> None:
            found = image_path(name)
            if found is None:
                raise web.HTTPError(404, "no such screenshot")
            self.set_header("Content-Type", "image/png")
            self.set_header("Cache-Control", "private, max-age=3600")
            self.finish(found.read_bytes())

    return GuideImageHandler
