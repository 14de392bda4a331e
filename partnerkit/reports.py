"""Reports from the Jinja2 templates in ``templates/``: HTML now, shared with DOCX and PDF.

Every template autoescapes: user text is shown as typed, never read as markup or as
template code (it is data in the context, not part of the template). Report files are
written owner-only.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import jinja2

from . import paths
from .content import load_content


def environment() -> jinja2.Environment:
    """The Jinja2 environment over the shipped templates, autoescaping everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir())),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True)
    env.filters["date"] = lambda d: d.strftime("%-d %B %Y") if d else ""
    return env


def sources(framework_ids: list[str]) -> list[dict[str, str]]:
    """The source documents of the frameworks a report draws on, for its footer."""
    content = load_content()
    return [content.frameworks[f].source.model_dump() | {"framework": content.frameworks[f].title}
            for f in framework_ids]


def render_html(template: str, *, workspace: str, frameworks: list[str],
                title: str, **context: Any) -> str:
    """Render a report template with the common header: date, workspace and sources."""
    return environment().get_template(template).render(
        title=title, workspace=workspace, generated=dt.date.today(),
        sources=sources(frameworks), **context)


def write_private(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write a report file readable by its owner only (0600), replacing any old one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, payload)
    finally:
        os.close(fd)
    os.chmod(target, 0o600)
    return target
