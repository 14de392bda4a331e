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
from partnerkit.reports.marks import META_NAMES, page_marks
from partnerkit.reports.text import format_date
from partnerkit.reports.visible import visible_text


def _finalize(value: Any) -> Any:
    """Every value as a page shows it: strings visible, dates as ``2 October 2026``."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_text(value)
    if isinstance(value, dt.date):
        return _date(value)
    return value


def _date(value: dt.date) -> str:
    """A date or moment as reports write dates; "" for a missing one (pandas' ``NaT``)."""
    if value != value:  # noqa: PLR0124 - pandas' NaT is the one date unequal to itself
        return ""
    return format_date(value)


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
                title: str, store: Any = None, reference: str | None = None,
                **context: Any) -> str:
    """Render a report template with the common header, page marks and sources.

    Every page of the report carries ``reference`` (the pupil reference; by default the
    context's ``pupil``), or the workspace's title for a report about the whole
    workspace, the date, and the workspace's sensitivity marking, read from ``store``
    (see :mod:`~partnerkit.reports.marks`; without a store: the workspace's name and the
    default marking).
    """
    generated = dt.date.today()
    pupil = context.get("pupil")
    marks = page_marks(store, workspace, produced=format_date(generated),
                       reference=reference or (pupil if isinstance(pupil, str) else None))
    return visible_text(environment().get_template(template).render(
        title=title, workspace=workspace, generated=generated, marks=marks,
        meta_names=META_NAMES, sources=sources(frameworks), **context))
