"""Report HTML from the Jinja2 templates in ``templates/``: one template gives every format.

Every template autoescapes: user text is shown as typed, never read as markup or as
template code (it is data in the context, not part of the template). Strings are passed
through :func:`~partnerkit.reports.visible.visible_text` on the way out, and dates read
as :func:`~partnerkit.reports.text.format_date` writes them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2
from markupsafe import Markup

from partnerkit import paths
from partnerkit.content import load_content
from partnerkit.reports.text import format_date
from partnerkit.reports.visible import visible_text


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_text(value)
    return value


def environment() -> jinja2.Environment:
    """The Jinja2 environment over the shipped templates, autoescaping everything.

    Filters: ``date`` (``2 September 2026``; "" for none).
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir())),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, finalize=_finalize)
    env.filters["date"] = format_date
    return env


def sources(framework_ids: list[str]) -> list[dict[str, str]]:
    """The source documents of the frameworks a report draws on, for its footer."""
    content = load_content()
    return [content.frameworks[f].source.model_dump() | {"framework": content.frameworks[f].title}
            for f in framework_ids]


def render_html(template: str, *, workspace: str, frameworks: list[str],
                title: str, **context: Any) -> str:
    """Render a report template with the common header: date, workspace and sources."""
    return visible_text(environment().get_template(template).render(
        title=title, workspace=workspace, generated=dt.date.today(),
        sources=sources(frameworks), **context))
